package io.stagehand.core.internal.history;

import static io.stagehand.core.internal.history.HistoryFixture.id;
import static io.stagehand.core.internal.history.HistoryFixture.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.RollbackConflictException;
import io.stagehand.core.history.RollbackMode;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RollbackEditsTest {
  private final HistoryFixture log = new HistoryFixture();
  /** The desired state the undo starts from. */
  private final Map<ResourceId, Resource> current = new HashMap<>();

  private RollbackEdits.Batch edits(RollbackFindings findings) {
    RollbackTargets t = RollbackTargets.of(UndoSelection.ofTag(log, Tag.of("t2")),
        id -> Optional.ofNullable(current.get(id)));
    t.prune(findings);
    return RollbackEdits.of(t, findings);
  }

  private RollbackFindings findings(RollbackMode mode) {
    return new RollbackFindings(mode, "apply t2", log);
  }

  private static Edit.Create create(String id, Optional<ResourceId> location) {
    return new Edit.Create(id(id), "svc", new TreeMap<>(), new TreeSet<>(), location, new TreeSet<>());
  }

  @Test
  void anUpdateIsUndoneInputByInputInTheOrderThatValidates() {
    Connection kw = Connection.of("k.v", "a.w");
    Connection ju = Connection.of("j.v", "a.u");
    Event dep = Event.dependsOn("a", "k");
    Resource was = svc("a", "x", 5, "z", 3).addLabels("new").addIncoming(ju).build();
    Resource now = svc("a", "x", 1, "y", 2).addLabels("old").location(id("n1")).addIncoming(kw).addEvents(dep)
        .build();
    log.commit("t2", "a", was, now);
    current.put(id("a"), now);
    current.put(id("j"), svc("j", "v", 1).build());
    current.put(id("k"), svc("k", "v", 1).build());
    current.put(id("n1"), svc("n1").build());
    RollbackEdits.Batch batch = edits(findings(RollbackMode.STRICT));
    assertThat(batch.edits()).containsExactly(new Edit.Disconnect(kw), new Edit.RemoveEvent(dep),
        new Edit.UnsetInput(id("a"), "y"), new Edit.SetInput(id("a"), "x", Value.of(5)),
        new Edit.SetInput(id("a"), "z", Value.of(3)), new Edit.Place(id("a"), Optional.empty()),
        new Edit.Label(id("a"), "old", false), new Edit.Label(id("a"), "new", true), new Edit.Connect(ju));
    assertThat(batch.edits()).allSatisfy(e -> assertThat(batch.revertOf(e)).contains(Tag.of("t2")));
    assertThat(batch.revertOf(new Edit.Connect(ju))).isEmpty();
  }

  @Test
  void createsComeFirstRemovesLastAndAConnectionWaitsForTheOneFeedingItsEmitter() {
    Connection cb = Connection.of("c.q", "b.w");
    Connection dc = Connection.of("d.p", "c.q");
    log.commit("t1", "z", null, svc("z").build());
    log.commit("t2", "b", svc("b").addIncoming(cb).build(), null);
    log.commit("t2", "c", svc("c").addIncoming(dc).build(), null);
    log.commit("t2", "z", null, svc("z").build());
    current.put(id("d"), svc("d", "p", 1).build());
    current.put(id("z"), svc("z").build());
    RollbackEdits.Batch batch = edits(findings(RollbackMode.STRICT));
    assertThat(batch.edits()).containsExactly(create("b", Optional.empty()), create("c", Optional.empty()),
        new Edit.Connect(dc), new Edit.Connect(cb), new Edit.Remove(id("z")));
  }

  @Test
  void aResourceNowOfAnotherKindRefusesTheRollbackEvenForced() {
    log.commit("t2", "a", svc("a").build(), svc("a", "x", 1).build());
    current.put(id("a"), Resource.builder().id(id("a")).kind("db").build());
    assertThatThrownBy(() -> edits(findings(RollbackMode.FORCE))).isInstanceOf(RollbackConflictException.class)
        .hasMessage("cannot roll back apply t2: a is now of kind db but was svc; remove it and apply that first");
  }

  @Test
  void aLocationGoneRefusesUnlessForcedAndThenTheResourceComesBackUnplaced() {
    Resource n1 = svc("n1").build();
    log.commit("t1", "n1", null, n1);
    log.commit("t2", "a", svc("a").location(id("n1")).build(), null);
    log.commit("t3", "n1", n1, null);
    assertThatThrownBy(() -> edits(findings(RollbackMode.STRICT))).hasMessage("cannot roll back apply t2: restoring"
        + " a's location needs n1, which no longer exists (removed by t3, 3). Widen the rollback (revert the later"
        + " applies too, or use rollbackTo), or force it");
    RollbackFindings forced = findings(RollbackMode.FORCE);
    assertThat(edits(forced).edits()).containsExactly(create("a", Optional.empty()));
    assertThat(forced.notes()).containsExactly(
        "left out: restoring a's location needs n1, which no longer exists (removed by t3, 3)");
  }

  @Test
  void anEventWhoseSourceIsGoneIsLeftOutInAnyMode() {
    Event dep = Event.dependsOn("a", "k");
    Event kept = Event.dependsOn("a", "j");
    log.commit("t2", "a", svc("a").addEvents(dep, kept).build(), null);
    current.put(id("j"), svc("j").build());
    RollbackFindings strict = findings(RollbackMode.STRICT);
    assertThat(edits(strict).edits()).containsExactly(create("a", Optional.empty()), new Edit.AddEvent(kept));
    assertThat(strict.notes()).containsExactly(
        "left out: restoring the event " + dep + " needs k, which no longer exists");
  }

  @Test
  void nothingToUndoMakesNoEdits() {
    log.commit("t2", "a", null, svc("a").build());
    assertThat(edits(findings(RollbackMode.STRICT)).isEmpty()).isTrue();
  }
}
