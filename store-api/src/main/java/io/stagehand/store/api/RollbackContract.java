package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.RollbackConflictException;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.HistoryPage;
import io.stagehand.core.history.Rollback;
import io.stagehand.core.history.RollbackMode;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.Store;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** History and rollback through the public API, the same on both commit-log variants. */
public abstract class RollbackContract extends ContractSupport {
  private Orchestrator stagehand;

  protected RollbackContract(Supplier<Store> factory) {
    super(factory);
  }

  private static ResourceId id(String name) {
    return ResourceId.of(name);
  }

  @BeforeEach
  void keystoneMove() {
    stagehand = with(c -> { });
    stage(KEYSTONE_DEPLOYMENT);
    apply("t1");
    stage(KEYSTONE_MOVE);
    apply("t2");
  }

  private List<String> apply(String tag) {
    // one at a time in plan order, so that commit order (and so history) is deterministic
    return stagehand.apply(ApplyOptions.builder().tag(tag).parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build())
        .results().stream()
        .map(ActionResult::toString).toList();
  }

  private Commit last(String resource) {
    List<Commit> chain = stagehand.history(id(resource));
    return chain.get(chain.size() - 1);
  }

  @Test
  @DisplayName("reverting the Keystone move's apply plans RUN keystone1, UPDATE haproxy, REMOVE keystone2 and restores t1")
  void revertKeystoneMove() {
    DeploymentState t1 = stagehand.stateAt(Tag.of("t1"));
    Rollback rollback = stagehand.revert(Tag.of("t2"));
    assertThat(rollback.staged()).extracting(d -> d.resource() + " " + d.action().orElseThrow())
        .containsExactly("haproxy UPDATE", "keystone1 RUN", "keystone2 REMOVE");
    assertThat(rollback.entries()).allSatisfy(e -> assertThat(e.revertOf()).contains(Tag.of("t2")));
    assertThat(stagehand.plan().render()).isEqualTo("""
        [1] RUN keystone1
        [2] UPDATE haproxy after keystone1
        [3] REMOVE keystone2 after haproxy""");
    assertThat(apply("t3")).containsExactly("RUN keystone1 ok", "UPDATE haproxy ok", "REMOVE keystone2 ok");
    assertThat(stagehand.appliedState()).isEqualTo(t1);
    assertThat(stagehand.history(Tag.of("t3"))).allSatisfy(c -> assertThat(c.revertOf()).contains(Tag.of("t2")));
  }

  @Test
  @DisplayName("reverting one removal restores the resource and its saved connections; receivers follow")
  void revertOneRemoval() {
    Commit removal = last("keystone1");
    assertThat(removal.action()).isEqualTo(Action.REMOVE);
    Rollback rollback = stagehand.revert(removal.position());
    assertThat(rollback.staged()).extracting(d -> d.resource() + " " + d.action().orElseThrow())
        .containsExactly("haproxy UPDATE", "keystone1 RUN");
    Diff haproxy = rollback.staged().get(0);
    assertThat(haproxy.changes()).extracting(Object::toString)
        .containsExactly("backends: [\"10.0.0.2\"] -> [\"10.0.0.1\",\"10.0.0.2\"]");
    assertThat(apply("t3")).containsExactly("RUN keystone1 ok", "UPDATE haproxy ok");
    assertThat(stagehand.appliedState().connections()).extracting(Object::toString).containsExactly(
        "keystone1.ip -> haproxy.backends[]", "keystone2.ip -> haproxy.backends[]",
        "node1.ip -> keystone1.ip", "node2.ip -> keystone2.ip");
    assertThat(last("keystone1").revertOf()).contains(Tag.of("t2"));
    assertThat(last("haproxy").revertOf()).contains(Tag.of("t2"));
  }

  @Test
  @DisplayName("revertResource undoes a resource's last commits; its dependents follow through connections")
  void revertResourceSteps() {
    stage("set node2 ip=\"10.0.0.22\"");
    apply("t3");
    stage("set node2 ip=\"10.0.0.23\"");
    apply("t4");
    assertThat(stagehand.appliedState().get("haproxy").orElseThrow().resolvedInputs().get("backends"))
        .isEqualTo(Value.parse("[\"10.0.0.23\"]"));
    stagehand.revertResource(id("node2"), 2);
    assertThat(apply("t5")).containsExactly("UPDATE node2 ok", "UPDATE keystone2 ok", "UPDATE haproxy ok");
    assertThat(stagehand.appliedState().get("haproxy").orElseThrow().resolvedInputs().get("backends"))
        .isEqualTo(Value.parse("[\"10.0.0.2\"]"));
    assertRefusedUnchanged(() -> stagehand.revertResource(id("node2"), 9))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("it has 4");
    assertRefusedUnchanged(() -> stagehand.revertResource(id("ghost"), 1))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("never applied");
  }

  @Test
  @DisplayName("undoing a commit whose resource changed later is refused, naming the later commit; force overrides")
  void laterChangesConflict() {
    Commit first = stagehand.history(id("node2")).get(0);
    Commit t2haproxy = last("haproxy");
    stage("set node2 ip=\"10.0.0.22\"");
    apply("t3");
    assertRefusedUnchanged(() -> stagehand.revert(t2haproxy.position()))
        .isInstanceOf(RollbackConflictException.class)
        .hasMessageContaining("haproxy changed again later: t3 UPDATE haproxy")
        .hasMessageContaining("force");
    assertRefusedUnchanged(() -> stagehand.revert(Tag.of("t1")))
        .isInstanceOf(RollbackConflictException.class)
        .hasMessageContaining("node2 changed again later: t3 UPDATE node2");
    Rollback forced = stagehand.revert(first.position(), RollbackMode.FORCE);
    assertThat(forced.notes()).singleElement().asString().contains("forced over later changes");
    assertThat(forced.staged()).extracting(d -> d.resource() + " " + d.action().orElseThrow())
        .containsExactly("haproxy UPDATE", "keystone2 UPDATE", "node2 REMOVE");
  }

  @Test
  @DisplayName("a restore that needs a resource that no longer exists is refused, naming it; force leaves it out")
  void missingResourceConflict() {
    stage("remove node2", "remove keystone2");
    apply("t3");
    Commit k2removal = last("keystone2");
    stage("set haproxy maxconn=10");
    apply("t4");
    StoreSnapshot before = StoreSnapshot.of(store);
    assertRefusedUnchanged(() -> stagehand.revert(k2removal.position()))
        .isInstanceOf(RollbackConflictException.class)
        .hasMessageContaining("restoring node2.ip -> keystone2.ip needs node2, which no longer exists (removed by t3");
    assertThat(StoreSnapshot.of(store)).isEqualTo(before);
    Rollback forced = stagehand.revert(k2removal.position(), RollbackMode.FORCE);
    assertThat(forced.notes()).containsExactly(
        "left out: restoring node2.ip -> keystone2.ip needs node2, which no longer exists (removed by t3, "
            + last("node2").position() + ")",
        "left out: restoring keystone2.ip -> haproxy.backends[] needs keystone2.ip, which would have no value to give");
    apply("t5");
    assertThat(stagehand.appliedState().get("keystone2").orElseThrow().resolvedInputs())
        .containsOnlyKeys("port");
    assertThat(stagehand.appliedState().get("haproxy").orElseThrow().resolvedInputs())
        .doesNotContainKey("backends");
  }

  @Test
  @DisplayName("a rollback refuses to start while changes are staged for the resources it touches")
  void refusedWhileStaged() {
    stage("set node1 ip=\"10.9.9.9\"", "set haproxy maxconn=5");
    assertRefusedUnchanged(() -> stagehand.revert(Tag.of("t2")))
        .isInstanceOf(RollbackConflictException.class)
        .hasMessageContaining("changes are staged for haproxy; discard or apply them first");
    stagehand.discard(id("haproxy"));
    assertThat(stagehand.revert(Tag.of("t2")).isEmpty()).isFalse();
  }

  @Test
  @DisplayName("unknown tags and positions are refused with what exists")
  void unknownTargets() {
    assertRefusedUnchanged(() -> stagehand.revert(Tag.of("nope")))
        .isInstanceOf(InvalidInputException.class).hasMessage("there is no apply tagged nope (latest: t1, t2)");
    assertRefusedUnchanged(() -> stagehand.rollbackTo(Tag.of("nope")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("there is no apply tagged nope");
    assertRefusedUnchanged(() -> stagehand.stateAt(Tag.of("nope"))).isInstanceOf(InvalidInputException.class);
    CommitPosition missing = store.commitLogVariant() == CommitLogVariant.GLOBAL
        ? CommitPosition.global(99) : CommitPosition.of(id("haproxy"), 99);
    assertRefusedUnchanged(() -> stagehand.revert(missing))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("there is no commit at position " + missing);
  }

  @Test
  @DisplayName("rollbackTo undoes every later apply, newest first, and gives stateAt")
  void rollbackTo() {
    stage("set node1 ip=\"10.0.0.11\"");
    apply("t3");
    DeploymentState atT1 = stagehand.stateAt(Tag.of("t1"));
    stagehand.rollbackTo(Tag.of("t1"));
    apply("t4");
    assertThat(stagehand.appliedState()).isEqualTo(atT1);
    assertThat(stagehand.history(Tag.of("t4"))).extracting(c -> c.resource() + " " + c.revertOf().orElseThrow())
        .containsExactly("node1 t3", "keystone1 t2", "haproxy t2", "keystone2 t2");
    assertThat(stagehand.plan().isEmpty()).isTrue();
    assertThat(stagehand.rollbackTo(Tag.of("t4")).isEmpty()).isTrue();
  }

  @Test
  @DisplayName("stateAt a commit position is the state right after that commit")
  void stateAtPosition() {
    List<Commit> t2 = stagehand.history(Tag.of("t2"));
    DeploymentState afterFirst = stagehand.stateAt(t2.get(0).position());
    assertThat(afterFirst.get("keystone2")).isPresent();
    assertThat(afterFirst.get("keystone1")).isPresent();
    assertThat(afterFirst.get("haproxy").orElseThrow().resolvedInputs().get("backends"))
        .isEqualTo(Value.parse("[\"10.0.0.1\"]"));
    assertThat(stagehand.stateAt(t2.get(2).position())).isEqualTo(stagehand.appliedState());
  }

  @Test
  @DisplayName("history reads by resource, by tag and a page at a time, in apply order on both variants")
  void historyQueries() {
    assertThat(stagehand.tags()).containsExactly(Tag.of("t1"), Tag.of("t2"));
    List<Commit> all = stagehand.history();
    assertThat(all).extracting(c -> c.tag() + " " + c.action() + " " + c.resource()).containsExactly(
        "t1 RUN node1", "t1 RUN node2", "t1 RUN keystone1", "t1 RUN haproxy",
        "t2 RUN keystone2", "t2 UPDATE haproxy", "t2 REMOVE keystone1");
    HistoryPage page = stagehand.historyPage(3, 3);
    assertThat(page.commits()).containsExactlyElementsOf(all.subList(3, 6));
    assertThat(page.total()).isEqualTo(7);
    assertThat(page.hasMore()).isTrue();
    assertThat(stagehand.historyPage(page.nextOffset(), 3).commits()).containsExactly(all.get(6));
    assertThat(stagehand.history(id("keystone1"))).extracting(Commit::action).containsExactly(Action.RUN, Action.REMOVE);
    assertThat(stagehand.commit(all.get(5).position())).contains(all.get(5));
    assertThat(all.get(6).diff().connectionsBefore()).hasSize(2);
    assertThat(all).allSatisfy(c -> assertThat(c.revertOf()).isEmpty());
  }
}
