package io.stagehand.store.jdbc;

import io.stagehand.core.ApplyInProgressException;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.apply.LeaseInfo;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Edit;
import io.stagehand.core.plan.Plan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The processes of {@link TwoProcessTest}, one JVM per role, all on one PostgreSQL store. Each
 * prints protocol lines on standard output and takes its cues, one line each, on standard input.
 *
 * <ul>
 *   <li>{@code role=stage stager=<name>}: stages the first half of its {@value #BATCHES} batches
 *       ({@link #batch}), prints {@code half}, waits for {@code continue}, stages the rest (paced, so
 *       that they land while an apply runs), prints {@code done}.
 *   <li>{@code role=hold}: waits for {@code go}, applies; its first action prints {@code holding}
 *       and blocks, under the lease, until {@code release}.
 *   <li>{@code role=refuse}: waits for {@code go}, applies without waiting for the lease, prints
 *       {@code refused <message>} on {@link ApplyInProgressException}.
 *   <li>{@code role=wait}: waits for {@code go}, prints {@code applying <epoch ms> while held by
 *       <lease holder>} and applies, waiting up to a minute for the lease.
 * </ul>
 *
 * <p>The appliers print {@code started <epoch ms> <actions>} when their plan is ready (the lease
 * held), {@code handled <action> <id>} for every handler call, {@code finished <epoch ms>} when the
 * apply ends (still under the lease) and {@code done <committed>} after it.
 */
public final class TwoProcessChild {
  /** Batches each stager stages. */
  static final int BATCHES = 50;

  private static final BufferedReader STDIN =
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

  private TwoProcessChild() {}

  /**
   * Batch {@code k} of stager {@code stager}: creates {@code <stager>-r<k>}, sometimes connects it
   * to the resource before it, and sets {@code v} on an earlier resource, so that the second half's
   * batches change resources that an apply planned from the first half.
   */
  static List<Edit> batch(String stager, int k) {
    String id = stager + "-r" + k;
    List<Edit> edits = new ArrayList<>();
    edits.add(Edit.create(id, "app", Map.of("n", k)));
    if (k % 7 == 3) {
      edits.add(Edit.connect(stager + "-r" + (k - 1) + ".n", id + ".up"));
    }
    if (k > 0) {
      edits.add(Edit.set(stager + "-r" + (k - 1) / 2, "v", stager + "-" + k));
    }
    return edits;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = StoreAddress.parseArgs(argv);
    int exit;
    try (StoreAddress.Opened opened = StoreAddress.fromArgs(args).open()) {
      exit = switch (args.get("role")) {
        case "stage" -> stage(Orchestrator.builder().store(opened.store()).logProgress(false).build(),
            args.get("stager"));
        case "hold" -> hold(opened, args.get("tag"));
        case "refuse" -> refuse(opened, args.get("tag"));
        case "wait" -> waitForLease(opened, args.get("tag"));
        default -> throw new IllegalArgumentException("unknown role " + args.get("role"));
      };
    }
    System.exit(exit);
  }

  private static int stage(Orchestrator orchestrator, String stager) throws Exception {
    for (int k = 0; k < BATCHES; k++) {
      if (k == BATCHES / 2) {
        println("half");
        expect("continue");
      }
      orchestrator.stage(batch(stager, k));
      // a reader of history beside the apply: on SQLite another process's read never waits for a writer
      println("staged " + k + " history " + orchestrator.history().size());
      if (k >= BATCHES / 2) {
        Thread.sleep(10); // spread the second half over the apply
      }
    }
    println("done");
    return 0;
  }

  private static int hold(StoreAddress.Opened opened, String tag) throws Exception {
    expect("go");
    AtomicBoolean first = new AtomicBoolean(true);
    ActionHandler handler = context -> {
      if (first.getAndSet(false)) {
        println("holding");
        expect("release");
      }
      slowHandler().handle(context);
    };
    ApplyReport report = applier(opened, handler).apply(ApplyOptions.builder().tag(tag).parallelism(2).build());
    println("done " + committed(report));
    return report.succeeded() ? 0 : 2;
  }

  private static int refuse(StoreAddress.Opened opened, String tag) throws Exception {
    expect("go");
    try {
      applier(opened, slowHandler()).apply(ApplyOptions.builder().tag(tag).build());
      println("applied");
      return 3;
    } catch (ApplyInProgressException e) {
      println("refused " + e.getMessage());
      return 0;
    }
  }

  private static int waitForLease(StoreAddress.Opened opened, String tag) throws Exception {
    expect("go");
    String holder = opened.store().leaseHolder().map(io.stagehand.core.apply.LeaseInfo::describe).orElse("nobody");
    println("applying " + System.currentTimeMillis() + " while held by " + holder);
    ApplyReport report = applier(opened, slowHandler())
        .apply(ApplyOptions.builder().tag(tag).parallelism(2).leaseWait(Duration.ofSeconds(60)).build());
    println("done " + committed(report));
    return report.succeeded() ? 0 : 2;
  }

  private static Orchestrator applier(StoreAddress.Opened opened, ActionHandler handler) {
    return Orchestrator.builder().store(opened.store()).handler(handler).listener(new ApplyListener() {
      @Override
      public void planReady(Tag tag, Plan plan) {
        println("started " + System.currentTimeMillis() + " " + plan.size());
      }

      @Override
      public void applyFinished(ApplyReport report) {
        println("finished " + System.currentTimeMillis());
      }
    }).build();
  }

  /** Takes 10-20 ms per action and says what it did, so that the parent can see every real apply. */
  private static ActionHandler slowHandler() {
    return context -> {
      println("handled " + context.action() + " " + context.resource());
      Thread.sleep(ThreadLocalRandom.current().nextLong(10, 21));
    };
  }

  private static long committed(ApplyReport report) {
    return report.results().stream().filter(r -> r.commit().isPresent()).count();
  }

  private static void expect(String command) throws IOException {
    String line;
    synchronized (STDIN) {
      line = STDIN.readLine();
    }
    if (!command.equals(line)) {
      throw new IllegalStateException("expected " + command + " from the parent, got " + line);
    }
  }

  private static void println(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
