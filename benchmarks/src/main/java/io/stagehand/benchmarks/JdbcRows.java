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

/**
 * apply-sqlite and apply-postgres: an apply with a no-op handler and durable commits, against raw JDBC
 * inserting one row of a commit's size per transaction into the same database.
 */
final class JdbcRows {
  private JdbcRows() {}

  static void run(ScaleRunner runner, boolean full) throws Exception {
    int n = full ? 10_000 : 2_000;
    Path dir = Files.createTempDirectory("stagehand-bench");
    // the pragmas JdbcStore.sqliteFile uses: WAL, and each commit on the disk before it returns
    HikariConfig sqlite = new HikariConfig();
    sqlite.setJdbcUrl("jdbc:sqlite:" + dir.resolve("bench.db"));
    sqlite.addDataSourceProperty("journal_mode", "WAL");
    sqlite.addDataSourceProperty("synchronous", "FULL");
    sqlite.addDataSourceProperty("busy_timeout", "30000");
    sqlite.setMaximumPoolSize(16);
    try (HikariDataSource ds = new HikariDataSource(sqlite)) {
      rows(runner, "apply-sqlite", ds, n);
    }

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
    // half the size of the measured applies: a smaller one left the first measured apply cold here
    w0.stage(new Workload(Math.max(1_000, n / 2), 1).firstDeployment());
    w0.apply(ApplyOptions.builder().parallelism(4).maxPerLocation(1000).build());
    rawInsertsPerSecond(ds, 500);
    // three rounds; in each, every variant and parallelism runs right after its own baseline (half as
    // many raw one-row transactions), since the disk's speed here swings several-fold within a minute.
    // The ratio is the median of the three paired ratios; the figures are medians too
    int rounds = 3;
    int[] parallels = {1, 8};
    CommitLogVariant[] variants = CommitLogVariant.values();
    int configs = variants.length * parallels.length;
    double[][] raw = new double[configs][rounds];
    double[][] perSecond = new double[configs][rounds];
    double[][] ratio = new double[configs][rounds];
    double[][] planShare = new double[configs][rounds];
    int prefix = 0;
    for (int round = 0; round < rounds; round++) {
      for (int v = 0; v < variants.length; v++) {
        for (int p = 0; p < parallels.length; p++) {
          int k = v * parallels.length + p;
          JdbcStore store = JdbcStore.builder().dataSource(ds).variant(variants[v]).tablePrefix("b" + (prefix++) + "_")
              .createSchemaIfMissing(true).build();
          Workload w = new Workload(n, 13);
          Orchestrator o = ScaleRunner.orchestrator(store);
          o.stage(w.firstDeployment());
          long p0 = System.nanoTime();
          o.plan();
          double planSeconds = (System.nanoTime() - p0) / 1e9;
          raw[k][round] = rawInsertsPerSecond(ds, n / 2);
          long t0 = System.nanoTime();
          ApplyReport report = o.apply(ApplyOptions.builder().parallelism(parallels[p]).maxPerLocation(1000).build());
          double seconds = (System.nanoTime() - t0) / 1e9;
          if (!report.succeeded()) {
            throw new IllegalStateException(name + " failed");
          }
          perSecond[k][round] = w.size() / seconds;
          ratio[k][round] = perSecond[k][round] / raw[k][round];
          planShare[k][round] = planSeconds / seconds;
        }
      }
    }
    for (int v = 0; v < variants.length; v++) {
      for (int p = 0; p < parallels.length; p++) {
        int k = v * parallels.length + p;
        double r = median(ratio[k]);
        double goal = parallels[p] == 1 ? 0.8 : 2.0;
        System.out.printf(Locale.ROOT, "    (%s %s parallel %d: rounds %s actions/s against %s rows/s; the apply's"
            + " own plan is about %.0f%% of its time)%n", name, variants[v], parallels[p],
            rounded(perSecond[k]), rounded(raw[k]), 100 * median(planShare[k]));
        runner.row(name, variants[v] + ", parallel " + parallels[p] + " (median of " + rounds + " pairs)",
            String.format(Locale.ROOT, "%.0f actions/s", median(perSecond[k])),
            String.format(Locale.ROOT, "%.0f rows/s (raw JDBC)", median(raw[k])), ScaleRunner.x(r),
            "≥ " + goal + "× baseline", r >= goal);
      }
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String rounded(double[] values) {
    return java.util.Arrays.stream(values).mapToObj(d -> String.format(Locale.ROOT, "%.0f", d))
        .collect(java.util.stream.Collectors.joining(" / "));
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
