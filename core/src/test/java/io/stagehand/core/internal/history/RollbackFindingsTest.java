package io.stagehand.core.internal.history;

import static io.stagehand.core.internal.history.HistoryFixture.id;
import static io.stagehand.core.internal.history.HistoryFixture.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.RollbackConflictException;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.RollbackMode;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Edit;
import io.stagehand.core.spi.StagedEntry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RollbackFindingsTest {
  private final HistoryFixture log = new HistoryFixture();

  {
    log.commit("t1", "a", null, svc("a", "x", 1).build());
    log.commit("t1", "b", null, svc("b").build());
    log.commit("t2", "a", svc("a", "x", 1).build(), svc("a", "x", 2).build());
    log.reaction("t2", "a", "restart");
    log.commit("t3", "b", svc("b").build(), null);
  }

  private RollbackFindings findings(RollbackMode mode) {
    return new RollbackFindings(mode, "apply t1", log);
  }

  @Test
  void strictTurnsProblemsIntoOneRefusalNamingThemAll() {
    RollbackFindings f = findings(RollbackMode.STRICT);
    f.note("a note");
    assertThatCode(f::refuseOnConflicts).doesNotThrowAnyException();
    f.problem("first");
    f.problem("second");
    assertThat(f.hasConflicts()).isTrue();
    assertThat(f.notes()).containsExactly("a note");
    assertThatThrownBy(f::refuseOnConflicts).isInstanceOf(RollbackConflictException.class)
        .hasMessage("cannot roll back apply t1: first; second. Widen the rollback (revert the later applies too,"
            + " or use rollbackTo), or force it");
  }

  @Test
  void forceLeavesProblemsOutAndSaysSo() {
    RollbackFindings f = findings(RollbackMode.FORCE);
    f.problem("first");
    f.note("a note");
    assertThat(f.hasConflicts()).isFalse();
    assertThat(f.notes()).containsExactly("left out: first", "a note");
    assertThatCode(f::refuseOnConflicts).doesNotThrowAnyException();
  }

  @Test
  void laterChangesConflictUnlessForcedAndReactionsDoNotCount() {
    UndoSelection undoT1 = UndoSelection.ofTag(log, Tag.of("t1"));
    RollbackFindings strict = findings(RollbackMode.STRICT);
    strict.laterChanges(undoT1);
    assertThatThrownBy(strict::refuseOnConflicts).hasMessageStartingWith(
        "cannot roll back apply t1: a changed again later: t2 UPDATE a (3); b changed again later: t3 REMOVE b (5).");
    RollbackFindings forced = findings(RollbackMode.FORCE);
    forced.laterChanges(undoT1);
    assertThat(forced.notes()).containsExactly("forced over later changes: a changed again later: t2 UPDATE a (3)",
        "forced over later changes: b changed again later: t3 REMOVE b (5)");
    RollbackFindings latest = findings(RollbackMode.STRICT);
    latest.laterChanges(UndoSelection.ofCommit(log, CommitPosition.global(3)));
    assertThat(latest.hasConflicts()).isFalse();
  }

  @Test
  void somethingMissingNamesTheCommitThatRemovedIt() {
    RollbackFindings f = findings(RollbackMode.STRICT);
    assertThat(f.missing("restoring a.x -> c.y", id("b")))
        .isEqualTo("restoring a.x -> c.y needs b, which no longer exists (removed by t3, 5)");
    assertThat(f.missing("restoring a.x -> c.y", id("z")))
        .isEqualTo("restoring a.x -> c.y needs z, which no longer exists");
  }

  @Test
  void changesStagedForWhatTheRollbackTouchesRefuseItInAnyMode() {
    List<StagedEntry> staged = List.of(new StagedEntry(1, new Edit.Remove(id("c"))),
        new StagedEntry(2, new Edit.Remove(id("b"))), new StagedEntry(3, new Edit.Remove(id("a"))));
    RollbackFindings f = findings(RollbackMode.FORCE);
    assertThatCode(() -> f.refuseIfStaged(Set.of(id("d")), staged)).doesNotThrowAnyException();
    assertThatThrownBy(() -> f.refuseIfStaged(Set.of(id("a"), id("b")), staged))
        .isInstanceOf(RollbackConflictException.class)
        .hasMessage("cannot roll back apply t1: changes are staged for a, b; discard or apply them first");
  }
}
