package io.stagehand.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.CommitLogVariant;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Real databases for the tests: a fresh SQLite file in a temporary folder per test class, and one
 * embedded PostgreSQL server per test run (binaries from Maven Central) with a fresh database per
 * test class. Each store a test asks for gets its own table prefix, so stores never see each other's
 * rows.
 */
final class TestDatabases {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private TestDatabases() {}

  private static Path sqliteFolder;

  /** A new, empty file for a SQLite database, in a folder deleted when the test JVM exits. */
  static synchronized Path newSqliteFile() {
    try {
      if (sqliteFolder == null) {
        sqliteFolder = Files.createTempDirectory("stagehand-sqlite");
        Path folder = sqliteFolder;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(folder)));
      }
      return sqliteFolder.resolve("test-" + DATABASES.incrementAndGet() + ".db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path folder) {
    try (var files = Files.walk(folder)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder; the OS cleans up what is left
    }
  }

  /**
   * A new SQLite file behind a small Hikari pool whose connections open in WAL mode with a busy
   * timeout, as a user's own SQLite data source should; {@code synchronous=NORMAL}, as the contract
   * tests claim nothing about power loss.
   */
  static HikariDataSource newSqlite() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + newSqliteFile());
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("synchronous", "NORMAL");
    config.addDataSourceProperty("busy_timeout", "30000");
    config.setMaximumPoolSize(6);
    config.setMinimumIdle(0);
    return new HikariDataSource(config);
  }

  static synchronized EmbeddedPostgres postgresServer() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "300")
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded PostgreSQL server", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException ignored) {
          // the JVM is going away
        }
      }));
    }
    return postgres;
  }

  /** A new, empty database on the shared server, behind a small Hikari pool. */
  static HikariDataSource newPostgres() {
    EmbeddedPostgres pg = postgresServer();
    String name = "stagehand_test_" + DATABASES.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.getJdbcUrl("postgres", name));
    config.setUsername("postgres");
    config.setMaximumPoolSize(6);
    config.setMinimumIdle(0);
    config.setPoolName(name);
    return new HikariDataSource(config);
  }

  static String nextPrefix() {
    return "t" + PREFIXES.incrementAndGet() + "_";
  }

  static JdbcStore store(DataSource ds, CommitLogVariant variant) {
    return JdbcStore.builder()
        .dataSource(ds)
        .variant(variant)
        .tablePrefix(nextPrefix())
        .createSchemaIfMissing(true)
        .leaseDuration(java.time.Duration.ofSeconds(5))
        .build();
  }
}
