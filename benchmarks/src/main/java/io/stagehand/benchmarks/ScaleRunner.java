package io.stagehand.benchmarks;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InputLimits;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.spi.Store;
import io.stagehand.store.memory.MemoryStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * Runs every benchmark row with its baseline measured in the same run, and prints the table. The
 * machine is shared and noisy, so each figure is a median of several runs and is reported next to
 * its baseline as a ratio. {@code quick} takes a few minutes; {@code full} uses the sizes of the goals.
 *
 * <p>Further arguments, or {@code -Dbench.rows=a,b} through Maven, pick rows by name, for profiling one
 * of them or for running only the slow ones at full size: {@code plan-incremental}, {@code plan-full},
 * {@code plan-million}, {@code apply-memory}, {@code apply-slow}, {@code revert}, {@code memory}, {@code apply-sqlite},
 * {@code apply-postgres}, {@code plan-incremental-jdbc}, {@code jdbc} (the last three together) and
 * {@code history}. For example {@code mvn -B -q -Dbench -DskipTests -pl benchmarks -am package
 * -Dbench.mode=full -Dbench.rows=jdbc}.
 */
public final class ScaleRunner {
  private final boolean full;
  private final java.util.Set<String> only;
  private final List<String[]> rows = new ArrayList<>();

  private ScaleRunner(boolean full, java.util.Set<String> only) {
    this.full = full;
    this.only = only;
  }

  public static void main(String[] args) throws Exception {
    boolean full = args.length > 0 && args[0].equals("full");
    // the names after the mode, each argument a comma-separated list (Maven passes an empty one)
    java.util.Set<String> only = new java.util.HashSet<>();
    for (String arg : Arrays.asList(args).subList(Math.min(1, args.length), args.length)) {
      Arrays.stream(arg.split(",")).map(String::trim).filter(name -> !name.isEmpty()).forEach(only::add);
    }
    ScaleRunner runner = new ScaleRunner(full, only);
    System.out.printf(Locale.ROOT, "Stagehand benchmarks, %s mode, %d cores, max heap %d MiB, Java %s%s%n",
        full ? "full" : "quick", Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"),
        only.isEmpty() ? "" : ", rows " + String.join(",", new java.util.TreeSet<>(only)));
    if (runner.selected("plan-incremental")) {
      runner.planIncremental();
    }
    if (runner.selected("plan-full")) {
      runner.planFull();
    }
    if (full && runner.selected("plan-full") || only.contains("plan-million")) {
      runner.planMillionIn4g();
    }
    if (runner.selected("apply-memory")) {
      runner.applyMemory();
    }
    if (runner.selected("apply-slow")) {
      ApplySlowRow.run(runner);
    }
    if (runner.selected("revert")) {
      runner.revert();
    }
    if (runner.selected("memory")) {
      runner.memory();
    }
    JdbcRows.run(runner, full, runner.selected("apply-sqlite", "jdbc"), runner.selected("apply-postgres", "jdbc"));
    if (runner.selected("plan-incremental-jdbc", "jdbc")) {
      JdbcPlanRows.run(runner, full);
    }
    if (runner.selected("history")) {
      HistoryRows.run(runner, full);
    }
    runner.print();
  }

  /** Whether a row runs: every row runs when none is named, else the rows named by any of its names. */
  private boolean selected(String... names) {
    return only.isEmpty() || Arrays.stream(names).anyMatch(only::contains);
  }

  // ---------------------------------------------------------------- measuring

  /** The median of {@code reps} timed runs in milliseconds, after {@code warmup} untimed ones. */
  static double medianMillis(int warmup, int reps, Runnable setup, Runnable run) {
    for (int i = 0; i < warmup; i++) {
      setup.run();
      run.run();
    }
    double[] times = new double[reps];
    for (int i = 0; i < reps; i++) {
      setup.run();
      long t0 = System.nanoTime();
      run.run();
      times[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(times);
    return times[reps / 2];
  }

  /**
   * Medians in milliseconds of {@code a} and {@code b} run in turns (a, b, a, b, ...), each after a
   * full collection, so that both see the same phases of a noisy machine and neither pays for the
   * other's garbage.
   */
  static double[] interleavedMedians(int warmup, int reps, Runnable a, Runnable b) {
    return interleavedMedians(warmup, reps, () -> timed(a), () -> timed(b));
  }

  /**
   * {@link #interleavedMedians(int, int, Runnable, Runnable)} for runs that time themselves, in
   * milliseconds, so that each can leave its untimed preparation out (and settle after it).
   */
  static double[] interleavedMedians(int warmup, int reps, java.util.function.DoubleSupplier a,
      java.util.function.DoubleSupplier b) {
    for (int i = 0; i < warmup; i++) {
      a.getAsDouble();
      b.getAsDouble();
    }
    double[] ta = new double[reps];
    double[] tb = new double[reps];
    for (int i = 0; i < reps; i++) {
      ta[i] = a.getAsDouble();
      tb[i] = b.getAsDouble();
    }
    return new double[] {median(ta), median(tb)};
  }

  /** The median of {@code values} (the upper one of an even count), leaving them as they were. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static double timed(Runnable run) {
    settle();
    long t0 = System.nanoTime();
    run.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  /** A full collection before a timed run, so that it does not pay for earlier runs' garbage. */
  static void settle() {
    System.gc();
  }

  void row(String name, String what, String figure, String baseline, String ratio, String goal, boolean met) {
    rows.add(new String[] {name, what, figure, baseline, ratio, goal, met ? "met" : "missed"});
    System.out.printf(Locale.ROOT, "  %-22s %-14s baseline %-16s ratio %-8s goal %s: %s%n", name, figure, baseline,
        ratio, goal, met ? "met" : "MISSED");
  }

  private void print() {
    System.out.println();
    System.out.println("| row | what | figure | baseline (same run) | ratio | goal | |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    for (String[] r : rows) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
  }

  static String ms(double millis) {
    return String.format(Locale.ROOT, millis < 10 ? "%.2f ms" : "%.0f ms", millis);
  }

  static String x(double ratio) {
    return String.format(Locale.ROOT, "%.2f×", ratio);
  }

  static Orchestrator orchestrator(Store store) {
    return Orchestrator.builder().store(store).handler(c -> { }).logProgress(false).build();
  }

  // ---------------------------------------------------------------- rows

  /** Stage + plan a 100-resource edit in applied deployments of two sizes. */
  private void planIncremental() {
    int small = 10_000;
    int big = full ? 1_000_000 : 100_000;
    double tSmall = incremental(small);
    double tBig = incremental(big);
    double ratio = tBig / tSmall;
    row("plan-incremental", "N=" + big, ms(tBig), ms(tSmall) + " (N=" + small + ")", x(ratio),
        "< 50 ms at 1M, ≤ 2×", tBig < 50 && ratio <= 2);
  }

  private double incremental(int n) {
    Workload w = new Workload(n, 42);
    Store store = MemoryStore.create();
    w.writeApplied(store);
    Orchestrator o = orchestrator(store);
    int[] round = {0};
    List<List<Edit>> batches = new ArrayList<>();
    // 21 runs: at N = 1M a young collection now and then lands in a run (the old generation is large);
    // 15 untimed ones first, so that the 10k case, which runs first, is measured with the JIT warm
    return medianMillis(15, 21, () -> {
      o.discard();
      batches.clear();
      batches.add(w.editBatch(100, round[0]++));
    }, () -> {
      o.stage(batches.get(0));
      Plan plan = o.plan();
      if (plan.size() < 100) {
        throw new IllegalStateException("expected at least 100 actions, got " + plan.size());
      }
    });
  }

  /** Stage + plan a first deployment against building and sorting the same graph with JGraphT. */
  private void planFull() {
    int n = 100_000;
    Workload w = new Workload(n, 7);
    List<Edit> edits = w.firstDeployment();
    List<Connection> connections = w.connections();
    Runnable ours = () -> {
      Orchestrator o = orchestrator(MemoryStore.create());
      o.stage(edits);
      Plan plan = o.plan();
      if (plan.size() != w.size()) {
        throw new IllegalStateException("planned " + plan.size() + " of " + w.size());
      }
    };
    Runnable jgrapht = () -> {
      DirectedAcyclicGraph<ResourceId, DefaultEdge> dag = new DirectedAcyclicGraph<>(DefaultEdge.class);
      for (int j = 0; j < w.nodes; j++) {
        dag.addVertex(Workload.node(j));
      }
      for (int i = 0; i < w.services; i++) {
        dag.addVertex(Workload.service(i));
      }
      for (int l = 0; l < w.balancers; l++) {
        dag.addVertex(Workload.balancer(l));
      }
      for (Connection c : connections) {
        dag.addEdge(c.emitter().resource(), c.receiver().resource());
      }
      List<ResourceId> order = new ArrayList<>(w.size());
      new TopologicalOrderIterator<>(dag).forEachRemaining(order::add);
    };
    double[] medians = interleavedMedians(1, 5, ours, jgrapht);
    double oursMs = medians[0];
    double baseline = medians[1];
    row("plan-full", "N=" + n + ", " + connections.size() + " connections", ms(oursMs),
        ms(baseline) + " (JGraphT DAG + sort)", x(oursMs / baseline), "≤ 1×", oursMs <= baseline);
  }

  /**
   * Stage + plan of a first deployment of 1M resources in a child JVM started
   * with a 4 GB heap ({@code -Xmx4g}), the goal's budget for a first plan of a million resources.
   */
  private void planMillionIn4g() throws Exception {
    String last = lastLineOfChild("-Xmx4g", PlanMillion.class);
    boolean ok = last.startsWith("planned ");
    // the child prints: planned <actions> in <millis> ms, max heap <MiB> MiB
    String[] f = last.split(" ");
    row("plan-full", "N=1000000, stage + first plan in a child JVM" + (ok ? " with -Xmx4g (" + f[7] + " MiB)" : ""),
        ok ? ms(Double.parseDouble(f[3])) : "failed: " + last, "—", "—", "fits in 4 GB of heap", ok);
  }

  /**
   * Runs {@code main} in a child JVM with this class path and {@code heap}, and returns the last line
   * it printed ({@code "failed: ..."} if it exited with an error).
   */
  private static String lastLineOfChild(String heap, Class<?> main) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(javaBin, heap, "-cp", System.getProperty("java.class.path"), main.getName())
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    String last = output.lines().reduce((a, b) -> b).orElse("");
    return child.waitFor() == 0 ? last : "failed: " + last;
  }

  /** The child of {@link #planMillionIn4g()}. */
  public static final class PlanMillion {
    private PlanMillion() {}

    public static void main(String[] args) {
      Workload w = new Workload(1_000_000, 13);
      List<Edit> edits = w.firstDeployment();
      long t0 = System.nanoTime();
      Orchestrator o = orchestrator(MemoryStore.create());
      // four million edits: staged in batches within InputLimits.MAX_EDITS_PER_BATCH
      for (int from = 0; from < edits.size(); from += InputLimits.MAX_EDITS_PER_BATCH) {
        o.stage(edits.subList(from, Math.min(edits.size(), from + InputLimits.MAX_EDITS_PER_BATCH)));
      }
      Plan plan = o.plan();
      long millis = (System.nanoTime() - t0) / 1_000_000;
      if (plan.size() != w.size()) {
        throw new IllegalStateException("planned " + plan.size() + " of " + w.size());
      }
      System.out.printf(Locale.ROOT, "planned %d in %d ms, max heap %d MiB%n", plan.size(), millis,
          Runtime.getRuntime().maxMemory() >> 20);
    }
  }

  /** Apply of a first deployment with a no-op handler, parallel 8. */
  /**
   * apply() of a first deployment on the memory store, timed two ways in turns: straight after the
   * stage (the apply plans inside its lease), and after a plan() of the same orchestrator, whose plan
   * the apply reuses when nothing changed in between (the review-then-apply workflow).
   */
  private void applyMemory() {
    int n = full ? 100_000 : 30_000;
    Workload w = new Workload(n, 3);
    List<Edit> edits = w.firstDeployment();
    double[] alone = new double[3];
    double[] afterPlan = new double[3];
    for (int round = 0; round < alone.length; round++) {
      alone[round] = applyPerSecond(w, edits, false);
      afterPlan[round] = applyPerSecond(w, edits, true);
    }
    Arrays.sort(alone);
    Arrays.sort(afterPlan);
    row("apply-memory", w.size() + " actions, parallel 8, planned inside the apply (median of 3)",
        String.format(Locale.ROOT, "%.0f actions/s", alone[1]), "—", "—", "≥ 100,000 actions/s", alone[1] >= 100_000);
    row("apply-memory", w.size() + " actions, parallel 8, after plan() (the kept plan; median of 3)",
        String.format(Locale.ROOT, "%.0f actions/s", afterPlan[1]), "—", "—", "≥ 100,000 actions/s",
        afterPlan[1] >= 100_000);
  }

  private double applyPerSecond(Workload w, List<Edit> edits, boolean planFirst) {
    Orchestrator o = orchestrator(MemoryStore.create());
    o.stage(edits);
    if (planFirst) {
      o.plan();
    }
    settle();
    long t0 = System.nanoTime();
    ApplyReport report = o.apply(ApplyOptions.builder().parallelism(8).maxPerLocation(1000).build());
    long elapsed = System.nanoTime() - t0;
    if (!report.succeeded()) {
      throw new IllegalStateException("apply failed");
    }
    return w.size() / (elapsed / 1e9);
  }

  /** revert(tag) + apply of an apply, against the apply itself; medians of five rounds. */
  private void revert() {
    Workload w = new Workload(10_000, 5);
    int rounds = 5;
    double[] apply = new double[rounds];
    double[] undo = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      Orchestrator o = orchestrator(MemoryStore.create());
      o.stage(w.firstDeployment());
      settle();
      long t0 = System.nanoTime();
      o.apply(ApplyOptions.builder().tag("t1").parallelism(8).maxPerLocation(1000).build());
      long applied = System.nanoTime() - t0;
      settle();
      long t1 = System.nanoTime();
      o.revert(Tag.of("t1"));
      ApplyReport report = o.apply(ApplyOptions.builder().tag("t2").parallelism(8).maxPerLocation(1000).build());
      long t2 = System.nanoTime();
      if (!report.succeeded() || !o.appliedState().isEmpty()) {
        throw new IllegalStateException("the revert did not empty the deployment");
      }
      apply[round] = applied / 1e6;
      undo[round] = (t2 - t1) / 1e6;
    }
    Arrays.sort(apply);
    Arrays.sort(undo);
    double u = undo[rounds / 2];
    double a = apply[rounds / 2];
    row("revert-10k", w.size() + " actions", ms(u), ms(a) + " (the apply)", x(u / a), "≤ 1.5×", u / a <= 1.5);
  }

  /**
   * Heap per applied resource in the memory store, 5 inputs each, in a child JVM: in this one, what
   * earlier rows left alive (ids they interned, for one) would go uncounted.
   */
  private void memory() throws Exception {
    String last = lastLineOfChild("-Xmx12g", MemoryChild.class);
    boolean measured = last.startsWith("bytes ");
    // the child prints: bytes <per resource> for <resources>
    String[] f = last.split(" ");
    double perResource = measured ? Double.parseDouble(f[1]) : Double.NaN;
    row("memory", (measured ? f[3] : "100000") + " applied resources, in a child JVM",
        measured ? String.format(Locale.ROOT, "%.0f B/resource", perResource) : last, "—", "—", "≤ 1 KB",
        perResource <= 1024);
  }

  /** The child of {@link #memory()}. */
  public static final class MemoryChild {
    private MemoryChild() {}

    public static void main(String[] args) {
      Workload w = new Workload(100_000, 11);
      long before = usedHeap();
      Store store = MemoryStore.create();
      w.writeApplied(store);
      long after = usedHeap();
      if (store.read(r -> r.state().count()) != w.size()) {
        throw new IllegalStateException("store lost resources");
      }
      System.out.printf(Locale.ROOT, "bytes %.1f for %d%n", (after - before) / (double) w.size(), w.size());
    }
  }

  static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return rt.totalMemory() - rt.freeMemory();
  }

}
