package io.stagehand.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A running apply: wait for its report, or cancel it (no new actions start; running ones finish). */
public final class ApplyRun {
  private final CompletableFuture<ApplyReport> report;
  private final Runnable cancel;

  ApplyRun(CompletableFuture<ApplyReport> report, Runnable cancel) {
    this.report = report;
    this.cancel = cancel;
  }

  /** Stops starting new actions; the running ones finish and commit, the rest are cancelled. */
  public void cancel() {
    cancel.run();
  }

  public boolean isDone() {
    return report.isDone();
  }

  /** Waits for the apply to end and returns its report; rethrows what ended it abnormally. */
  public ApplyReport report() {
    try {
      return report.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StagehandException("interrupted while waiting for the apply", e);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /** Like {@link #report()}, waiting at most {@code timeout}. */
  public ApplyReport report(Duration timeout) throws TimeoutException {
    try {
      return report.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StagehandException("interrupted while waiting for the apply", e);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  private static RuntimeException unwrap(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException re) {
      return re;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new StagehandException("the apply failed: " + cause, cause);
  }
}
