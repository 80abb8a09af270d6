package io.stagehand.core.apply;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** A running apply: wait for its report, or cancel it (no new actions start; running ones finish). */
public interface ApplyRun {
  /** Stops starting new actions; the running ones finish and commit, the rest are cancelled. */
  void cancel();

  /** True once the apply has ended, one way or another. */
  boolean isDone();

  /** Waits for the apply to end and returns its report; rethrows what ended it abnormally. */
  ApplyReport report();

  /** Like {@link #report()}, waiting at most {@code timeout}. */
  ApplyReport report(Duration timeout) throws TimeoutException;
}
