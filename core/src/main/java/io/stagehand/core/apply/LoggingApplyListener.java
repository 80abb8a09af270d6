package io.stagehand.core.apply;

import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.Redaction;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs an apply's progress through SLF4J (logger {@code io.stagehand.apply}), one line per finished
 * action such as {@code [3/12] UPDATE haproxy ok 1.2s}. The orchestrator uses it unless told not to.
 */
public final class LoggingApplyListener implements ApplyListener {
  private static final Logger LOG = LoggerFactory.getLogger("io.stagehand.apply");
  private int total;
  private int done;

  /** A listener that logs every event of an apply through SLF4J. */
  public LoggingApplyListener() {}

  @Override
  public void planReady(Tag tag, Plan plan) {
    total = plan.size();
    done = 0;
    LOG.info("apply {}: {} action(s) planned", tag, total);
  }

  @Override
  public void actionStarted(PlannedAction action, int attempt) {
    LOG.debug("{} {} started (attempt {})", action.name(), action.resource(), attempt);
  }

  @Override
  public void actionSucceeded(PlannedAction action, ActionResult result, Commit commit) {
    LOG.info("{} ok {}", prefix(action), seconds(result.duration()));
  }

  @Override
  public void actionRetrying(PlannedAction action, int attempt, Throwable error, Duration delay) {
    LOG.warn("{} {} attempt {} failed, retrying in {}: {}", action.name(), action.resource(), attempt,
        seconds(delay), Redaction.scrub(error.getMessage(), action.diff()));
  }

  @Override
  public void actionFailed(PlannedAction action, ActionResult result) {
    LOG.warn("{} failed {}: {}", prefix(action), seconds(result.duration()), result.error().orElse(""));
  }

  @Override
  public void actionSkipped(PlannedAction action, ActionResult result) {
    LOG.info("{} {}", prefix(action), result.outcome() == ActionOutcome.SKIPPED ? "skipped" : "cancelled");
  }

  @Override
  public void applyFinished(ApplyReport report) {
    LOG.info("apply {} finished in {}: {} ok, {} failed, {} skipped, {} cancelled", report.tag(),
        seconds(report.duration()), report.count(ActionOutcome.SUCCEEDED), report.count(ActionOutcome.FAILED),
        report.count(ActionOutcome.SKIPPED), report.count(ActionOutcome.CANCELLED));
  }

  private String prefix(PlannedAction action) {
    done++;
    return "[" + done + "/" + total + "] " + action.name() + " " + action.resource();
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
