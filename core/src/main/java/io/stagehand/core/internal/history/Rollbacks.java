package io.stagehand.core.internal.history;

import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Rollback;
import io.stagehand.core.history.RollbackMode;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.stage.DesiredState;
import io.stagehand.core.internal.stage.Staging;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.StagingReceipt;
import io.stagehand.core.spi.StoreReader;
import io.stagehand.core.spi.StoreWriter;
import java.util.List;
import java.util.OptionalLong;

/**
 * The orchestrator's way into rollback and time travel. A rollback is staged changes: each resource undone
 * gets, as its target, its state before the earliest commit undone ({@link RollbackTargets}); the edits that
 * lead from the desired state to those targets ({@link RollbackEdits}) are staged in one batch and then
 * planned and applied like any other change.
 */
public final class Rollbacks {
  private Rollbacks() {}

  public static Rollback revertCommit(StoreWriter w, CommitPosition position, RollbackMode mode, DesiredState desired) {
    return stage(w, UndoSelection.ofCommit(w.commits(), position), mode, desired);
  }

  public static Rollback revertResource(StoreWriter w, ResourceId id, int steps, RollbackMode mode,
      DesiredState desired) {
    return stage(w, UndoSelection.ofResource(w.commits(), id, steps), mode, desired);
  }

  public static Rollback revertTag(StoreWriter w, Tag tag, RollbackMode mode, DesiredState desired) {
    return stage(w, UndoSelection.ofTag(w.commits(), tag), mode, desired);
  }

  public static Rollback rollbackTo(StoreWriter w, Tag tag, RollbackMode mode, DesiredState desired) {
    return stage(w, UndoSelection.after(w.commits(), tag), mode, desired);
  }

  /** The applied state right after the apply {@code tag}: the current state with later commits undone. */
  public static DeploymentState stateAt(StoreReader r, Tag tag) {
    return TimeTravel.stateAt(r, tag);
  }

  /** The applied state right after the commit at {@code position}. */
  public static DeploymentState stateAt(StoreReader r, CommitPosition position) {
    return TimeTravel.stateAt(r, position);
  }

  private static Rollback stage(StoreWriter w, UndoSelection selected, RollbackMode mode, DesiredState desired) {
    RollbackFindings findings = new RollbackFindings(mode, selected.what(), w.commits());
    UndoSelection undo = selected.withoutReactions(findings::note);
    if (undo.isEmpty()) {
      return new Rollback(List.of(), List.of(), findings.notes());
    }
    if (!undo.endsAtLatest()) {
      findings.laterChanges(undo);
    }
    RollbackTargets targets = RollbackTargets.of(undo, desired::definition);
    findings.refuseIfStaged(targets.touched(), w.staged().entries());
    targets.prune(findings);
    findings.refuseOnConflicts();
    RollbackEdits.Batch batch = RollbackEdits.of(targets, findings);
    if (batch.isEmpty()) {
      return new Rollback(List.of(), List.of(), findings.notes());
    }
    // desired was only read so far: the batch is checked on it rather than on a second replay
    StagingReceipt receipt = Staging.stage(w, batch.edits(), OptionalLong.empty(), batch::revertOf, desired);
    return new Rollback(receipt.entries(), List.copyOf(desired.diffs().values()), findings.notes());
  }
}
