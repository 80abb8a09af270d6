package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InputLimits;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.StoreException;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.plan.Selector;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every bad input is refused with an {@link InvalidInputException} whose message a person can act
 * on, and leaves the store exactly as it was.
 */
public abstract class BadInputContract extends ContractSupport {
  protected BadInputContract(Supplier<Store> factory) {
    super(factory);
  }

  @BeforeEach
  void deployment() {
    stage("create n1 node ip=\"10.0.0.1\"",
        "create k1 keystone port=5000",
        "create lb haproxy",
        "connect n1.ip -> k1.ip",
        "connect k1.ip -> lb.backends[]");
    markApplied();
    stage("create web1 nginx port=80");
  }

  private void refused(String message, String... lines) {
    assertRefusedUnchanged(() -> stage(lines))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message);
  }

  @Test
  @DisplayName("values over the limits are refused at staging, the same on every store, and nothing of the batch is staged")
  void valuesOverTheLimits() {
    String deep = "[".repeat(999) + "]".repeat(999);
    refused("nested more than " + InputLimits.MAX_DEPTH, "set web1 port=1", "set web1 cfg=" + deep);
    refused("magnitude", "create x svc n=1e200000");
    refused("out of range", "create x svc n=1e2147483648");
    refused("nested", "create x svc deep=" + "[".repeat(100_000));
    Value tooDeep = Value.of(1);
    for (int i = 0; i <= InputLimits.MAX_DEPTH; i++) {
      tooDeep = Value.list(tooDeep);
    }
    Value built = tooDeep;
    assertRefusedUnchanged(() -> orchestrator.stage(Edit.set("web1", "port", 1), Edit.set("web1", "cfg", built)))
        .isInstanceOf(InvalidInputException.class);
    assertRefusedUnchanged(() -> orchestrator.stage(
        Edit.set("web1", "name", "x".repeat(InputLimits.MAX_STRING_LENGTH + 1))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("the limit is");
    // at the limits, values stage and read back equal
    Value deepest = Value.of("end");
    for (int i = 0; i < InputLimits.MAX_DEPTH; i++) {
      deepest = Value.list(deepest);
    }
    Value big = Value.parse("-1." + "2".repeat(InputLimits.MAX_NUMBER_DIGITS - 1) + "e1000");
    Value small = Value.parse("1e-1000");
    orchestrator.stage(Edit.set("web1", "deep", deepest), Edit.set("web1", "big", big),
        Edit.set("web1", "small", small));
    assertThat(orchestrator.desiredState().get(ResourceId.of("web1")).orElseThrow().ownInputs())
        .containsEntry("deep", deepest).containsEntry("big", big).containsEntry("small", small);
  }

  @Test
  @DisplayName("ids with dots, spaces or nothing at all are refused, naming the rule")
  void invalidIds() {
    for (String bad : List.of("bad.id", "", "a b", "x".repeat(201), "ü")) {
      assertRefusedUnchanged(() -> orchestrator.stage(Edit.create(bad, "nginx")))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("invalid resource id")
          .hasMessageContaining("ASCII letters, digits");
    }
    refused("invalid resource id: character 4 is not allowed", "set web1 port=443", "create bad.id nginx");
    refused("invalid input name", "set web1 por.t=1");
    assertThat(ResourceId.of("x".repeat(200)).name()).hasSize(200);
  }

  @Test
  @DisplayName("removing a location that still hosts resources is refused, naming them, unless they go or move too")
  void removingAnOccupiedLocation() {
    stage("create n2 node", "create web2 nginx", "place web1 n1", "place web2 n1");
    markApplied();
    refused("cannot remove n1: it is the location of web1, web2; remove or move them in the same batch",
        "remove n1");
    refused("cannot remove n1: it is the location of web2", "remove web1", "remove n1");
    stage("remove web1", "place web2 n2", "remove n1");
    assertThat(orchestrator.desiredState().get("n1")).isEmpty();
    refused("cannot remove n2: it is the location of web2", "remove n2");
    stage("create web3 nginx @n2");
    refused("cannot remove n2: it is the location of web2, web3", "remove n2");
  }

  @Test
  @DisplayName("a kind change takes two applies: a create of an id whose removal is staged is refused")
  void kindChangeNeedsTheRemovalApplied() {
    refused("cannot create k1: its removal is staged; apply or discard the removal", "remove k1",
        "create k1 keystone-v2");
  }

  @Test
  @DisplayName("creating a resource that exists (applied or staged) is refused")
  void duplicateCreate() {
    refused("cannot create k1: a resource k1 already exists", "create k1 keystone");
    refused("cannot create web1: a resource web1 already exists", "create web1 nginx port=81");
    refused("cannot create x: a resource x already exists", "create x svc", "create x svc");
  }

  @Test
  @DisplayName("edits of unknown resources or inputs are refused, naming them")
  void unknownResourcesAndInputs() {
    refused("cannot set ghost.x: there is no resource ghost", "set ghost x=1");
    refused("cannot unset ghost.x: there is no resource ghost", "unset ghost x");
    refused("cannot remove ghost: there is no resource ghost", "remove ghost");
    refused("k1 has no own input nope", "unset k1 nope");
    refused("cannot connect ghost.ip -> k1.x: there is no resource ghost", "connect ghost.ip -> k1.x");
    refused("cannot connect n1.ip -> ghost.x: there is no resource ghost", "connect n1.ip -> ghost.x");
    refused("n1 has no input nope", "connect n1.nope -> web1.x");
    refused("there is no such connection", "disconnect n1.ip -> web1.ip");
    refused("there is no resource k1", "remove k1", "set k1 port=1");
  }

  @Test
  @DisplayName("a connected input cannot be set by hand, nor a hand-set input connected")
  void connectedVersusOwn() {
    refused("cannot set k1.ip: it is connected from n1.ip; disconnect it first", "set k1 ip=\"1.1.1.1\"");
    refused("it is connected; disconnect it instead", "unset k1 ip");
    refused("cannot connect n1.ip -> web1.port: web1.port is set by hand", "connect n1.ip -> web1.port");
  }

  @Test
  @DisplayName("a plain input takes one connection; duplicates and mixing plain with collecting are refused")
  void connectionShapes() {
    stage("create n2 node ip=\"10.0.0.2\"");
    refused("k1.ip already has a connection (n1.ip -> k1.ip)", "connect n2.ip -> k1.ip");
    refused("n1.ip -> k1.ip is already connected", "connect n1.ip -> k1.ip");
    refused("k1.ip -> lb.backends[] is already connected", "connect k1.ip -> lb.backends[]");
    refused("plain and collecting connections cannot share one input", "connect n2.ip -> lb.backends");
    refused("plain and collecting connections cannot share one input", "connect n2.ip -> k1.ip[]");
  }

  @Test
  @DisplayName("a cycle at the resource level is refused and the error names it")
  void cycles() {
    refused("it would make a cycle lb -> n1 -> k1 -> lb", "connect lb.backends -> n1.extra");
    refused("it would make a cycle k1 -> k1", "connect k1.port -> k1.other");
    refused("it would make a cycle", "create a svc x=1", "create b svc y=2",
        "connect a.x -> b.in", "connect b.y -> a.in");
  }

  @Test
  @DisplayName("values that are not JSON-like are refused: NaN, infinities, nulls, non-string keys")
  void valuesThatAreNotJsonLike() {
    List<Object> bad = new ArrayList<>();
    bad.add(Double.NaN);
    bad.add(Double.POSITIVE_INFINITY);
    bad.add(Float.NEGATIVE_INFINITY);
    bad.add(Arrays.asList("a", null));
    Map<String, Object> nullValue = new HashMap<>();
    nullValue.put("k", null);
    bad.add(nullValue);
    bad.add(Map.of(1, "one"));
    bad.add(new Object());
    for (Object value : bad) {
      assertRefusedUnchanged(() -> orchestrator.stage(Edit.set("web1", "port", value)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("web1.port");
    }
    assertRefusedUnchanged(() -> orchestrator.stage(Edit.set("web1", "port", null)))
        .isInstanceOf(InvalidInputException.class);
    for (String json : List.of("null", "[1,null]", "{\"a\":null}", "NaN", "{1:2}", "[1,", "\"open")) {
      assertRefusedUnchanged(() -> stage("set web1 port=" + json))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("invalid JSON value");
    }
    assertThat(Value.from(List.of(1, 2.5, Map.of("k", true)))).hasToString("[1,2.5,{\"k\":true}]");
  }

  @Test
  @DisplayName("a batch is atomic: one bad edit anywhere rejects the whole batch")
  void batchesAreAtomic() {
    refused("there is no resource ghost", "create ok1 svc", "set web1 port=81", "connect ok1.x -> ghost.y");
    assertThat(orchestrator.desiredState().get("ok1")).isEmpty();
    assertThat(orchestrator.stagedEntries()).hasSize(1);
  }

  @Test
  @DisplayName("placement, labels, events and keyed connections refuse bad edits, naming them")
  void newerEditsRefuseBadInput() {
    refused("its location ghost does not exist", "place web1 ghost");
    refused("cannot unlabel web1 web: web1 has no label web", "unlabel web1 web");
    refused("cannot undepend web1 after k1: there is no such event", "undepend web1 after k1");
    stage("depend web1 after k1");
    refused("the event already exists", "depend web1 after k1");
    refused("it would make a cycle", "depend k1 after k1");
    refused("invalid trigger", "react k1 UP.DATE -> web1 restart");
    refused("write <emitter>.<input> -> <receiver>.<input>", "connect n1.ip -> web1.a.b.c");
    refused("an input is fed either whole or key by key", "connect n1.ip -> lb.backends[].server");
    for (String bad : List.of("", "a.b", "label:")) {
      assertThatThrownBy(() -> io.stagehand.core.plan.Selector.parse(bad)).isInstanceOf(InvalidInputException.class);
    }
    assertThatThrownBy(() -> io.stagehand.core.ApplyOptions.builder().maxPerLocation(0).putMaxPerKind("svc", 0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("maxPerLocation must be at least 1")
        .hasMessageContaining("maxPerKind for svc must be at least 1");
  }

  @Test
  @DisplayName("kinds must be printable words")
  void badKinds() {
    assertRefusedUnchanged(() -> orchestrator.stage(Edit.create("x", "two words")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the kind must be 1-200 characters without spaces")
        .hasMessageNotContaining("two words");
    assertRefusedUnchanged(() -> orchestrator.stage(Edit.create("x", "")))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  @DisplayName("a staged log changed outside Stagehand into a connection cycle is reported, not looped on")
  void tamperedCycleIsReported() {
    long at = store.read(r -> r.staged().position());
    // staging refuses the second connection; written straight into the store, it closes a cycle
    store.write(w -> {
      w.appendStaged(List.of(
          new StagedEntry(at + 1, Edit.create("c1", "svc", Map.of("x", 1))),
          new StagedEntry(at + 2, Edit.create("c2", "svc", Map.of("y", 2))),
          new StagedEntry(at + 3, Edit.connect("c1.x", "c2.x")),
          new StagedEntry(at + 4, Edit.connect("c2.y", "c1.y"))));
      return null;
    });
    assertThatThrownBy(() -> orchestrator.plan())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("connection cycle through")
        .hasMessageContaining("changed outside Stagehand");
  }
}
