package io.stagehand.core.spi;

/** A consistent view of the three parts of a store, for the duration of one read or write. */
public interface StoreReader {
  StateStore state();

  StagedLog staged();

  CommitLog commits();

  /**
   * The records of the applies, in the order they started (every apply that took the lease and made
   * its plan, whatever became of it).
   */
  java.util.List<io.stagehand.core.history.ApplyRecord> applies();

  /** The record of the apply tagged {@code tag}, if there is one. */
  java.util.Optional<io.stagehand.core.history.ApplyRecord> applyRecord(io.stagehand.core.history.Tag tag);

  /**
   * The records an apply must look at as it starts, in the order their applies started: those still
   * running, and those whose planned resources are not all settled ({@link
   * io.stagehand.core.history.ApplyRecord#isOpen()}). A store should find them without reading every
   * record.
   */
  java.util.List<io.stagehand.core.history.ApplyRecord> openApplies();

  /**
   * A number that grows with every unit of work that commits in this store, or empty if the store
   * cannot tell (when other processes write to it, say). While it stays the same, so does everything
   * this reader sees; Stagehand keeps the desired state it replayed between staging and planning
   * on that promise.
   */
  default java.util.OptionalLong changeCount() {
    return java.util.OptionalLong.empty();
  }
}
