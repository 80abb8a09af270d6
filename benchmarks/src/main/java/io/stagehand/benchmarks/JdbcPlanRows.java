package io.stagehand.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.Edit;
import io.stagehand.core.plan.Plan;
import io.stagehand.store.jdbc.JdbcStore;
import io.stagehand.store.jdbc.SqliteSync;
import io.stagehand.store.memory.MemoryStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * plan-incremental-jdbc: stage + plan of a 100-resource change in an applied deployment, on SQLite and
 * on PostgreSQL, against the memory store's stage + plan of the same change in the same deployment,
 * the two run in turns. Measured right after the deployment's first apply, and again after a few
 * small applies, when the commit log and the tables have grown past their first shape.
 */
final class JdbcPlanRows {
  /** How many services each change edits, as in plan-incremental. */
  private static final int CHANGE = 100;
  private static final int LATER_APPLIES = 5;
  private static final int WARMUP = 5;
  private static final int REPS = 11;

  private JdbcPlanRows() {}

  static void run(ScaleRunner runner, boolean full) throws Exception {
    int n = full ? 100_000 : 10_000;
    String size = full ? "" : ", quick-mode size (full: N=100000)";
    Path dir = Files.createTempDirectory("stagehand-bench");
    Path file = dir.resolve("plan.db");
    HikariConfig countingPool = new HikariConfig();
    countingPool.setDataSource(JdbcRows.sqliteDataSource(file, SqliteSync.FULL));
    countingPool.setMaximumPoolSize(4);
    try {
      // a first apply of the whole deployment waits for the disk at each of its commits on FULL, so the
      // deployment is built on NORMAL; the plans run on the file reopened as users open it (FULL)
      measure(runner, new Database("SQLite", "applied with synchronous=NORMAL, planned on sqliteFile(file)" + size,
          () -> JdbcStore.builder().sqliteFile(file).sqliteSync(SqliteSync.NORMAL).busyTimeout(JdbcRows.BUSY_TIMEOUT)
              .createSchemaIfMissing(true).build(),
          () -> JdbcStore.sqliteFile(file), () -> new HikariDataSource(countingPool)), n);
    } finally {
      JdbcRows.deleteTree(dir);
    }
    try (EmbeddedPostgres pg = JdbcRows.startPostgres(); HikariDataSource ds = JdbcRows.pool(pg)) {
      measure(runner, new Database("PostgreSQL", "fsync on" + size,
          () -> JdbcStore.builder().dataSource(ds).createSchemaIfMissing(true).build(),
          () -> JdbcStore.builder().dataSource(ds).build(), () -> JdbcRows.pool(pg)), n);
    }
  }

  /**
   * One database: {@code build} opens the store the deployment is applied with, {@code open} the one
   * planned on afterwards (the same tables), and {@code pool} opens a pool of connections to the same
   * database, for counting the queries of one plan.
   */
  private record Database(String name, String how, Supplier<JdbcStore> build, Supplier<JdbcStore> open,
      Supplier<HikariDataSource> pool) {}

  private static void measure(ScaleRunner runner, Database db, int n) {
    Workload w = new Workload(n, 42);
    List<Edit> first = w.firstDeployment();
    ApplyOptions options = ApplyOptions.builder().parallelism(8).maxPerLocation(1000).build();
    Orchestrator memory = ScaleRunner.orchestrator(MemoryStore.create());
    memory.stage(first);
    applied(memory.apply(options));
    try (JdbcStore built = db.build().get()) {
      Orchestrator o = ScaleRunner.orchestrator(built);
      long t0 = System.nanoTime();
      o.stage(first);
      long t1 = System.nanoTime();
      applied(o.apply(options));
      System.out.printf(Locale.ROOT, "    (plan-incremental-jdbc %s: the N=%d deployment staged in %.1f s and"
          + " applied in %.1f s, %s)%n", db.name(), w.size(), (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9, db.how());
    }
    try (JdbcStore store = db.open().get()) {
      Orchestrator o = ScaleRunner.orchestrator(store);
      int[] round = {0};
      compare(runner, db, w, o, memory, round, "after the first apply");
      for (int i = 0; i < LATER_APPLIES; i++) {
        List<Edit> change = w.editBatch(CHANGE, round[0]++);
        for (Orchestrator each : List.of(memory, o)) {
          each.stage(change);
          applied(each.apply(options));
        }
      }
      compare(runner, db, w, o, memory, round, "after " + LATER_APPLIES + " more applies of " + CHANGE + " changes");
      countQueries(db, w.editBatch(CHANGE, round[0]++));
    }
  }

  private static void applied(ApplyReport report) {
    if (!report.succeeded()) {
      throw new IllegalStateException("the apply failed");
    }
  }

  /** One row: the database's and the memory store's stage + plan of the same changes, in turns. */
  private static void compare(ScaleRunner runner, Database db, Workload w, Orchestrator jdbc, Orchestrator memory,
      int[] round, String when) {
    AtomicReference<List<Edit>> change = new AtomicReference<>();
    double[][] split = new double[2][REPS]; // the database's stage and plan, in milliseconds
    int[] rep = {-WARMUP};
    double[] medians = ScaleRunner.interleavedMedians(WARMUP, REPS, () -> {
      change.set(w.editBatch(CHANGE, round[0]++));
      jdbc.discard();
      double[] parts = stageAndPlan(jdbc, change.get());
      if (rep[0] >= 0) {
        split[0][rep[0]] = parts[0];
        split[1][rep[0]] = parts[1];
      }
      rep[0]++;
      return parts[0] + parts[1];
    }, () -> {
      memory.discard();
      double[] parts = stageAndPlan(memory, change.get());
      return parts[0] + parts[1];
    });
    jdbc.discard();
    memory.discard();
    double ratio = medians[0] / medians[1];
    System.out.printf(Locale.ROOT, "    (plan-incremental-jdbc %s %s: stage %s + plan %s, medians)%n", db.name(), when,
        ScaleRunner.ms(ScaleRunner.median(split[0])), ScaleRunner.ms(ScaleRunner.median(split[1])));
    runner.row("plan-incremental-jdbc", db.name() + ", N=" + w.size() + ", " + when + " (" + db.how() + "; median of "
        + REPS + ")", ScaleRunner.ms(medians[0]), ScaleRunner.ms(medians[1]) + " (memory store)", ScaleRunner.x(ratio),
        "≤ 2× memory", ratio <= 2);
  }

  /** Stages and plans {@code change} (on nothing staged); milliseconds of the stage and of the plan. */
  private static double[] stageAndPlan(Orchestrator o, List<Edit> change) {
    ScaleRunner.settle();
    long t0 = System.nanoTime();
    o.stage(change);
    long t1 = System.nanoTime();
    Plan plan = o.plan();
    long t2 = System.nanoTime();
    if (plan.size() < CHANGE) {
      throw new IllegalStateException("expected at least " + CHANGE + " actions, got " + plan.size());
    }
    return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
  }

  /** Prints the statements of one more stage + plan, through a store that counts them (outside the rows). */
  private static void countQueries(Database db, List<Edit> change) {
    QueryLog log = new QueryLog();
    try (HikariDataSource pool = db.pool().get();
        JdbcStore counted = JdbcStore.builder().dataSource(log.wrap(pool)).build()) {
      Orchestrator o = ScaleRunner.orchestrator(counted);
      // the last of three: the first runs through the proxies' reflection cold
      double[] parts = {};
      for (int i = 0; i < 3; i++) {
        log.clear();
        parts = stageAndPlan(o, change);
        o.discard();
      }
      System.out.printf(Locale.ROOT, "    (plan-incremental-jdbc %s, one more stage + plan (%s + %s) through a pool"
          + " that counts: %s)%n", db.name(), ScaleRunner.ms(parts[0]), ScaleRunner.ms(parts[1]), log.summary(6));
    }
  }
}
