package io.stagehand.core.internal.apply;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.StalePlanException;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.ApplyOutcome;
import io.stagehand.core.history.ApplyRecord;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.plan.Planner;
import io.stagehand.core.internal.plan.WorkOrder;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one apply, in outline: takes the lease, chooses the tag, plans inside the lease (or reuses the
 * {@link KeptPlan} if the store has not changed since it was made), has the {@link ApplyScheduler}
 * run the {@link WorkOrder}'s actions and the {@link CommitGroups} write their commits (each
 * success's commit in one unit of work with its state update and the staged entries it consumed,
 * fenced by the lease's epoch), drops the entries a fully successful apply covered, and reports.
 */
public final class Applier {
  private static final DateTimeFormatter TAG_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

  private final Store store;
  private final ActionHandler handler;
  private final ApplyOptions options;
  private final SafeListeners listeners;
  private final Clock clock;
  private final KeptPlan plans;
  private final ApplyEvents events = new ApplyEvents();
  /** A saved plan this apply must match, or null to apply whatever is planned now. */
  private Plan expected;

  public Applier(Store store, ActionHandler handler, ApplyOptions options, List<ApplyListener> listeners, Clock clock,
      KeptPlan plans) {
    this.plans = plans;
    this.store = store;
    // an IMPORT or a FORGET only records: it is committed like any action, but runs no handler
    this.handler = context -> {
      if (context.action().runsHandler()) {
        handler.handle(context);
      }
    };
    this.options = options;
    this.listeners = new SafeListeners(listeners);
    this.clock = clock;
  }

  public void cancel() {
    events.cancel();
  }

  /** Makes this apply refuse with {@link StalePlanException} unless it plans exactly {@code plan}. */
  public Applier expecting(Plan plan) {
    this.expected = plan;
    return this;
  }

  public ApplyReport run() {
    ApplyLease lease = LeaseAcquirer.acquire(store, options.leaseWait(), events::cancelled);
    try {
      return runUnderLease(lease);
    } finally {
      lease.close();
      if (events.wasInterrupted()) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The apply's tag; with the record of the interrupted apply of that tag it resumes, and how many
   * commits that one made, if it does.
   */
  private record Start(Tag tag, Optional<ApplyRecord> resumes, int firstIndex) {}

  private Start chooseTag() {
    return store.read(r -> {
      if (options.tag().isPresent()) {
        Tag t = options.tag().get();
        int committed = r.commits().ofTag(t).size();
        Optional<ApplyRecord> record = r.applyRecord(t);
        // under the lease, a record still running is one whose process stopped
        boolean interrupted = record.isPresent() && (record.get().outcome() == ApplyOutcome.INTERRUPTED
            || record.get().outcome() == ApplyOutcome.RUNNING);
        if (interrupted) {
          // commits of one tag stay together in history, which time travel and rollbacks rely on
          List<Tag> tags = r.commits().tags();
          if (committed > 0 && !tags.get(tags.size() - 1).equals(t)) {
            throw new InvalidInputException("apply " + t + " was interrupted, but " + tags.get(tags.size() - 1)
                + " committed after it: it can only be resumed while nothing else was applied since; "
                + "apply the rest under another tag");
          }
          return new Start(t, record, committed);
        }
        if (committed > 0) {
          throw new InvalidInputException("tag " + t + " is already used by an earlier apply; choose another "
              + "(only an interrupted apply can be resumed under its tag)");
        }
        return new Start(t, Optional.empty(), 0);
      }
      String base = "apply-" + TAG_TIME.format(clock.instant());
      Tag t = Tag.of(base);
      for (int n = 2; !r.commits().ofTag(t).isEmpty() || r.applyRecord(t).isPresent(); n++) {
        t = Tag.of(base + "-" + n);
      }
      return new Start(t, Optional.empty(), 0);
    });
  }

  /** The apply proper; every unit of work it writes is fenced with {@code lease}'s epoch. */
  private ApplyReport runUnderLease(ApplyLease lease) {
    Start start = chooseTag();
    Tag tag = start.tag();
    // under the lease: what a plan() kept is reused only if the store has not changed since, and a saved
    // plan is always checked against a new one; the kept replay is used up here, as the commits change the store
    WorkOrder order = store.read(expected == null ? plans.forApply(options.selection())
        : r -> Planner.plan(r, options.selection(), plans.desired(r)));
    Plan plan = order.plan();
    requireExpected(plan);
    Instant started = clock.instant();
    ApplyRecords.Begun begun = ApplyRecords.begin(store, lease, tag, start.resumes(), start.firstIndex(), plan,
        started, options);
    ApplyReport report;
    try {
      listeners.each(l -> l.planReady(tag, plan));
      TaskGraph tasks = new TaskGraph(plan, tag, events::cancelled, listeners, clock);
      begun.mayHaveRun().forEach(id -> tasks.get(id).mayHaveRun = true);
      // an action fed from outputs reads its emitters as committed: earlier in this apply, or before it
      java.util.function.Function<java.util.Collection<ResourceId>, java.util.Map<ResourceId, Resource>> appliedNow =
          ids -> store.read(r -> r.state().getAll(ids));
      tasks.all().forEach(t -> t.appliedNow = appliedNow);
      CommitWriter writer = new CommitWriter(store, lease, order, tag, start.firstIndex());
      new ApplyScheduler(options, handler, listeners, clock, events, lease, order, tasks, writer::write).run();

      if (tasks.allSucceeded() && !events.cancelled() && plan.leftOut().isEmpty()) {
        dropCoveredEntries(order, lease);
      }
      report = ApplyReport.builder()
          .tag(tag)
          .plan(plan)
          .results(tasks.results())
          .started(started)
          .finished(clock.instant())
          .cancelled(events.cancelled())
          .interruptedApplies(begun.interrupted())
          .build();
    } catch (RuntimeException | Error e) {
      ApplyRecords.failed(store, lease, begun, clock.instant(), e, plan);
      throw e;
    }
    ApplyRecords.end(store, lease, report, begun);
    listeners.each(l -> l.applyFinished(report));
    return report;
  }

  private void requireExpected(Plan plan) {
    if (expected != null && (!expected.fingerprint().equals(plan.fingerprint()) || !sameActions(expected, plan))) {
      throw new StalePlanException("the saved plan is stale: it was made at staged position "
          + expected.stagedPosition() + " (fingerprint " + expected.fingerprint() + "), and the store has moved on "
          + "(staged position " + plan.stagedPosition() + ", fingerprint " + plan.fingerprint()
          + "): something was staged, discarded or applied since; make a new plan and review it");
    }
  }

  /**
   * True if the two plans have the same actions, in the same order and waves, after the same
   * predecessors, with the same reactions, pending marks and reasons owed, and leave out the same:
   * what {@link Plan#render()} shows, compared without writing a line per action twice.
   */
  static boolean sameActions(Plan a, Plan b) {
    if (a.size() != b.size() || !a.leftOut().equals(b.leftOut())) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      PlannedAction x = a.actions().get(i);
      PlannedAction y = b.actions().get(i);
      if (!x.resource().equals(y.resource()) || x.action() != y.action() || x.wave() != y.wave()
          || !x.predecessors().equals(y.predecessors()) || !x.reactions().equals(y.reactions())
          || x.diff().pending() != y.diff().pending()
          || !a.owedReasons(x.resource()).equals(b.owedReasons(y.resource()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * After a fully successful apply, the entries the plan covered whose owner had no action (edits that
   * cancelled out) are dropped too: the applied state now is what they described.
   */
  private void dropCoveredEntries(WorkOrder order, ApplyLease lease) {
    List<Long> left = new ArrayList<>();
    for (ResourceId owner : order.owners()) {
      if (order.plan().action(owner).isEmpty()) {
        left.addAll(order.consumedBy(owner));
      }
    }
    if (!left.isEmpty()) {
      store.write(w -> {
        w.requireLease(lease.epoch());
        w.removeStaged(left);
        return null;
      });
    }
  }
}
