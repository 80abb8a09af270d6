package io.stagehand.core.internal.apply;

import io.stagehand.core.StagehandException;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.apply.ApplyRun;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An apply running on a thread of its own, behind {@link ApplyRun}. */
public final class AsyncApply implements ApplyRun {
  private final CompletableFuture<ApplyReport> report;
  private final Runnable cancel;

  private AsyncApply(CompletableFuture<ApplyReport> report, Runnable cancel) {
    this.report = report;
    this.cancel = cancel;
  }

  /** Starts {@code applier} on a new daemon thread. */
  public static ApplyRun start(Applier applier) {
    CompletableFuture<ApplyReport> future = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        future.complete(applier.run());
      } catch (Throwable e) {
        future.completeExceptionally(e);
      }
    }, "stagehand-apply");
    t.setDaemon(true);
    t.start();
    return new AsyncApply(future, applier::cancel);
  }

  @Override
  public void cancel() {
    cancel.run();
  }

  @Override
  public boolean isDone() {
    return report.isDone();
  }

  @Override
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

  @Override
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
