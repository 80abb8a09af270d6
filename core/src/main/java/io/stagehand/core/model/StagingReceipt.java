package io.stagehand.core.model;

import io.stagehand.core.spi.StagedEntry;
import java.util.List;

/** What one staging call staged: its entries with their sequence numbers, and the log's new position. */
public record StagingReceipt(List<StagedEntry> entries, long position) {
  public StagingReceipt {
    entries = List.copyOf(entries);
  }
}
