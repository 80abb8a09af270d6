package io.stagehand.core.internal.apply;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.ApplyOutcome;
import io.stagehand.core.history.ApplyRecord;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.Store;
import io.stagehand.core.spi.StoreWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of each apply in the store: written as running, with the resources its plan has an
 * action for, when the apply has its plan, and again when it ends, each time in a unit of work
 * fenced by the lease. An apply that finds another's record still running holds the lease that apply
 * would need, so that apply's process stopped in the middle: it is marked interrupted, and the
 * actions it planned and did not commit may have run.
 */
final class ApplyRecords {
  // the Applier's logger, as every message of an apply
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  /**
   * An apply as it starts: its running record, the applies it found interrupted, the resources of its
   * plan whose handlers an interrupted apply may have run without a commit, what the interrupted run
   * it resumes left (if it resumes one), and whether other records are open (its commits settle them).
   */
  record Begun(ApplyRecord running, List<Tag> interrupted, Set<ResourceId> mayHaveRun, List<ResourceId> leftOver,
      boolean othersOpen) {}

  private ApplyRecords() {}

  /**
   * Marks the records still running as interrupted and writes {@code tag}'s as running; {@code resumed}
   * is the record of the interrupted apply of the same tag this one resumes, if it does.
   */
  static Begun begin(Store store, ApplyLease lease, Tag tag, Optional<ApplyRecord> resumed, int firstIndex,
      Plan plan, Instant started, ApplyOptions options) {
    Set<ResourceId> planned = new LinkedHashSet<>();
    for (PlannedAction a : plan.actions()) {
      planned.add(a.resource());
    }
    Begun begun = store.write(w -> {
      w.requireLease(lease.epoch());
      List<Tag> interrupted = new ArrayList<>();
      Set<ResourceId> mayHaveRun = new HashSet<>();
      // what the interrupted apply this one resumes planned and did not commit, if it does
      Set<ResourceId> leftOver = new LinkedHashSet<>();
      boolean othersOpen = false;
      for (ApplyRecord r : w.openApplies()) {
        boolean own = r.tag().equals(tag);
        if (r.outcome() == ApplyOutcome.RUNNING) {
          // under the lease, a running record is one whose process stopped: what its last run committed
          // is settled (an earlier run's commits were settled when that one was found interrupted)
          r = settled(ApplyRecord.builder().from(r).outcome(ApplyOutcome.INTERRUPTED).build(),
              committedResources(w, r.tag(), r.firstIndex()));
          // noticed, and told, also by the apply that resumes it
          interrupted.add(r.tag());
          if (!own) {
            w.putApply(r);
          }
        }
        for (ResourceId id : r.plannedResources()) {
          if (planned.contains(id)) {
            mayHaveRun.add(id);
          }
        }
        if (own) {
          leftOver.addAll(r.plannedResources());
        } else {
          othersOpen |= r.isOpen();
        }
      }
      Set<ResourceId> recorded = new LinkedHashSet<>(leftOver);
      recorded.addAll(planned);
      ApplyRecord running = base(tag, resumed.map(ApplyRecord::started).orElse(started), options)
          .outcome(ApplyOutcome.RUNNING)
          .planned(plan.size())
          .plannedResources(recorded)
          .resumes(resumed.map(r -> r.resumes() + 1).orElse(0))
          .firstIndex(firstIndex)
          .build();
      w.putApply(running);
      return new Begun(running, List.copyOf(interrupted), mayHaveRun, List.copyOf(leftOver), othersOpen);
    });
    for (Tag t : begun.interrupted()) {
      LOG.warn("apply {} was interrupted: its process stopped before it ended; what it committed stands and the "
          + "rest stays staged", t);
    }
    if (resumed.isPresent()) {
      LOG.info("apply {} resumes: it was interrupted; its commits stand and it goes on from there", tag);
    }
    return begun;
  }

  /** The resources of {@code tag}'s commits from its index {@code from} on. */
  private static Set<ResourceId> committedResources(StoreWriter w, Tag tag, int from) {
    Set<ResourceId> out = new HashSet<>();
    for (Commit c : w.commits().ofTag(tag)) {
      if (c.index() >= from) {
        out.add(c.resource());
      }
    }
    return out;
  }

  /** {@code r} without the planned resources in {@code committed}: their actions are settled. */
  private static ApplyRecord settled(ApplyRecord r, Set<ResourceId> committed) {
    List<ResourceId> left = new ArrayList<>();
    for (ResourceId id : r.plannedResources()) {
      if (!committed.contains(id)) {
        left.add(id);
      }
    }
    return left.size() == r.plannedResources().size() ? r : ApplyRecord.builder().from(r).plannedResources(left).build();
  }

  /**
   * Writes the record of the apply {@code report} describes, begun as {@code begun}, and settles the
   * actions it committed in the records of interrupted applies. If the store does not take it (the
   * apply lost its lease, say), the report still stands: the record stays running, and the next
   * apply marks it interrupted.
   */
  static void end(Store store, ApplyLease lease, ApplyReport report, Begun begun) {
    List<String> failures = new ArrayList<>();
    Set<ResourceId> committed = new HashSet<>();
    for (ActionResult r : report.results()) {
      if (r.outcome() == ActionOutcome.FAILED) {
        failures.add(r.toString());
      }
      if (r.commit().isPresent()) {
        committed.add(r.resource());
      }
    }
    ApplyOutcome outcome = report.cancelled() ? ApplyOutcome.CANCELLED
        : report.succeeded() ? ApplyOutcome.SUCCEEDED : ApplyOutcome.FAILED;
    // an apply that ended keeps of its planned resources only what an interrupted run of it left unsettled
    ApplyRecord ended = settled(ApplyRecord.builder().from(begun.running())
        .plannedResources(begun.leftOver())
        .finished(report.finished())
        .outcome(outcome)
        .succeeded((int) report.count(ActionOutcome.SUCCEEDED))
        .failed((int) report.count(ActionOutcome.FAILED))
        .skipped((int) report.count(ActionOutcome.SKIPPED))
        .notStarted((int) report.count(ActionOutcome.CANCELLED))
        .failures(failures)
        .build(), committed);
    try {
      store.write(w -> {
        w.requireLease(lease.epoch());
        w.putApply(ended);
        // no other record opens while this apply holds the lease
        if (begun.othersOpen() && !committed.isEmpty()) {
          for (ApplyRecord r : w.openApplies()) {
            if (!r.tag().equals(ended.tag())) {
              ApplyRecord s = settled(r, committed);
              if (s != r) {
                w.putApply(s);
              }
            }
          }
        }
        return null;
      });
    } catch (RuntimeException e) {
      LOG.warn("apply {}: its record could not be written ({}); it shows as running until the next apply marks it "
          + "interrupted", report.tag(), ActionTask.describe(e));
    }
  }

  /**
   * Writes the record of an apply begun as {@code running} that failed as a whole ({@code error}, its
   * store failing, say), if the store still takes it; the apply's own failure is what its caller sees
   * either way.
   */
  static void failed(Store store, ApplyLease lease, Begun begun, Instant finished, Throwable error, Plan plan) {
    try {
      // the error may come from a driver that quotes what it was given: every sensitive value planned is taken out
      String why = ActionTask.describe(error);
      for (PlannedAction a : plan.actions()) {
        why = io.stagehand.core.internal.Redaction.scrub(why, a.diff());
      }
      write(store, lease, ApplyRecord.builder().from(begun.running()).plannedResources(begun.leftOver())
          .finished(finished)
          .outcome(ApplyOutcome.FAILED).error(why).build());
    } catch (RuntimeException e) {
      error.addSuppressed(e);
    }
  }

  private static ApplyRecord.Builder base(Tag tag, Instant started, ApplyOptions options) {
    return ApplyRecord.builder().tag(tag).started(started).author(options.author())
        .description(options.description());
  }

  private static void write(Store store, ApplyLease lease, ApplyRecord record) {
    store.write(w -> {
      w.requireLease(lease.epoch());
      w.putApply(record);
      return null;
    });
  }
}
