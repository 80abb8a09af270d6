package io.stagehand.benchmarks;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.store.memory.MemoryStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * apply-slow: an apply of a first deployment of 2,000 resources (the {@link Workload} shape: nodes,
 * services on nodes in chains of 16, balancers fed by 8 services each) whose handler sleeps 10 ms per
 * action, at parallelism 8, on the memory store, against the lower bound of any schedule:
 * max(critical path x 10 ms, actions x 10 ms / 8). The critical path is the longest chain of
 * predecessors in the plan the apply ran ({@link ApplyReport#plan()}).
 *
 * <p>{@code maxPerLocation} is 8, the parallelism, so the per-location limit can never hold an action
 * back and the bound needs no term for it. The default of 1 is run once more after the timed rounds,
 * as a note against the same bound (still a lower bound there, and no looser: no location hosts more
 * than 8 actions, 80 ms of work one after another).
 *
 * <p>The figure is the wall time of {@code orchestrator.apply(options)}, which includes the apply's own
 * plan, median of three rounds, each on a fresh store with the deployment staged (untimed), after five
 * untimed applies of it with a no-op handler to warm the planner up. Each round also times every handler,
 * and when the scheduling thread heard of each start and commit, to split the time over the bound.
 */
final class ApplySlowRow {
  static final int ACTIONS = 2_000;
  static final int SLEEP_MS = 10;
  static final int PARALLEL = 8;
  static final int WARMUPS = 5;

  private ApplySlowRow() {}

  static void run(ScaleRunner runner) {
    Workload w = new Workload(ACTIONS, 19);
    List<Edit> edits = w.firstDeployment();
    // warm-up: the same apply with a no-op handler, five times (under a second), so that the timed rounds
    // do not plan with a cold JIT: after one warm-up the apply's own plan still took 130 to 280 ms
    for (int i = 0; i < WARMUPS; i++) {
      Orchestrator warm = ScaleRunner.orchestrator(MemoryStore.create());
      warm.stage(edits);
      warm.apply(options(PARALLEL));
    }

    Round[] rounds = new Round[3];
    for (int i = 0; i < rounds.length; i++) {
      rounds[i] = round(edits, PARALLEL);
    }
    Round[] sorted = rounds.clone();
    Arrays.sort(sorted, (a, b) -> Double.compare(a.wallMs, b.wallMs));
    Round median = sorted[sorted.length / 2];
    int actions = median.plan.size();
    int critical = criticalPath(median.plan);
    for (Round r : rounds) {
      if (r.plan.size() != actions || criticalPath(r.plan) != critical) {
        throw new IllegalStateException("apply-slow: the rounds planned different graphs");
      }
    }
    double boundMs = Math.max(critical * (double) SLEEP_MS, actions * (double) SLEEP_MS / PARALLEL);
    double ratio = median.wallMs / boundMs;
    System.out.printf(Locale.ROOT, "    (apply-slow: %d actions, critical path %d actions (largest remainingPath %d),"
        + " bound max(%d ms, %.0f ms) = %.0f ms; rounds %s ms)%n", actions, critical, maxRemainingPath(median.plan),
        critical * SLEEP_MS, actions * (double) SLEEP_MS / PARALLEL, boundMs,
        Arrays.stream(rounds).map(r -> String.format(Locale.ROOT, "%.0f", r.wallMs)).toList());
    for (Round r : rounds) {
      System.out.println("    (apply-slow round: " + r.breakdown(boundMs) + ")");
    }
    // with one action per location at a time the bound stays a lower bound, and as tight, as long as no
    // location's own actions take longer one after another than the bound
    int perLocation = largestLocation(median.plan);
    Round serial = round(edits, 1);
    System.out.printf(Locale.ROOT, "    (apply-slow with maxPerLocation 1, the default, one round: %.0f ms, %.2f× the"
        + " same bound (the busiest location has %d actions, %d ms one after another); %s)%n", serial.wallMs,
        serial.wallMs / boundMs, perLocation, perLocation * SLEEP_MS, serial.breakdown(boundMs));
    runner.row("apply-slow", actions + " actions of 10 ms (Thread.sleep), parallel 8, maxPerLocation 8 (never"
            + " binds), critical path " + critical + " (median of 3)",
        ScaleRunner.ms(median.wallMs), String.format(Locale.ROOT, "%.0f ms (lower bound)", boundMs),
        ScaleRunner.x(ratio), "≤ 1.1× the lower bound", ratio <= 1.1);
  }

  static ApplyOptions options(int maxPerLocation) {
    return ApplyOptions.builder().parallelism(PARALLEL).maxPerLocation(maxPerLocation).build();
  }

  /** The number of actions on the longest chain of predecessors; plan order is topological (by wave). */
  static int criticalPath(Plan plan) {
    Map<ResourceId, Integer> longest = new HashMap<>();
    int max = 0;
    for (PlannedAction a : plan.actions()) {
      int before = 0;
      for (ResourceId p : a.predecessors()) {
        Integer l = longest.get(p);
        if (l == null) {
          throw new IllegalStateException(p + " is not planned before " + a.resource());
        }
        before = Math.max(before, l);
      }
      longest.put(a.resource(), before + 1);
      max = Math.max(max, before + 1);
    }
    return max;
  }

  /** The most actions any one location hosts (by the state after the action, or before for a removal). */
  static int largestLocation(Plan plan) {
    Map<ResourceId, Integer> count = new HashMap<>();
    for (PlannedAction a : plan.actions()) {
      a.diff().after().or(() -> a.diff().before()).flatMap(r -> r.location())
          .ifPresent(l -> count.merge(l, 1, Integer::sum));
    }
    return count.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  static int maxRemainingPath(Plan plan) {
    return plan.actions().stream().mapToInt(PlannedAction::remainingPath).max().orElse(0);
  }

  /** One timed apply on a fresh store, with what its handler and a listener saw. */
  private static Round round(List<Edit> edits, int maxPerLocation) {
    Map<ResourceId, long[]> handled = new ConcurrentHashMap<>(); // handler start, end
    Orchestrator o = Orchestrator.builder().store(MemoryStore.create()).logProgress(false).handler(c -> {
      long start = System.nanoTime();
      Thread.sleep(SLEEP_MS);
      handled.put(c.resource(), new long[] {start, System.nanoTime()});
    }).build();
    o.stage(edits);
    Heard heard = new Heard();
    ScaleRunner.settle();
    long gc0 = gcMillis();
    heard.cpu0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    ApplyReport report = o.apply(ApplyOptions.builder().from(options(maxPerLocation)).addListeners(heard).build());
    long t1 = System.nanoTime();
    heard.gcMs = gcMillis() - gc0;
    if (!report.succeeded() || handled.size() != report.plan().size()) {
      throw new IllegalStateException("apply-slow: the apply did not succeed");
    }
    return new Round(report.plan(), t0, t1, handled, heard);
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  static long gcMillis() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
  }

  /**
   * Scheduling-thread times (nanoTime) of the plan, each start and each commit; the CPU time the
   * applying thread spent up to the plan (it calls the listeners); the collectors' time in the apply.
   */
  private static final class Heard implements ApplyListener {
    long planReady;
    long cpu0;
    long planCpu;
    long gcMs;
    final Map<ResourceId, Long> started = new HashMap<>();
    final Map<ResourceId, Long> committed = new HashMap<>();

    @Override
    public void planReady(Tag tag, Plan plan) {
      planReady = System.nanoTime();
      planCpu = THREADS.getCurrentThreadCpuTime() - cpu0;
    }

    @Override
    public void actionStarted(PlannedAction action, int attempt) {
      started.put(action.resource(), System.nanoTime());
    }

    @Override
    public void actionSucceeded(PlannedAction action, ActionResult result, Commit commit) {
      committed.put(action.resource(), System.nanoTime());
    }
  }

  private static final class Round {
    final Plan plan;
    final double wallMs;
    private final long t0;
    private final long t1;
    private final Map<ResourceId, long[]> handled;
    private final Heard heard;

    Round(Plan plan, long t0, long t1, Map<ResourceId, long[]> handled, Heard heard) {
      this.plan = plan;
      this.t0 = t0;
      this.t1 = t1;
      this.wallMs = (t1 - t0) / 1e6;
      this.handled = handled;
      this.heard = heard;
    }

    /**
     * Where the time over actions x 10 ms / 8 went: wall = before the first handler + after the last
     * one + (handler time + idle slot time between them) / 8. Idle slot time is split by whether an
     * action was ready then (its predecessors' commits heard, so overhead of handing it to a thread)
     * or none was (waiting for dependencies, including commits not yet written).
     */
    String breakdown(double boundMs) {
      long firstStart = Long.MAX_VALUE;
      long lastEnd = Long.MIN_VALUE;
      double handlerNs = 0;
      for (long[] h : handled.values()) {
        firstStart = Math.min(firstStart, h[0]);
        lastEnd = Math.max(lastEnd, h[1]);
        handlerNs += h[1] - h[0];
      }
      int n = handled.size();
      // a sweep over ready / start / end events between the first start and the last end
      List<long[]> events = new ArrayList<>(); // time, d(ready), d(running)
      List<Double> handOver = new ArrayList<>(); // thread pickup: handler start - start heard
      List<Double> commitLag = new ArrayList<>(); // commit heard - handler end
      for (PlannedAction a : plan.actions()) {
        long[] h = handled.get(a.resource());
        long ready = heard.planReady;
        for (ResourceId p : a.predecessors()) {
          ready = Math.max(ready, heard.committed.get(p));
        }
        long start = h[0];
        events.add(new long[] {Math.min(ready, start), 1, 0});
        events.add(new long[] {start, -1, 1});
        events.add(new long[] {h[1], 0, -1});
        handOver.add((start - heard.started.get(a.resource())) / 1e6);
        commitLag.add((heard.committed.get(a.resource()) - h[1]) / 1e6);
      }
      events.sort((x, y) -> Long.compare(x[0], y[0]));
      double idleReady = 0;
      double idleStarved = 0;
      long readyCount = 0;
      long running = 0;
      long last = firstStart;
      for (long[] e : events) {
        if (e[0] > last && last >= firstStart && e[0] <= lastEnd) {
          long dt = e[0] - last;
          long free = PARALLEL - running;
          long usable = Math.min(free, readyCount);
          idleReady += usable * (double) dt;
          idleStarved += (free - usable) * (double) dt;
        }
        last = Math.max(last, e[0]);
        readyCount += e[1];
        running += e[2];
      }
      // the scheduling thread's reaction to a freed slot: each start heard after the first PARALLEL fills
      // the earliest slot freed before it (a handler's end) that no start has filled yet
      long[] ends = handled.values().stream().mapToLong(h -> h[1]).sorted().toArray();
      long[] starts = heard.started.values().stream().mapToLong(Long::longValue).sorted().toArray();
      List<Double> refill = new ArrayList<>();
      for (int i = PARALLEL, j = 0; i < starts.length && j < ends.length; i++, j++) {
        if (ends[j] <= starts[i]) {
          refill.add((starts[i] - ends[j]) / 1e6);
        }
      }
      double meanHandler = handlerNs / n / 1e6;
      return String.format(Locale.ROOT, "wall %.0f ms = %.0f ms to the first handler (%.0f ms to the plan ready, %.0f ms of it on the CPU) + %.0f ms after"
              + " the last + %.0f ms with handlers; handlers %.3f ms each on average (%.0f ms over 10 ms per"
              + " slot), idle slots with an action ready %.0f ms/8, with none ready %.0f ms/8; slot freed to next"
              + " start heard median %.3f ms, mean %.3f ms, p99 %.3f ms; start heard to handler running median"
              + " %.3f ms, mean %.3f ms, p99 %.3f ms; commit heard after handler end median %.3f ms, p99 %.3f ms, max %.1f ms;"
              + " %.0f ms in collections; %.2f× the bound, %.2f× the bound on the handlers' measured time",
          wallMs, (firstStart - t0) / 1e6, (heard.planReady - t0) / 1e6, heard.planCpu / 1e6,
          (t1 - lastEnd) / 1e6, (lastEnd - firstStart) / 1e6, meanHandler,
          (handlerNs / 1e6 - n * (double) SLEEP_MS) / PARALLEL, idleReady / 1e6, idleStarved / 1e6,
          quantile(refill, 0.5), mean(refill), quantile(refill, 0.99),
          quantile(handOver, 0.5), mean(handOver), quantile(handOver, 0.99), quantile(commitLag, 0.5), quantile(commitLag, 0.99),
          quantile(commitLag, 1.0), (double) heard.gcMs, wallMs / boundMs,
          wallMs / Math.max(boundMs, handlerNs / 1e6 / PARALLEL));
    }

    private static double mean(List<Double> values) {
      return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double quantile(List<Double> values, double q) {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
  }
}
