package io.stagehand.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.CommitLogVariant;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the multi-process tests' store lives, in a form that passes to a child JVM as
 * {@code key=value} pairs (on its command line or its standard input), so that parent and children
 * open the very same store the same way.
 *
 * @param database {@code sqlite} (a file that several processes share) or {@code pg}
 * @param url the JDBC URL, or for SQLite the file's path
 * @param user the database user
 * @param variant the commit log the schema was created with
 */
record StoreAddress(String database, String url, String user, CommitLogVariant variant) {
  /**
   * A short lease for the SQLite row lease: a killed applier blocks the next one at most this long.
   * PostgreSQL's advisory lease ends with the killed process's connection and ignores it.
   */
  static final Duration LEASE = Duration.ofSeconds(1);

  /** A SQLite file, opened as {@link JdbcStore#sqliteFile} opens it (WAL, synchronous=FULL). */
  static StoreAddress sqlite(java.nio.file.Path file, CommitLogVariant variant) {
    return new StoreAddress("sqlite", file.toAbsolutePath().toString(), "", variant);
  }

  static StoreAddress postgres(HikariDataSource database, CommitLogVariant variant) {
    return new StoreAddress("pg", database.getJdbcUrl(), database.getUsername(), variant);
  }

  /** The arguments that {@link #fromArgs} reads back. */
  List<String> toArgs() {
    return List.of("database=" + database, "url=" + url, "user=" + user, "variant=" + variant);
  }

  static StoreAddress fromArgs(Map<String, String> args) {
    return new StoreAddress(args.get("database"), args.get("url"), args.get("user"),
        CommitLogVariant.valueOf(args.get("variant")));
  }

  /** Parses {@code key=value} command-line arguments. */
  static Map<String, String> parseArgs(String[] args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected key=value, got " + a);
      }
      out.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return out;
  }

  /** An open store and the connection pool under it, which closing releases. */
  record Opened(JdbcStore store, Runnable closePool) implements AutoCloseable {
    @Override
    public void close() {
      store.close();
      closePool.run();
    }
  }

  /** Opens the store, creating its schema if it is missing. */
  Opened open() {
    if (database.equals("sqlite")) {
      JdbcStore store = JdbcStore.builder().sqliteFile(java.nio.file.Path.of(url)).variant(variant)
          .createSchemaIfMissing(true).leaseDuration(LEASE).build();
      return new Opened(store, () -> { });
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    // the apply lease keeps one connection for the whole apply; the rest serve reads and commits
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      return new Opened(build(pool), pool::close);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private JdbcStore build(javax.sql.DataSource dataSource) {
    return JdbcStore.builder()
        .dataSource(dataSource)
        .variant(variant)
        .createSchemaIfMissing(true)
        .leaseDuration(LEASE)
        .build();
  }
}
