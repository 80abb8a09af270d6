package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of staging over random edit batches, checked against {@link ReferenceModel}: staged
 * diffs are exactly "desired minus applied", and a rejected batch leaves the store exactly as it was.
 * A store's test extends this once per commit-log variant.
 */
public abstract class StagingProperties {
  protected StagingProperties() {}

  private static final List<String> IDS = List.of("a", "b", "c", "d", "e");
  private static final List<String> INPUTS = List.of("x", "y", "z");

  /** A new, empty store of the variant under test. */
  protected abstract Store createStore();

  @Property(tries = 150)
  void stagedDiffsAreDesiredMinusApplied(@ForAll("runs") List<List<Edit>> batches) {
    Store store = createStore();
    Orchestrator orchestrator = Orchestrator.of(store);
    ReferenceModel applied = new ReferenceModel();
    ReferenceModel desired = new ReferenceModel();
    int accepted = 0;
    for (int i = 0; i < batches.size(); i++) {
      List<Edit> batch = batches.get(i);
      if (ContractSupport.connectsOutput(orchestrator.desiredState(), batch)) {
        continue;
      }
      StoreSnapshot before = StoreSnapshot.of(store);
      try {
        orchestrator.stage(batch);
      } catch (InvalidInputException rejected) {
        assertThat(rejected.getMessage()).isNotBlank();
        assertThat(StoreSnapshot.of(store)).as("store after a rejected batch").isEqualTo(before);
        continue;
      }
      accepted++;
      batch.forEach(desired::apply);
      desired.checkValid();
      assertThat(render(orchestrator.desiredState().resources())).isEqualTo(render(desired));
      assertThat(stagedLines(orchestrator.staged())).isEqualTo(expectedStaged(applied, desired));
      if (i % 3 == 2) {
        ContractSupport.markApplied(store, orchestrator);
        applied = desired.copy();
        assertThat(orchestrator.staged()).isEmpty();
      }
    }
    net.jqwik.api.statistics.Statistics.label("accepted batches").collect(Math.min(accepted, 4));
    net.jqwik.api.statistics.Statistics.label("accepted batches").coverage(c ->
        c.check(4).percentage((Double p) -> p > 10.0));
  }

  private static List<String> render(Map<ResourceId, Resource> resources) {
    List<String> out = new ArrayList<>();
    resources.values().forEach(r -> out.add(r.id() + " " + r.kind() + " own=" + r.ownInputs()
        + " in=" + r.incoming() + " resolved=" + r.resolvedInputs()));
    return out;
  }

  private static List<String> render(ReferenceModel m) {
    List<String> out = new ArrayList<>();
    var resolved = m.resolved();
    m.defs.forEach((id, d) -> out.add(id + " " + d.kind() + " own=" + d.own() + " in=" + d.incoming()
        + " resolved=" + resolved.get(id)));
    return out;
  }

  private static List<String> stagedLines(List<Diff> diffs) {
    List<String> out = new ArrayList<>();
    for (Diff d : diffs) {
      out.add(d.resource() + " " + d.action().orElseThrow());
      d.changes().forEach(c -> out.add("  " + c));
    }
    return out;
  }

  private static List<String> expectedStaged(ReferenceModel applied, ReferenceModel desired) {
    var before = applied.resolved();
    var after = desired.resolved();
    TreeSet<String> ids = new TreeSet<>(applied.defs.keySet());
    ids.addAll(desired.defs.keySet());
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      ReferenceModel.Def b = applied.defs.get(id);
      ReferenceModel.Def a = desired.defs.get(id);
      String action;
      if (b == null) {
        action = "RUN";
      } else if (a == null) {
        action = "REMOVE";
      } else if (b.equals(a) && before.get(id).equals(after.get(id))) {
        continue;
      } else {
        action = "UPDATE";
      }
      out.add(id + " " + action);
      TreeMap<String, Value> from = b == null ? new TreeMap<>() : before.get(id);
      TreeMap<String, Value> to = a == null ? new TreeMap<>() : after.get(id);
      TreeSet<String> names = new TreeSet<>(from.keySet());
      names.addAll(to.keySet());
      for (String n : names) {
        if (!java.util.Objects.equals(from.get(n), to.get(n))) {
          out.add("  " + n + ": " + show(from.get(n)) + " -> " + show(to.get(n)));
        }
      }
    }
    return out;
  }

  private static String show(Value v) {
    return v == null ? "None" : v.toJson();
  }

  @Provide
  Arbitrary<List<List<Edit>>> runs() {
    Arbitrary<List<Edit>> creates = Arbitraries.subsetOf(IDS).ofMinSize(2)
        .map(ids -> ids.stream().sorted().map(i -> (Edit) Edit.create(i, "svc", Map.of("x", Value.of(1)))).toList());
    Arbitrary<List<List<Edit>>> rest = edit().list().ofMinSize(1).ofMaxSize(2).list().ofMinSize(1).ofMaxSize(12);
    return Combinators.combine(creates, rest).as((first, more) -> {
      List<List<Edit>> all = new ArrayList<>();
      all.add(first);
      all.addAll(more);
      return all;
    });
  }

  static Arbitrary<Edit> edit() {
    Arbitrary<String> id = Arbitraries.of(IDS);
    Arbitrary<String> input = Arbitraries.of(INPUTS);
    Arbitrary<Value> value = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 3).map(Value::of),
        Arbitraries.of("p", "q").map(Value::of));
    Arbitrary<String> emitted = Arbitraries.frequency(net.jqwik.api.Tuple.of(5, "x"), net.jqwik.api.Tuple.of(1, "y"));
    Arbitrary<String> received = Arbitraries.of("y", "z");
    Arbitrary<Connection> connection = Combinators.combine(id, emitted, id, received, Arbitraries.of(true, false))
        .as((e, ei, r, ri, collecting) -> collecting
            ? Connection.collecting(e + "." + ei, r + "." + ri)
            : Connection.of(e + "." + ei, r + "." + ri));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Combinators.combine(id, input, value)
            .as((i, in, v) -> (Edit) Edit.create(i, "svc", Map.of(in, v))
            )),
        net.jqwik.api.Tuple.of(3, Combinators.combine(id, input, value).as((i, in, v) -> (Edit) Edit.set(i, in, v))),
        net.jqwik.api.Tuple.of(2, Combinators.combine(id, value).as((i, v) -> (Edit) Edit.set(i, "x", v))),
        net.jqwik.api.Tuple.of(1, Combinators.combine(id, input).as((i, in) -> (Edit) Edit.unset(i, in))),
        net.jqwik.api.Tuple.of(1, id.map(i -> (Edit) Edit.remove(i))),
        net.jqwik.api.Tuple.of(4, connection.map(c -> (Edit) new Edit.Connect(c))),
        net.jqwik.api.Tuple.of(1, connection.map(c -> (Edit) new Edit.Disconnect(c))));
  }
}
