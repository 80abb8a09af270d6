package io.stagehand.core.spi;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.StoreException;
import io.stagehand.core.apply.LeaseInfo;
import java.util.function.Function;

/**
 * One deployment's persistent state: applied state, staged log and commit log, read and written
 * together. Implementations are thread-safe.
 *
 * <p>{@link #write} is the unit of work: everything the work does becomes visible at once when it
 * returns, or not at all when it throws; writers are serialised, so a write sees no other writer's
 * half-done work, and the work sees its own writes. {@link #read} sees one consistent state.
 */
public interface Store {
  /** How this store keeps its commit log. */
  CommitLogVariant commitLogVariant();

  /**
   * Runs {@code work} against one consistent view of the store. The store may run {@code work} more
   * than once (after a serialization failure), returning the last run's result; so {@code work}
   * must do nothing but read.
   */
  <T> T read(Function<? super StoreReader, ? extends T> work);

  /**
   * Runs {@code work} as one atomic unit of work; rolls everything back and rethrows if it throws.
   * A failure of the store itself surfaces as {@link io.stagehand.core.StoreException}.
   *
   * <p><b>{@code work} may run more than once.</b> A store may roll a unit of work back and run it
   * again (the JDBC store does after a serialization failure or a deadlock); only the last run's
   * writes and result count. So {@code work} must have no effect outside the {@link StoreWriter} it
   * is given: no handler calls, no listeners, no counters. Stagehand's engine keeps to this, and the
   * contract kit checks it on a store that runs every unit of work twice
   * ({@code io.stagehand.store.api.RepeatingStore}).
   */
  <T> T write(Function<? super StoreWriter, ? extends T> work);

  /**
   * Takes the store's apply lease, so that one apply at a time runs against this deployment.
   *
   * @param holder who asks, shown to a refused caller
   * @return the lease, or empty if another holder has it
   */
  java.util.Optional<ApplyLease> tryLease(String holder);

  /**
   * Frees the apply lease whoever holds it, for an operator who knows its holder is dead (Terraform's
   * {@code force-unlock}, Liquibase's {@code releaseLocks}). Safe even if the holder is alive: the
   * lease's epoch moves on, so the old holder's next unit of work is refused
   * ({@link StoreWriter#requireLease}) and writes nothing.
   */
  void forceReleaseLease();

  /** Who holds the apply lease now, if the store can tell; for error messages. */
  default java.util.Optional<io.stagehand.core.apply.LeaseInfo> leaseHolder() {
    return java.util.Optional.empty();
  }
}
