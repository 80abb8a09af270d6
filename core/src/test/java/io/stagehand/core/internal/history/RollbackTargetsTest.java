package io.stagehand.core.internal.history;

import static io.stagehand.core.internal.history.HistoryFixture.id;
import static io.stagehand.core.internal.history.HistoryFixture.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.history.RollbackMode;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollbackTargetsTest {
  private final HistoryFixture log = new HistoryFixture();
  /** The desired state the undo starts from. */
  private final Map<ResourceId, Resource> current = new HashMap<>();

  private RollbackTargets targets(String tag) {
    return RollbackTargets.of(UndoSelection.ofTag(log, Tag.of(tag)), id -> Optional.ofNullable(current.get(id)));
  }

  private static RollbackFindings findings(RollbackMode mode, HistoryFixture log) {
    return new RollbackFindings(mode, "apply t2", log);
  }

  @Test
  void eachResourceReturnsToItsStateBeforeItsEarliestCommitUndone() {
    Resource a1 = svc("a", "x", 1).build();
    log.commit("t1", "a", null, a1);
    log.commit("t2", "a", a1, svc("a", "x", 2).build());
    log.commit("t2", "a", svc("a", "x", 2).build(), svc("a", "x", 3).build());
    log.commit("t2", "n", null, svc("n").build());
    RollbackTargets t = targets("t2");
    assertThat(t.states()).containsEntry(id("a"), Optional.of(a1)).containsEntry(id("n"), Optional.empty());
    assertThat(t.tagOf(id("a"))).isEqualTo(Tag.of("t2"));
    assertThat(t.touched()).containsExactly(id("a"), id("n"));
    current.put(id("q"), svc("q").build());
    assertThat(t.willExist(id("a"))).isTrue();
    assertThat(t.willExist(id("n"))).isFalse();
    assertThat(t.willExist(id("q"))).isTrue();
  }

  /** Removes {@code a}, which fed {@code b}: undoing that reconnects b, which the undo leaves. */
  private Connection removalOfAnEmitter() {
    Connection c = Connection.of("a.x", "b.y");
    Resource a = svc("a", "x", 1).build();
    log.commit("t1", "a", null, a);
    log.commit("t1", "b", null, svc("b").addIncoming(c).build());
    log.commit("t2", "a", a, null, c);
    return c;
  }

  @Test
  void undoingARemovalReconnectsReceiversLeftAsTheyAre() {
    Connection c = removalOfAnEmitter();
    current.put(id("b"), svc("b").build());
    RollbackTargets t = targets("t2");
    assertThat(t.touched()).containsExactly(id("a"), id("b"));
    assertThat(t.tagOf(c)).isEqualTo(Tag.of("t2"));
    RollbackFindings f = findings(RollbackMode.STRICT, log);
    t.prune(f);
    assertThat(t.restoredInto()).containsExactly(c);
    assertThat(f.hasConflicts()).isFalse();
  }

  @Test
  void aReceiverThatHasTheConnectionAlreadyNeedsNoReconnecting() {
    removalOfAnEmitter();
    current.put(id("b"), svc("b").addIncoming(Connection.of("a.x", "b.y")).build());
    RollbackTargets t = targets("t2");
    RollbackFindings f = findings(RollbackMode.STRICT, log);
    t.prune(f);
    assertThat(t.restoredInto()).isEmpty();
    assertThat(f.hasConflicts()).isFalse();
  }

  @Test
  void aReceiverInputNowSetByHandIsNotReconnected() {
    removalOfAnEmitter();
    current.put(id("b"), svc("b", "y", 5).build());
    RollbackTargets strict = targets("t2");
    RollbackFindings f = findings(RollbackMode.STRICT, log);
    strict.prune(f);
    assertThatThrownBy(f::refuseOnConflicts).hasMessageContaining(
        ": restoring a.x -> b.y needs b.y, which is now set by hand. Widen");
    RollbackTargets forced = targets("t2");
    RollbackFindings g = findings(RollbackMode.FORCE, log);
    forced.prune(g);
    assertThat(forced.restoredInto()).isEmpty();
    assertThat(g.notes()).containsExactly("left out: restoring a.x -> b.y needs b.y, which is now set by hand");
  }

  @Test
  void aReceiverInputNowConnectedElsewhereIsNotReconnected() {
    removalOfAnEmitter();
    current.put(id("k"), svc("k", "v", 1).build());
    current.put(id("b"), svc("b").addIncoming(Connection.of("k.v", "b.y")).build());
    RollbackFindings f = findings(RollbackMode.FORCE, log);
    targets("t2").prune(f);
    assertThat(f.notes()).containsExactly("left out: restoring a.x -> b.y needs b.y, which is now connected elsewhere");
  }

  @Test
  void connectionsWhoseEmitterIsGoneAreDroppedUntilNoneIs() {
    // m's y is fed by e, which a later apply removed; a's z is fed by m's y, so it loses its value too
    Connection ey = Connection.of("e.x", "m.y");
    Connection mz = Connection.of("m.y", "a.z");
    Resource e = svc("e", "x", 1).build();
    log.commit("t1", "e", null, e);
    log.commit("t2", "a", svc("a").addIncoming(mz).build(), svc("a").build());
    log.commit("t2", "m", svc("m").addIncoming(ey).build(), svc("m").build());
    log.commit("t3", "e", e, null);
    current.put(id("a"), svc("a").build());
    current.put(id("m"), svc("m").build());
    RollbackTargets t = targets("t2");
    RollbackFindings f = findings(RollbackMode.FORCE, log);
    t.prune(f);
    assertThat(t.states().get(id("m")).orElseThrow().incoming()).isEmpty();
    assertThat(t.states().get(id("a")).orElseThrow().incoming()).isEmpty();
    assertThat(f.notes()).containsExactly(
        "left out: restoring e.x -> m.y needs e, which no longer exists (removed by t3, 4)",
        "left out: restoring m.y -> a.z needs m.y, which would have no value to give");
    RollbackFindings strict = findings(RollbackMode.STRICT, log);
    targets("t2").prune(strict);
    assertThatThrownBy(strict::refuseOnConflicts).hasMessage("cannot roll back apply t2: restoring e.x -> m.y needs e,"
        + " which no longer exists (removed by t3, 4). Widen the rollback (revert the later applies too, or use"
        + " rollbackTo), or force it");
  }
}
