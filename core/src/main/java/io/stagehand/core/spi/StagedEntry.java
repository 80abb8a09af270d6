package io.stagehand.core.spi;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import java.util.Optional;

/**
 * One edit in the staged log with its sequence number, which grows with every staged edit and is
 * never reused, so that a staging call can say which position it last read. An entry staged by a
 * rollback names the tag of the apply it undoes, and the commit that consumes it records that.
 */
public record StagedEntry(long sequence, Edit edit, Optional<Tag> revertOf) {
  public StagedEntry {
    if (sequence < 1 || edit == null || revertOf == null) {
      throw new InvalidInputException("a staged entry needs a sequence from 1 and an edit");
    }
  }

  public StagedEntry(long sequence, Edit edit) {
    this(sequence, edit, Optional.empty());
  }

  public ResourceId owner() {
    return edit.owner();
  }
}
