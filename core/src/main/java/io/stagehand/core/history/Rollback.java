package io.stagehand.core.history;

import io.stagehand.core.model.Diff;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.spi.StagedEntry;
import java.util.List;

/**
 * What a rollback staged: the entries (each naming the apply it undoes), the staged diffs that now
 * stand, and notes on what a forced rollback left out. Plan and apply it like any other change.
 */
public record Rollback(List<StagedEntry> entries, List<Diff> staged, List<String> notes) {
  public Rollback {
    entries = List.copyOf(entries);
    staged = List.copyOf(staged);
    notes = List.copyOf(notes);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }
}
