package io.stagehand.core;

/**
 * One edit in the staged log with its sequence number, which grows with every staged edit and is
 * never reused, so that a staging call can say which position it last read.
 */
public record StagedEntry(long sequence, Edit edit) {
  public StagedEntry {
    if (sequence < 1 || edit == null) {
      throw new InvalidInputException("a staged entry needs a sequence from 1 and an edit");
    }
  }

  public ResourceId owner() {
    return edit.owner();
  }
}
