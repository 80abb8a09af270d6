package io.stagehand.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.ApplyReport;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.Orchestrator;
import io.stagehand.store.jdbc.JdbcStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * apply-h2 and apply-postgres: an apply with a no-op handler and durable commits, against raw JDBC
 * inserting one row of a commit's size per transaction into the same database.
 */
final class JdbcRows {
  private JdbcRows() {}

  static void run(ScaleRunner runner, boolean full) throws Exception {
    int n = full ? 10_000 : 2_000;
    Path dir = Files.createTempDirectory("stagehand-bench");
    // WRITE_DELAY=0: each commit reaches the file before it returns, as the store's own h2File does
    JdbcConnectionPool h2 = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("bench") + ";WRITE_DELAY=0",
        "sa", "");
    h2.setMaxConnections(16);
    rows(runner, "apply-h2", h2, n);
    h2.dispose();

    try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .start()) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
      config.setMaximumPoolSize(12);
      try (HikariDataSource ds = new HikariDataSource(config)) {
        rows(runner, "apply-postgres", ds, n);
      }
    }
  }

  private static void rows(ScaleRunner runner, String name, DataSource ds, int n) throws SQLException {
    // warm the JIT and the database on a throwaway store first, so that the first row is not slower
    JdbcStore warm = JdbcStore.builder().dataSource(ds).tablePrefix("warm_").createSchemaIfMissing(true).build();
    Orchestrator w0 = ScaleRunner.orchestrator(warm);
    w0.stage(new Workload(1_000, 1).firstDeployment());
    w0.apply(ApplyOptions.builder().parallelism(4).maxPerLocation(1000).build());
    rawInsertsPerSecond(ds, 500);
    double raw = rawInsertsPerSecond(ds, n);
    int prefix = 0;
    for (CommitLogVariant variant : CommitLogVariant.values()) {
      for (int parallel : new int[] {1, 8}) {
        JdbcStore store = JdbcStore.builder().dataSource(ds).variant(variant).tablePrefix("b" + (prefix++) + "_")
            .createSchemaIfMissing(true).build();
        Workload w = new Workload(n, 13);
        Orchestrator o = ScaleRunner.orchestrator(store);
        o.stage(w.firstDeployment());
        long p0 = System.nanoTime();
        o.plan();
        double planSeconds = (System.nanoTime() - p0) / 1e9;
        long t0 = System.nanoTime();
        ApplyReport report = o.apply(ApplyOptions.builder().parallelism(parallel).maxPerLocation(1000).build());
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "    (%s %s parallel %d: the apply's own plan takes about %.1f of its %.1f s)%n",
            name, variant, parallel, planSeconds, seconds);
        if (!report.succeeded()) {
          throw new IllegalStateException(name + " failed");
        }
        double perSecond = w.size() / seconds;
        double ratio = perSecond / raw;
        double goal = parallel == 1 ? 0.8 : 2.0;
        runner.row(name, variant + ", parallel " + parallel, String.format(Locale.ROOT, "%.0f actions/s", perSecond),
            String.format(Locale.ROOT, "%.0f rows/s (raw JDBC)", raw), ScaleRunner.x(ratio),
            "≥ " + goal + "× baseline", ratio >= goal);
      }
    }
  }

  /** One row of a commit's size per transaction, the way a naive store would write. */
  private static double rawInsertsPerSecond(DataSource ds, int n) throws SQLException {
    String body = "{\"resource\":\"s123\",\"action\":\"RUN\",\"time\":\"2026-01-01T00:00:00Z\",\"after\":{"
        + "\"id\":\"s123\",\"kind\":\"service\",\"own\":{\"cfg\":{\"debug\":false,\"workers\":4},\"name\":\"svc-123\","
        + "\"port\":5123,\"version\":\"1.0.4\"},\"resolved\":{\"ip\":\"10.0.0.123\",\"upstream\":[5121,5122]}},"
        + "\"connectionsBefore\":[],\"connectionsAfter\":[{\"from\":\"n12.ip\",\"to\":\"s123.ip\"}]}";
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS raw_rows");
      st.execute("CREATE TABLE raw_rows (id BIGINT PRIMARY KEY, body VARCHAR(4000) NOT NULL)");
    }
    long t0 = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO raw_rows (id, body) VALUES (?, ?)")) {
        for (int i = 0; i < n; i++) {
          ps.setLong(1, i);
          ps.setString(2, body);
          ps.executeUpdate();
          c.commit();
        }
      }
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }
}
