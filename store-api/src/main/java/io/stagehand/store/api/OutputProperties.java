package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.StagehandException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Outputs over random runs (issue 16): resources whose handlers return a new output {@code o} every
 * time they run, connected to each other from inputs and from outputs, plain and collecting, edited,
 * touched and replaced, with random failures. Two invariants: a handler always sees, in an input fed
 * from an output, the value its emitter returned last (in the same apply or before); and once an apply
 * succeeds whole, the applied state is consistent (every input fed by a connection holds what its
 * emitter has now) and nothing is left staged, so no output a handler returned is lost.
 */
public abstract class OutputProperties {
  private static final List<String> IDS = List.of("a", "b", "c", "d", "e");

  protected OutputProperties() {}

  /** A new, empty store of the variant under test. */
  protected abstract Store createStore();

  @Property(tries = 200)
  void handlersSeeTheLatestOutputsAndTheStateStaysConsistent(
      @ForAll("runs") List<List<Edit>> batches, @ForAll("failureSeeds") List<Integer> seeds) {
    Store store = createStore();
    AtomicInteger runs = new AtomicInteger();
    Set<ResourceId> failing = java.util.Collections.synchronizedSet(new HashSet<>());
    List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    Orchestrator o = Orchestrator.builder().store(store).logProgress(false).handler(c -> {
      if (c.action() == Action.REMOVE) {
        return;
      }
      // every input fed from an output holds the emitter's output as committed now
      Resource after = c.diff().after().orElseThrow();
      for (Connection in : after.incoming()) {
        if (in.readsOutput() && !in.collecting()) {
          Optional<Value> now = store.read(r -> r.state().get(in.emitter().resource()))
              .map(e -> e.outputs().get("o"));
          Optional<Value> seen = c.after().find(in.receiver().input());
          if (!now.equals(seen)) {
            violations.add(c.action() + " " + c.resource() + " saw " + in.receiver().input() + "=" + seen
                + " but " + in.emitter() + " is " + now);
          }
        }
      }
      if (failing.contains(c.resource())) {
        throw new IllegalStateException("injected");
      }
      c.putOutput("o", c.resource().name() + "#" + runs.incrementAndGet());
    }).build();
    int applied = 0;
    for (int i = 0; i < batches.size(); i++) {
      try {
        o.stage(batches.get(i));
      } catch (StagehandException refused) {
        continue;
      }
      int seed = seeds.get(i % seeds.size());
      failing.clear();
      o.plan().actions().forEach(a -> {
        if (Math.floorMod(a.resource().hashCode() + seed, 4) == 0) {
          failing.add(a.resource());
        }
      });
      o.apply(ApplyOptions.builder().parallelism(1 + seed % 3).build());
      applied++;
    }
    failing.clear();
    // what failed, and what waited for it, runs now; an output that changed marks its receivers
    for (int round = 0; round < 3 && !o.staged().isEmpty(); round++) {
      assertThat(o.apply().succeeded()).isTrue();
    }
    assertThat(violations).isEmpty();
    assertThat(o.staged()).as("nothing left staged").isEmpty();
    assertThat(o.plan().actions()).isEmpty();
    checkConsistent(o.appliedState());
    net.jqwik.api.statistics.Statistics.label("applies").collect(Math.min(applied / 3, 3));
    long fromOutputs = o.appliedState().resources().values().stream()
        .flatMap(r -> r.incoming().stream()).filter(Connection::readsOutput).count();
    net.jqwik.api.statistics.Statistics.label("connections from outputs at the end").collect(Math.min(fromOutputs, 3));
  }

  /** Every connected input holds what its emitters have now, and nothing is unknown. */
  private static void checkConsistent(DeploymentState state) {
    for (Resource r : state.resources().values()) {
      assertThat(r.unknownInputs()).as("%s in the applied state", r.id()).isEmpty();
      Map<String, List<Value>> collected = new java.util.TreeMap<>();
      for (Connection c : r.incoming()) {
        Resource e = state.get(c.emitter().resource()).orElseThrow();
        Value v = c.readsOutput() ? e.outputs().get(c.emitter().input()) : e.resolvedInputs().get(c.emitter().input());
        if (c.collecting()) {
          List<Value> list = collected.computeIfAbsent(c.receiver().input(), k -> new ArrayList<>());
          if (v != null) {
            list.add(v);
          }
        } else {
          assertThat(r.resolved(c.receiver().input())).as("%s fed by %s", c.receiver(), c).isEqualTo(Optional.ofNullable(v));
        }
      }
      collected.forEach((input, values) ->
          assertThat(r.resolved(input)).as("%s.%s collected", r.id(), input).contains(Value.list(values)));
    }
  }

  @Provide
  Arbitrary<List<List<Edit>>> runs() {
    Arbitrary<List<Edit>> creates = Arbitraries.subsetOf(IDS).ofMinSize(3)
        .map(ids -> ids.stream().sorted().map(i -> (Edit) Edit.create(i, "svc", Map.of("x", Value.of(1)))).toList());
    Arbitrary<String> id = Arbitraries.of(IDS);
    Arbitrary<Edit> set = Combinators.combine(id, Arbitraries.integers().between(0, 3))
        .as((i, n) -> Edit.set(i, "x", n));
    // o is no input of anyone: a connection from it reads the output; y takes one, z[] collects
    Arbitrary<Edit> connect = Combinators.combine(id, id, Arbitraries.of("x", "o", "o"), Arbitraries.of("y", "z[]"))
        .as((from, to, out, in) -> Edit.parse("connect " + from + "." + out + " -> " + to + "." + in));
    Arbitrary<Edit> disconnect = Combinators.combine(id, id, Arbitraries.of("x", "o"), Arbitraries.of("y", "z[]"))
        .as((from, to, out, in) -> Edit.parse("disconnect " + from + "." + out + " -> " + to + "." + in));
    Arbitrary<Edit> touch = id.map(Edit::touch);
    Arbitrary<Edit> replace = id.map(Edit::replace);
    Arbitrary<Edit> label = id.map(i -> Edit.parse("label " + i + " l" + i));
    Arbitrary<Edit> edit = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, set), net.jqwik.api.Tuple.of(5, connect), net.jqwik.api.Tuple.of(1, disconnect),
        net.jqwik.api.Tuple.of(1, touch), net.jqwik.api.Tuple.of(1, replace), net.jqwik.api.Tuple.of(1, label));
    Arbitrary<List<List<Edit>>> rest = edit.list().ofMinSize(1).ofMaxSize(2).list().ofMaxSize(10);
    return Combinators.combine(creates, rest).as((first, more) -> {
      List<List<Edit>> all = new ArrayList<>();
      all.add(first);
      all.addAll(more);
      return all;
    });
  }

  @Provide
  Arbitrary<List<Integer>> failureSeeds() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(4);
  }
}
