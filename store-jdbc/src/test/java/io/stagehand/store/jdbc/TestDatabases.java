package io.stagehand.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.CommitLogVariant;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Real databases for the tests: a fresh in-memory H2 database per test class, and one embedded
 * PostgreSQL server per test run (binaries from Maven Central) with a fresh database per test class.
 * Each store a test asks for gets its own table prefix, so stores never see each other's rows.
 */
final class TestDatabases {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private TestDatabases() {}

  static DataSource newH2() {
    return JdbcConnectionPool.create("jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
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
