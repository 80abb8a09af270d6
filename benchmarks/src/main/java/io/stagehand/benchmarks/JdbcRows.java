package io.stagehand.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.store.jdbc.JdbcStore;
import io.stagehand.store.jdbc.SqliteSync;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * apply-sqlite and apply-postgres: an apply with a no-op handler and durable commits, against raw JDBC
 * inserting one row of a commit's size per transaction into the same database. The SQLite store is
 * the one users get from {@link JdbcStore#sqliteFile} (its own connections, WAL, {@code
 * synchronous=FULL}); a second pair of rows runs it with {@link SqliteSync#NORMAL} against a raw
 * baseline with the same setting.
 */
final class JdbcRows {
  /** The busy timeout of the SQLite stores and of the raw baseline's connections: the store's default. */
  static final Duration BUSY_TIMEOUT = Duration.ofSeconds(30);

  private JdbcRows() {}

  static void run(ScaleRunner runner, boolean full, boolean sqlite, boolean postgres) throws Exception {
    int n = full ? 10_000 : 2_000;
    int[] parallels = {1, 8};
    if (sqlite) {
      Path dir = Files.createTempDirectory("stagehand-bench");
      try {
        for (SqliteSync sync : SqliteSync.values()) {
          // one file per setting, shared by the measured stores (one table prefix each) and the raw
          // baseline, so that both write through the same WAL; NORMAL only with the default commit log
          Path file = dir.resolve("apply-" + sync.name().toLowerCase(Locale.ROOT) + ".db");
          CommitLogVariant[] variants = sync == SqliteSync.FULL
              ? CommitLogVariant.values() : new CommitLogVariant[] {CommitLogVariant.GLOBAL};
          rows(runner, "apply-sqlite", "synchronous=" + sync + ", ", variants, parallels,
              (variant, prefix) -> JdbcStore.builder().sqliteFile(file).sqliteSync(sync).busyTimeout(BUSY_TIMEOUT)
                  .variant(variant).tablePrefix(prefix).createSchemaIfMissing(true).build(),
              sqliteDataSource(file, sync), n);
        }
      } finally {
        deleteTree(dir);
      }
    }
    if (postgres) {
      try (EmbeddedPostgres pg = startPostgres(); HikariDataSource ds = pool(pg)) {
        rows(runner, "apply-postgres", "", CommitLogVariant.values(), parallels,
            (variant, prefix) -> JdbcStore.builder().dataSource(ds).variant(variant).tablePrefix(prefix)
                .createSchemaIfMissing(true).build(), ds, n);
      }
    }
  }

  /** A PostgreSQL server that commits durably: fsync and synchronous commit on (zonky turns both off). */
  static EmbeddedPostgres startPostgres() throws IOException {
    return EmbeddedPostgres.builder()
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .start();
  }

  /** A pool of connections to the server's {@code postgres} database. */
  static HikariDataSource pool(EmbeddedPostgres pg) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
    config.setMaximumPoolSize(12);
    return new HikariDataSource(config);
  }

  /**
   * New connections to a SQLite {@code file} with the pragmas {@link JdbcStore#sqliteFile} opens its
   * own with: WAL, the given {@code synchronous}, the store's default busy timeout.
   */
  static DataSource sqliteDataSource(Path file, SqliteSync sync) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(sync == SqliteSync.FULL
        ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return source;
  }

  /** Deletes a folder of benchmark files, and what is in it. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The rows of one database: for each commit-log variant and parallelism, three applies of {@code n}
   * actions, each on a new store from {@code stores} (given the variant and a table prefix, closed
   * after its apply) and right after its own raw baseline on {@code raw}.
   */
  private static void rows(ScaleRunner runner, String name, String setting, CommitLogVariant[] variants,
      int[] parallels, BiFunction<CommitLogVariant, String, JdbcStore> stores, DataSource raw, int n)
      throws SQLException {
    // warm the JIT and the database on a throwaway store first, so that the first row is not slower
    try (JdbcStore warm = stores.apply(CommitLogVariant.GLOBAL, "warm_")) {
      Orchestrator w0 = ScaleRunner.orchestrator(warm);
      // half the size of the measured applies: a smaller one left the first measured apply cold here
      w0.stage(new Workload(Math.max(1_000, n / 2), 1).firstDeployment());
      w0.apply(ApplyOptions.builder().parallelism(4).maxPerLocation(1000).build());
    }
    rawInsertsPerSecond(raw, 500);
    // three rounds; in each, every variant and parallelism runs right after its own baseline (half as
    // many raw one-row transactions), since the disk's speed here swings several-fold within a minute.
    // The ratio is the median of the three paired ratios; the figures are medians too
    int rounds = 3;
    int configs = variants.length * parallels.length;
    double[][] rawPerSecond = new double[configs][rounds];
    double[][] perSecond = new double[configs][rounds];
    double[][] ratio = new double[configs][rounds];
    double[][] planShare = new double[configs][rounds];
    int prefix = 0;
    for (int round = 0; round < rounds; round++) {
      for (int v = 0; v < variants.length; v++) {
        for (int p = 0; p < parallels.length; p++) {
          int k = v * parallels.length + p;
          try (JdbcStore store = stores.apply(variants[v], "b" + (prefix++) + "_")) {
            Workload w = new Workload(n, 13);
            Orchestrator o = ScaleRunner.orchestrator(store);
            o.stage(w.firstDeployment());
            long p0 = System.nanoTime();
            o.plan();
            double planSeconds = (System.nanoTime() - p0) / 1e9;
            rawPerSecond[k][round] = rawInsertsPerSecond(raw, n / 2);
            long t0 = System.nanoTime();
            ApplyReport report = o.apply(ApplyOptions.builder().parallelism(parallels[p]).maxPerLocation(1000).build());
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!report.succeeded()) {
              throw new IllegalStateException(name + " failed");
            }
            perSecond[k][round] = w.size() / seconds;
            ratio[k][round] = perSecond[k][round] / rawPerSecond[k][round];
            planShare[k][round] = planSeconds / seconds;
          }
        }
      }
    }
    for (int v = 0; v < variants.length; v++) {
      for (int p = 0; p < parallels.length; p++) {
        int k = v * parallels.length + p;
        double r = ScaleRunner.median(ratio[k]);
        double goal = parallels[p] == 1 ? 0.8 : 2.0;
        System.out.printf(Locale.ROOT, "    (%s %s%s parallel %d: rounds %s actions/s against %s rows/s; the apply's"
            + " own plan is about %.0f%% of its time)%n", name, setting, variants[v], parallels[p],
            rounded(perSecond[k]), rounded(rawPerSecond[k]), 100 * ScaleRunner.median(planShare[k]));
        runner.row(name, setting + variants[v] + ", parallel " + parallels[p] + " (median of " + rounds + " pairs)",
            String.format(Locale.ROOT, "%.0f actions/s", ScaleRunner.median(perSecond[k])),
            String.format(Locale.ROOT, "%.0f rows/s (raw JDBC)", ScaleRunner.median(rawPerSecond[k])),
            ScaleRunner.x(r), "≥ " + goal + "× baseline", r >= goal);
      }
    }
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
    try (Connection c = ds.getConnection()) {
      try (Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS raw_rows");
        st.execute("CREATE TABLE raw_rows (id BIGINT PRIMARY KEY, body VARCHAR(4000) NOT NULL)");
      }
      // timed from the first insert: a new SQLite connection reads the schema, a pool lends one at once
      long t0 = System.nanoTime();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO raw_rows (id, body) VALUES (?, ?)")) {
        for (int i = 0; i < n; i++) {
          ps.setLong(1, i);
          ps.setString(2, body);
          ps.executeUpdate();
          c.commit();
        }
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    }
  }
}
