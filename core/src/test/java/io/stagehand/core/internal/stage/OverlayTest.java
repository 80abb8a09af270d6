package io.stagehand.core.internal.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

/** The overlay: drafts copied on first write, and the outgoing and event deltas kept in step with them. */
class OverlayTest {
  static final ResourceId A = ResourceId.of("a");
  static final ResourceId B = ResourceId.of("b");
  static final ResourceId C = ResourceId.of("c");
  static final ResourceId N = ResourceId.of("n");
  static final Connection AB = Connection.of("a.ip", "b.ip");
  static final Event B_AFTER_A = Event.dependsOn("b", "a");

  /** n a node; a on n emits its ip to b and comes before b; b on n; c alone. */
  static AppliedFake applied() {
    Resource n = Resource.builder().id(N).kind("node").build();
    Resource a = Resource.builder().id(A).kind("svc").location(N).putOwnInputs("ip", Value.of("10.0.0.1"))
        .putResolvedInputs("ip", Value.of("10.0.0.1")).build();
    Resource b = Resource.builder().id(B).kind("svc").location(N).addIncoming(AB).addEvents(B_AFTER_A)
        .putResolvedInputs("ip", Value.of("10.0.0.1")).build();
    Resource c = Resource.builder().id(C).kind("svc").putOwnInputs("port", Value.of(80))
        .putResolvedInputs("port", Value.of(80)).build();
    return new AppliedFake(n, a, b, c);
  }

  @Test
  void aDraftCopiesOnItsFirstChangeAndBuildsOnlyAfterOne() {
    AppliedFake applied = applied();
    Resource a = applied.get(A).orElseThrow();
    Overlay o = new Overlay(applied, List.of());
    Draft d = o.draft(A);
    assertThat(d.resource()).isSameAs(a);
    assertThat(o.draft(A)).isSameAs(d);

    SortedMap<String, Value> own = d.ownForEdit();
    assertThat(d.ownForEdit()).isSameAs(own);
    own.put("port", Value.of(8080));
    assertThat(a.ownInputs()).containsOnlyKeys("ip");

    Resource built = d.resource();
    assertThat(built.ownInputs()).containsOnlyKeys("ip", "port");
    assertThat(d.resource()).isSameAs(built);
    assertThat(o.definition(A)).containsSame(built);
    assertThat(o.find(A)).isSameAs(d);
    assertThat(applied.get(A)).containsSame(a);
    // an untouched resource is read through to the applied state
    assertThat(o.definition(C)).isEqualTo(applied.get(C));
    assertThat(o.find(C)).isInstanceOf(Definition.Applied.class);
  }

  @Test
  void connectionDeltasCancelAndFollowTheDrafts() {
    AppliedFake applied = applied();
    Overlay o = new Overlay(applied, List.of());
    SortedSet<Connection> base = applied.outgoing(A);
    assertThat(o.outgoing(A)).isSameAs(base);

    o.draft(B).removeIncoming(AB);
    assertThat(o.outgoing(A)).isEmpty();
    assertThat(o.touching(A)).isEmpty();
    assertThat(o.touching(B)).isEmpty();
    o.draft(B).addIncoming(AB);
    // the removal and the addition cancel: no delta is left, and the applied set is read as it is
    assertThat(o.outgoing(A)).isSameAs(base);
    assertThat(o.addedOut(A)).isEmpty();

    Connection ac = Connection.of("a.ip", "c.ip");
    o.draft(C).addIncoming(ac);
    assertThat(o.outgoing(A)).containsExactly(AB, ac);
    assertThat(o.addedOut(A)).containsExactly(ac);
    assertThat(o.touching(A)).containsExactlyInAnyOrder(AB, ac);
    assertThat(o.touching(C)).containsExactly(ac);
    assertThat(applied.outgoing(A)).containsExactly(AB);
    assertThat(applied.get(C).orElseThrow().incoming()).isEmpty();
  }

  @Test
  void eventDeltasCancelAndTellWhatHangsBelow() {
    AppliedFake applied = applied();
    Overlay o = new Overlay(applied, List.of());
    assertThat(o.hasDownstream(A)).isTrue();
    assertThat(o.hasDownstream(C)).isFalse();

    o.draft(B).removeEvent(B_AFTER_A);
    o.draft(B).removeIncoming(AB);
    assertThat(o.eventsFrom(A)).isEmpty();
    assertThat(o.hasDownstream(A)).isFalse();
    o.draft(B).addEvent(B_AFTER_A);
    assertThat(o.eventsFrom(A)).isSameAs(applied.eventsFrom(A));

    Event aAfterC = Event.dependsOn("a", "c");
    o.draft(A).addEvent(aAfterC);
    assertThat(o.eventsFrom(C)).containsExactly(aAfterC);
    assertThat(o.hasDownstream(C)).isTrue();
  }

  @Test
  void aRemovalTakesWhatItEmitsAndWhatItReceives() {
    AppliedFake applied = applied();
    Overlay o = new Overlay(applied, List.of());
    o.remove(o.find(A));
    assertThat(o.find(A)).isNull();
    assertThat(o.definition(A)).isEmpty();
    Resource b = o.definition(B).orElseThrow();
    assertThat(b.incoming()).isEmpty();
    assertThat(b.events()).isEmpty();
    assertThat(b.resolvedInputs()).doesNotContainKey("ip"); // the value a fed goes with the connection
    assertThat(o.seeds()).containsExactly(B, A);

    Overlay other = new Overlay(applied, List.of());
    other.remove(other.find(B));
    assertThat(other.outgoing(A)).isEmpty();
    assertThat(other.eventsFrom(A)).isEmpty();
    assertThat(other.definition(A)).isEqualTo(applied.get(A)); // the emitter itself is not drafted
    assertThat(other.seeds()).containsExactly(B);
  }

  @Test
  void residentsAreTheUnchangedAppliedOnesAndTheOverlaysOwn() {
    Overlay o = new Overlay(applied(), List.of());
    assertThat(o.residents(Set.of(N, C))).isEqualTo(Map.of(N, new java.util.TreeSet<>(Set.of(A, B))));
    o.draft(A).place(Optional.empty());
    o.draft(C).place(Optional.of(N));
    assertThat(o.residents(Set.of(N))).containsOnlyKeys(N);
    assertThat(o.residents(Set.of(N)).get(N)).containsExactly(B, C);
    o.remove(o.find(B));
    assertThat(o.residents(Set.of(N)).get(N)).containsExactly(C);
  }

  @Test
  void seedsKeepTheOrderTheyCameIn() {
    Overlay o = new Overlay(applied(), List.of(C));
    o.draft(B);
    o.create(Resource.builder().id(ResourceId.of("x")).kind("svc").build());
    o.seed(A);
    o.seed(C);
    assertThat(o.seeds()).containsExactly(C, B, ResourceId.of("x"), A);
    assertThat(o.find(ResourceId.of("x"))).isInstanceOf(Draft.class);
  }
}
