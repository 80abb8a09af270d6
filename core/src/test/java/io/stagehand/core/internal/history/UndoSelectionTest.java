package io.stagehand.core.internal.history;

import static io.stagehand.core.internal.history.HistoryFixture.id;
import static io.stagehand.core.internal.history.HistoryFixture.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UndoSelectionTest {
  private final HistoryFixture log = new HistoryFixture();
  private final Commit a1 = log.commit("t1", "a", null, svc("a", "x", 1).build());
  private final Commit b1 = log.commit("t1", "b", null, svc("b").build());
  private final Commit a2 = log.commit("t2", "a", svc("a", "x", 1).build(), svc("a", "x", 2).build());
  private final Commit a3 = log.commit("t3", "a", svc("a", "x", 2).build(), svc("a", "x", 3).build());
  private final Commit b2 = log.commit("t3", "b", svc("b").build(), null);

  @Test
  void aCommitSelectsItselfAlone() {
    UndoSelection s = UndoSelection.ofCommit(log, CommitPosition.global(3));
    assertThat(s.byResource()).containsOnlyKeys(id("a")).containsEntry(id("a"), List.of(a2));
    assertThat(s.what()).isEqualTo("commit 3");
    assertThat(s.endsAtLatest()).isFalse();
    assertThatThrownBy(() -> UndoSelection.ofCommit(log, CommitPosition.global(9)))
        .isInstanceOf(InvalidInputException.class).hasMessage("there is no commit at position 9");
  }

  @Test
  void aResourceSelectsItsLastStepsInApplyOrder() {
    UndoSelection s = UndoSelection.ofResource(log, id("a"), 2);
    assertThat(s.byResource()).containsOnlyKeys(id("a")).containsEntry(id("a"), List.of(a2, a3));
    assertThat(s.what()).isEqualTo("the last 2 commit(s) of a");
    assertThatThrownBy(() -> UndoSelection.ofResource(log, id("a"), 0))
        .hasMessage("steps must be at least 1, got 0");
    assertThatThrownBy(() -> UndoSelection.ofResource(log, id("a"), 4))
        .hasMessage("cannot revert 4 commit(s) of a: it has 3");
    assertThatThrownBy(() -> UndoSelection.ofResource(log, id("z"), 1))
        .hasMessage("cannot revert 1 commit(s) of z: it has 0 (it was never applied)");
  }

  @Test
  void aTagSelectsItsCommitsPerResource() {
    UndoSelection s = UndoSelection.ofTag(log, Tag.of("t3"));
    assertThat(s.byResource()).containsEntry(id("a"), List.of(a3)).containsEntry(id("b"), List.of(b2));
    assertThat(s.what()).isEqualTo("apply t3");
    assertThatThrownBy(() -> UndoSelection.ofTag(log, Tag.of("t9")))
        .hasMessage("there is no apply tagged t9 (latest: t1, t2, t3)");
  }

  @Test
  void everythingAfterATagRunsToTheLatestCommit() {
    UndoSelection s = UndoSelection.after(log, Tag.of("t1"));
    assertThat(s.byResource()).containsEntry(id("a"), List.of(a2, a3)).containsEntry(id("b"), List.of(b2));
    assertThat(s.what()).isEqualTo("every apply after t1");
    assertThat(s.endsAtLatest()).isTrue();
    assertThat(UndoSelection.after(log, Tag.of("t3")).isEmpty()).isTrue();
    assertThatThrownBy(() -> UndoSelection.after(new HistoryFixture(), Tag.of("t1")))
        .hasMessage("there is no apply tagged t1 (nothing has been applied yet)");
  }

  @Test
  void unknownTagsNameTheLatestFive() {
    for (int i = 4; i <= 7; i++) {
      log.commit("t" + i, "c" + i, null, svc("c" + i).build());
    }
    assertThatThrownBy(() -> UndoSelection.after(log, Tag.of("t9")))
        .hasMessage("there is no apply tagged t9 (latest: t3, t4, t5, t6, t7)");
  }

  @Test
  void theCommitsOfLaterAppliesComeInApplyOrder() {
    assertThat(UndoSelection.appliesAfter(log, Tag.of("t1"))).containsExactly(a2, a3, b2);
    assertThat(UndoSelection.appliesAfter(log, 0)).containsExactly(a2, a3, b2);
    assertThat(UndoSelection.appliesAfter(log, -1)).containsExactly(a1, b1, a2, a3, b2);
  }

  @Test
  void reactionsAreLeftOutAndNamed() {
    Commit r = log.reaction("t4", "b", "restart");
    log.reaction("t4", "c", "flush");
    UndoSelection s = UndoSelection.after(log, Tag.of("t2"));
    List<String> notes = new ArrayList<>();
    UndoSelection stateful = s.withoutReactions(notes::add);
    assertThat(s.byResource().get(id("b"))).containsExactly(b2, r);
    assertThat(stateful.byResource()).containsOnlyKeys(id("a"), id("b"))
        .containsEntry(id("b"), List.of(b2));
    assertThat(stateful.what()).isEqualTo(s.what());
    assertThat(stateful.endsAtLatest()).isTrue();
    assertThat(notes).containsExactly(
        "skipped the reaction restart of b (t4): reactions are not undone",
        "skipped the reaction flush of c (t4): reactions are not undone");
  }
}
