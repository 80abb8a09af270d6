package io.stagehand.core.spi;

/** A consistent view of the three parts of a store, for the duration of one read or write. */
public interface StoreReader {
  StateStore state();

  StagedLog staged();

  CommitLog commits();
}
