package io.stagehand.benchmarks;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.Edit;
import io.stagehand.core.plan.Plan;
import io.stagehand.store.memory.MemoryStore;
import java.util.List;
import java.util.Locale;

/**
 * A driver for profiling the plan-full and apply-memory rows phase by phase: {@code plan [rounds]}
 * times stage and plan of a 100k first deployment; {@code apply [rounds]} times stage, plan and
 * apply(plan) (parallel 8, 1000 per location) with a no-op handler.
 */
public final class ProfileMain {
  private ProfileMain() {}

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** User and system CPU time of this process in clock ticks (1/100 s), from /proc. */
  private static long[] ticks() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (java.io.IOException e) {
      return new long[2];
    }
  }

  private static long gcMillis() {
    long sum = 0;
    for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += gc.getCollectionTime();
    }
    return sum;
  }

  public static void main(String[] args) {
    String what = args.length > 0 ? args[0] : "plan";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    Workload w = new Workload(n, what.equals("plan") ? 7 : 3);
    List<Edit> edits = w.firstDeployment();
    for (int round = 0; round < rounds; round++) {
      ScaleRunner.settle();
      Orchestrator o = ScaleRunner.orchestrator(MemoryStore.create());
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      o.stage(edits);
      long t1 = System.nanoTime();
      long c1 = threads.getCurrentThreadCpuTime();
      Plan plan = o.plan();
      long t2 = System.nanoTime();
      long c2 = threads.getCurrentThreadCpuTime();
      if (plan.size() != w.size()) {
        throw new IllegalStateException("planned " + plan.size());
      }
      String applied = "";
      if (what.equals("apply")) {
        // the apply plans again inside (on the kept replay, as the row's apply does after its stage)
        long p0 = System.nanoTime();
        o.plan();
        long p1 = System.nanoTime();
        long cpu0 = cpu();
        long[] ticks0 = ticks();
        long gc0 = gcMillis();
        ApplyReport report = o.apply(ApplyOptions.builder().parallelism(8).maxPerLocation(1000).build());
        long t3 = System.nanoTime();
        if (!report.succeeded()) {
          throw new IllegalStateException("apply failed");
        }
        applied = String.format(Locale.ROOT, " plan again %5.0f ms  apply() %6.0f ms = %6.0f actions/s"
            + "  (apply minus plan again %6.0f ms)", (p1 - p0) / 1e6, (t3 - p1) / 1e6,
            w.size() / ((t3 - p1) / 1e9), (t3 - p1 - (p1 - p0)) / 1e6)
            + String.format(Locale.ROOT, " cpu %6.0f ms (user %d sys %d ms) gc %5d ms", (cpu() - cpu0) / 1e6,
                (ticks()[0] - ticks0[0]) * 10, (ticks()[1] - ticks0[1]) * 10, gcMillis() - gc0);
      } else if (what.equals("applyplan")) {
        long r0 = System.nanoTime();
        plan.render();
        long r1 = System.nanoTime();
        ApplyReport report = o.apply(plan, ApplyOptions.builder().parallelism(8).maxPerLocation(1000).build());
        long t3 = System.nanoTime();
        if (!report.succeeded()) {
          throw new IllegalStateException("apply failed");
        }
        applied = String.format(Locale.ROOT, " render %5.0f ms  apply(plan) %6.0f ms = %6.0f actions/s",
            (r1 - r0) / 1e6, (t3 - r1) / 1e6, w.size() / ((t3 - r1) / 1e9));
      }
      System.out.printf(Locale.ROOT, "round %d: stage %6.0f ms  plan %6.0f ms  stage+plan %6.0f ms"
          + " [thread cpu: stage %5.0f plan %5.0f]%s%n", round, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t2 - t0) / 1e6,
          (c1 - c0) / 1e6, (c2 - c1) / 1e6, applied);
    }
  }
}
