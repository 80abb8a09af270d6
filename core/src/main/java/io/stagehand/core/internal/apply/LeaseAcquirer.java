package io.stagehand.core.internal.apply;

import io.stagehand.core.ApplyInProgressException;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.StagehandException;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.Backoff;
import io.stagehand.core.spi.Store;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Takes a store's apply lease for one apply: at once, or polling with {@link Backoff#LEASE_POLL} for
 * up to {@link ApplyOptions#leaseWait()}; a refusal names the holder and how to go on.
 */
public final class LeaseAcquirer {
  private LeaseAcquirer() {}

  /**
   * The lease, or {@link ApplyInProgressException}; stops waiting early when {@code cancelled} says
   * so.
   */
  public static ApplyLease acquire(Store store, Optional<Duration> wait, BooleanSupplier cancelled) {
    String holder = "apply in " + ManagementFactory.getRuntimeMXBean().getName() + " (thread "
        + Thread.currentThread().getName() + ")";
    Optional<ApplyLease> lease = store.tryLease(holder);
    if (lease.isEmpty() && wait.isPresent()) {
      long deadline = System.nanoTime() + wait.get().toNanos();
      for (int attempt = 1; lease.isEmpty() && System.nanoTime() < deadline && !cancelled.getAsBoolean(); attempt++) {
        long sleep = Backoff.LEASE_POLL.delay(attempt).toMillis();
        try {
          Thread.sleep(Math.min(sleep, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StagehandException("interrupted while waiting for the apply lease", e);
        }
        lease = store.tryLease(holder);
      }
    }
    return lease.orElseThrow(() -> new ApplyInProgressException("another apply is running against this store"
        + store.leaseHolder().map(h -> " (" + h.describe() + ")").orElse("")
        + (wait.isPresent() ? "; waited " + wait.get() : "")
        + "; wait for it to finish, or pass ApplyOptions.leaseWait to wait; if its holder is dead, "
        + "Orchestrator.forceReleaseLease() frees the lease"));
  }
}
