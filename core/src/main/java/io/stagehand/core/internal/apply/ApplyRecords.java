package io.stagehand.core.internal.apply;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.ApplyOutcome;
import io.stagehand.core.history.ApplyRecord;
import io.stagehand.core.history.Tag;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of each apply in the store: written as running when the apply has its plan, and again
 * when it ends, each time in a unit of work fenced by the lease. An apply that finds another's record
 * still running holds the lease that apply would need, so that apply's process stopped in the middle:
 * it is marked interrupted.
 */
final class ApplyRecords {
  // the Applier's logger, as every message of an apply
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  private ApplyRecords() {}

  /**
   * Marks the records still running as interrupted and writes {@code tag}'s as running; returns the
   * tags of the interrupted applies.
   */
  static List<Tag> begin(Store store, ApplyLease lease, Tag tag, int planned, Instant started, ApplyOptions options) {
    ApplyRecord running = base(tag, started, options).outcome(ApplyOutcome.RUNNING).planned(planned).build();
    List<Tag> found = store.write(w -> {
      w.requireLease(lease.epoch());
      List<Tag> interrupted = new ArrayList<>();
      for (ApplyRecord r : w.applies()) {
        if (r.outcome() == ApplyOutcome.RUNNING && !r.tag().equals(tag)) {
          w.putApply(ApplyRecord.builder().from(r).outcome(ApplyOutcome.INTERRUPTED).build());
          interrupted.add(r.tag());
        }
      }
      w.putApply(running);
      return interrupted;
    });
    for (Tag t : found) {
      LOG.warn("apply {} was interrupted: its process stopped before it ended; what it committed stands and the "
          + "rest stays staged", t);
    }
    return found;
  }

  /**
   * Writes the record of the apply {@code report} describes. If the store does not take it (the apply
   * lost its lease, say), the report still stands: the record stays running, and the next apply marks
   * it interrupted.
   */
  static void end(Store store, ApplyLease lease, ApplyReport report, ApplyOptions options) {
    List<String> failures = new ArrayList<>();
    for (ActionResult r : report.results()) {
      if (r.outcome() == ActionOutcome.FAILED) {
        failures.add(r.toString());
      }
    }
    ApplyOutcome outcome = report.cancelled() ? ApplyOutcome.CANCELLED
        : report.succeeded() ? ApplyOutcome.SUCCEEDED : ApplyOutcome.FAILED;
    ApplyRecord ended = base(report.tag(), report.started(), options)
        .finished(report.finished())
        .outcome(outcome)
        .planned(report.results().size())
        .succeeded((int) report.count(ActionOutcome.SUCCEEDED))
        .failed((int) report.count(ActionOutcome.FAILED))
        .skipped((int) report.count(ActionOutcome.SKIPPED))
        .notStarted((int) report.count(ActionOutcome.CANCELLED))
        .failures(failures)
        .build();
    try {
      write(store, lease, ended);
    } catch (RuntimeException e) {
      LOG.warn("apply {}: its record could not be written ({}); it shows as running until the next apply marks it "
          + "interrupted", report.tag(), ActionTask.describe(e));
    }
  }

  /**
   * Writes the record of an apply that failed as a whole ({@code error}, its store failing, say), if
   * the store still takes it; the apply's own failure is what its caller sees either way.
   */
  static void failed(Store store, ApplyLease lease, Tag tag, int planned, Instant started, Instant finished,
      ApplyOptions options, Throwable error) {
    try {
      write(store, lease, base(tag, started, options).finished(finished).outcome(ApplyOutcome.FAILED)
          .planned(planned).error(ActionTask.describe(error)).build());
    } catch (RuntimeException e) {
      error.addSuppressed(e);
    }
  }

  private static ApplyRecord.Builder base(Tag tag, Instant started, ApplyOptions options) {
    ApplyRecord.Builder b = ApplyRecord.builder().tag(tag).started(started);
    b.author(options.author());
    b.description(options.description());
    b.succeeded(0).failed(0).skipped(0).notStarted(0);
    return b;
  }

  private static void write(Store store, ApplyLease lease, ApplyRecord record) {
    store.write(w -> {
      w.requireLease(lease.epoch());
      w.putApply(record);
      return null;
    });
  }
}
