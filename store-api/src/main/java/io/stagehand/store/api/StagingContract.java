package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.StagingConflictException;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Change;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.StagingReceipt;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.Store;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Staging through the public API: diffs, propagation, discard, positions and conflicts. */
public abstract class StagingContract extends ContractSupport {
  protected StagingContract(Supplier<Store> factory) {
    super(factory);
  }

  private static ResourceId id(String name) {
    return ResourceId.of(name);
  }

  private static List<String> render(Diff d) {
    return d.changes().stream().map(d::render).toList();
  }

  @Test
  @DisplayName("a new resource is staged as RUN with every input going from None to its value")
  void createIsRun() {
    orchestrator.stage(Edit.create("k1", "keystone", Map.of("ip", "10.20.0.2", "port", 5000)));
    assertThat(orchestrator.staged()).singleElement().satisfies(d -> {
      assertThat(d.action()).contains(Action.RUN);
      assertThat(render(d)).containsExactly("ip: None -> \"10.20.0.2\"", "port: None -> 5000");
      assertThat(d.ownChanges()).hasSize(2);
    });
    assertThat(orchestrator.appliedState().isEmpty()).isTrue();
    assertThat(orchestrator.desiredState().get("k1").orElseThrow().resolvedInputs())
        .containsEntry("port", Value.of(5000));
  }

  @Test
  @DisplayName("staging an emitter's input also shows the derived change of everything downstream")
  void propagationThroughConnections() {
    stage("create node1 node ip=\"10.0.0.1\"",
        "create keystone1 keystone port=5000",
        "create haproxy haproxy",
        "connect node1.ip -> keystone1.ip",
        "connect keystone1.ip -> haproxy.backends[]");
    markApplied();
    assertThat(orchestrator.staged()).isEmpty();
    assertThat(orchestrator.appliedState().get("haproxy").orElseThrow().resolvedInputs())
        .containsEntry("backends", Value.list(Value.of("10.0.0.1")));

    stage("set node1 ip=\"10.0.0.9\"");
    List<Diff> staged = orchestrator.staged();
    assertThat(staged).extracting(Diff::resource).containsExactly(id("haproxy"), id("keystone1"), id("node1"));
    assertThat(staged).allSatisfy(d -> assertThat(d.action()).contains(Action.UPDATE));
    assertThat(render(staged.get(0))).containsExactly("backends: [\"10.0.0.1\"] -> [\"10.0.0.9\"]");
    assertThat(render(staged.get(1))).containsExactly("ip: \"10.0.0.1\" -> \"10.0.0.9\"");
    assertThat(staged.get(1).ownChanges()).isEmpty();
    assertThat(orchestrator.stagedEntries()).hasSize(1);
  }

  @Test
  @DisplayName("a collecting input lists its emitters' values ordered by emitter id, whatever the staging order")
  void collectingOrder() {
    stage("create lb haproxy",
        "create k3 keystone ip=\"10.0.0.3\"",
        "create k1 keystone ip=\"10.0.0.1\"",
        "create k2 keystone ip=\"10.0.0.2\"",
        "connect k3.ip -> lb.backends[]",
        "connect k1.ip -> lb.backends[]",
        "connect k2.ip -> lb.backends[]");
    assertThat(orchestrator.desiredState().get("lb").orElseThrow().resolvedInputs().get("backends"))
        .isEqualTo(Value.parse("[\"10.0.0.1\",\"10.0.0.2\",\"10.0.0.3\"]"));
  }

  @Test
  @DisplayName("removing a resource drops every connection touching it and updates its receivers")
  void removeDropsConnections() {
    stage("create n1 node ip=\"10.0.0.1\"", "create k1 keystone", "create lb haproxy",
        "connect n1.ip -> k1.ip", "connect k1.ip -> lb.backends[]");
    markApplied();
    stage("remove k1");
    List<Diff> staged = orchestrator.staged();
    assertThat(staged).extracting(Diff::resource).containsExactly(id("k1"), id("lb"));
    Diff k1 = staged.get(0);
    assertThat(k1.action()).contains(Action.REMOVE);
    assertThat(k1.connectionsBefore()).hasSize(2);
    assertThat(k1.connectionsAfter()).isEmpty();
    assertThat(render(staged.get(1))).containsExactly("backends: [\"10.0.0.1\"] -> None");
    assertThat(orchestrator.desiredState().connections()).isEmpty();
  }

  @Test
  @DisplayName("disconnecting leaves the receiver's input absent and re-setting it by hand is allowed")
  void disconnectThenSet() {
    stage("create n1 node ip=\"10.0.0.1\"", "create k1 keystone", "connect n1.ip -> k1.ip");
    markApplied();
    stage("disconnect n1.ip -> k1.ip", "set k1 ip=\"192.168.0.1\"");
    Diff k1 = orchestrator.staged(id("k1")).orElseThrow();
    assertThat(render(k1)).containsExactly("ip: \"10.0.0.1\" -> \"192.168.0.1\"");
    assertThat(k1.connectionChanges()).containsExactly(io.stagehand.core.model.Connection.of("n1.ip", "k1.ip"));
    assertThat(orchestrator.staged(id("n1"))).isEmpty();
  }

  @Test
  @DisplayName("a connection change alone is an UPDATE of the receiver, never of the emitter")
  void connectionBelongsToReceiver() {
    stage("create a svc x=1", "create b svc");
    markApplied();
    stage("connect a.x -> b.y");
    assertThat(orchestrator.staged()).extracting(Diff::resource).containsExactly(id("b"));
  }

  @Test
  @DisplayName("staging back to the applied value leaves nothing staged")
  void netDiffCanBeEmpty() {
    stage("create a svc x=1");
    markApplied();
    stage("set a x=2", "set a x=1.0");
    assertThat(orchestrator.staged()).isEmpty();
    assertThat(orchestrator.stagedEntries()).hasSize(2);
  }

  @Test
  @DisplayName("every staged entry carries a sequence number and the position never goes back")
  void sequenceNumbers() {
    StagingReceipt first = orchestrator.stage(Edit.create("a", "svc"), Edit.create("b", "svc"));
    assertThat(first.entries()).extracting(StagedEntry::sequence).containsExactly(1L, 2L);
    assertThat(first.position()).isEqualTo(2);
    orchestrator.discard();
    StagingReceipt second = orchestrator.stage(Edit.create("c", "svc"));
    assertThat(second.entries()).extracting(StagedEntry::sequence).containsExactly(3L);
    assertThat(orchestrator.stagedPosition()).isEqualTo(3);
  }

  @Test
  @DisplayName("discard drops one resource's staged edits or all of them")
  void discard() {
    stage("create web1 nginx port=80", "create web2 nginx port=8080");
    orchestrator.discard(id("web2"));
    assertThat(orchestrator.staged()).extracting(Diff::resource).containsExactly(id("web1"));
    orchestrator.discard();
    assertThat(orchestrator.staged()).isEmpty();
    assertThat(orchestrator.stagedEntries()).isEmpty();
  }

  @Test
  @DisplayName("discarding a resource that another resource's staged edits depend on is refused and names it")
  void discardRefusedWhenDepended() {
    stage("create a svc x=1", "create b svc", "connect a.x -> b.y");
    assertRefusedUnchanged(() -> orchestrator.discard(id("a")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("discard b too");
    orchestrator.discard(id("a"), id("b"));
    assertThat(orchestrator.stagedEntries()).isEmpty();
  }

  @Test
  @DisplayName("staging at a stale position is refused only when the newer entries touch the same resources")
  void optimisticConcurrency() {
    long seen = orchestrator.stagedPosition();
    stage("create a svc x=1");
    orchestrator.stageAt(seen, List.of(Edit.create("b", "svc")));
    assertRefusedUnchanged(() -> orchestrator.stageAt(seen, List.of(Edit.set("a", "x", 2))))
        .isInstanceOf(StagingConflictException.class)
        .hasMessageContaining("1 (create a svc)");
    orchestrator.stageAt(orchestrator.stagedPosition(), List.of(Edit.set("a", "x", 2)));
    assertThat(orchestrator.desiredState().get("a").orElseThrow().ownInputs()).containsEntry("x", Value.of(2));
  }

  @Test
  @DisplayName("a pending resource with no staged entry still shows its difference")
  void pendingResourcesAreVisited() {
    stage("create n1 node ip=\"10.0.0.1\"", "create k1 keystone", "connect n1.ip -> k1.ip");
    markApplied();
    // Simulate an apply in which n1's change committed but k1's action failed.
    store.write(w -> {
      var n1 = w.state().get(id("n1")).orElseThrow();
      var changed = io.stagehand.core.model.Resource.builder().from(n1)
          .ownInputs(Map.of("ip", Value.of("10.0.0.2")))
          .resolvedInputs(Map.of("ip", Value.of("10.0.0.2")))
          .build();
      w.putResource(changed);
      w.addPending(Set.of(id("k1")));
      return null;
    });
    assertThat(orchestrator.stagedEntries()).isEmpty();
    assertThat(orchestrator.staged()).singleElement().satisfies(d -> {
      assertThat(d.resource()).isEqualTo(id("k1"));
      assertThat(d.changes()).containsExactly(
          new Change("ip", java.util.Optional.of(Value.of("10.0.0.1")), java.util.Optional.of(Value.of("10.0.0.2"))));
    });
  }

  @Test
  @DisplayName("sensitive inputs print as (sensitive) in staged diffs and edits")
  void sensitiveInputs() {
    orchestrator.stage(Edit.create("db", "postgres", Map.of("password", "s3cret", "port", 5432), Set.of("password")));
    Diff d = orchestrator.staged().get(0);
    assertThat(render(d)).containsExactly("password: None -> (sensitive)", "port: None -> 5432");
    assertThat(orchestrator.stagedEntries().get(0).edit().toString()).doesNotContain("s3cret");
    assertThat(orchestrator.desiredState().render()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName("a plan sees every write since the last staging, whoever made it (the replay is not reused stale)")
  void planSeesOtherWriters() {
    Orchestrator other = with(c -> { });
    orchestrator.stage(Edit.create("a", "svc", Map.of("x", 1)));
    orchestrator.plan(); // the replay may now be kept for the next staging or plan
    other.stage(Edit.create("b", "svc", Map.of("x", 2)));
    assertThat(orchestrator.plan().actions()).extracting(a -> a.resource().name()).containsExactly("a", "b");
    other.discard(id("b"));
    assertThat(orchestrator.plan().actions()).extracting(a -> a.resource().name()).containsExactly("a");
    orchestrator.stage(Edit.create("c", "svc", Map.of("x", 3)));
    assertThatThrownBy(() -> orchestrator.stage(List.of(Edit.create("d", "svc", Map.of("x", 4)),
        Edit.create("a", "svc", Map.of("x", 5))))).isInstanceOf(InvalidInputException.class);
    assertThat(orchestrator.plan().actions()).extracting(a -> a.resource().name()).containsExactly("a", "c");
    markApplied();
    orchestrator.stage(Edit.set("a", "x", 6));
    other.stage(Edit.set("c", "x", 7));
    assertThat(orchestrator.plan().actions()).extracting(a -> a.resource().name()).containsExactly("a", "c");
    assertThat(other.plan().actions()).extracting(a -> a.resource().name()).containsExactly("a", "c");
  }
}
