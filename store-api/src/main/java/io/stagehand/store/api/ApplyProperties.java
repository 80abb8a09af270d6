package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.spi.Store;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Invariants of planning and applying over random deployments, edit batches and handler failures:
 * at most one action per resource, every ordering rule respected, an apply never changes the desired
 * state, and a full apply makes the applied state equal to it.
 */
public abstract class ApplyProperties {
  protected ApplyProperties() {}

  /** A new, empty store of the variant under test. */
  protected abstract Store createStore();

  @Property(tries = 120)
  void plansAreOrderedAndApplyConverges(
      @ForAll("runs") List<List<Edit>> batches, @ForAll("failureSeeds") List<Integer> failureSeeds) {
    Store store = createStore();
    Set<ResourceId> failing = new HashSet<>();
    Orchestrator orchestrator = Orchestrator.builder().store(store).logProgress(false)
        .handler(c -> {
          synchronized (failing) {
            if (failing.contains(c.resource())) {
              throw new IllegalStateException("injected");
            }
          }
        }).build();
    int applies = 0;
    for (int i = 0; i < batches.size(); i++) {
      if (ContractSupport.connectsOutput(orchestrator.desiredState(), batches.get(i))) {
        continue;
      }
      try {
        orchestrator.stage(batches.get(i));
      } catch (InvalidInputException rejected) {
        continue;
      }
      DeploymentState desired = orchestrator.desiredState();
      Plan plan = orchestrator.plan();
      checkPlan(store, plan, orchestrator.staged());

      int seed = failureSeeds.get(i % failureSeeds.size());
      synchronized (failing) {
        failing.clear();
        for (PlannedAction a : plan.actions()) {
          if (Math.floorMod(a.resource().hashCode() + seed, 4) == 0) {
            failing.add(a.resource());
          }
        }
      }
      ApplyReport report = orchestrator.apply(ApplyOptions.builder().parallelism(1 + seed % 4).build());
      applies++;
      assertThat(orchestrator.desiredState()).as("desired state after an apply").isEqualTo(desired);
      DeploymentState applied = orchestrator.appliedState();
      for (ActionResult r : report.results()) {
        if (r.outcome() == ActionOutcome.SUCCEEDED) {
          assertThat(applied.get(r.resource())).isEqualTo(desired.get(r.resource()));
        } else {
          assertThat(orchestrator.staged(r.resource())).as("%s stays staged", r.resource()).isPresent();
        }
      }
      checkPlan(store, orchestrator.plan(), orchestrator.staged());
    }
    synchronized (failing) {
      failing.clear();
    }
    DeploymentState desired = orchestrator.desiredState();
    ApplyReport last = orchestrator.apply();
    assertThat(last.succeeded()).isTrue();
    assertThat(orchestrator.appliedState()).isEqualTo(desired);
    assertThat(orchestrator.staged()).isEmpty();
    assertThat(orchestrator.stagedEntries()).isEmpty();
    Statistics.label("applies").collect(Math.min(applies, 3));
  }

  private static void checkPlan(Store store, Plan plan, List<Diff> staged) {
    Map<ResourceId, Integer> position = new HashMap<>();
    for (int i = 0; i < plan.actions().size(); i++) {
      PlannedAction a = plan.actions().get(i);
      assertThat(position.put(a.resource(), i)).as("one action per resource").isNull();
      for (ResourceId p : a.predecessors()) {
        assertThat(position).as("%s runs after its predecessor %s", a.resource(), p).containsKey(p);
      }
    }
    assertThat(plan.actions()).extracting(a -> a.resource() + " " + a.action())
        .containsExactlyInAnyOrderElementsOf(staged.stream().map(d -> d.resource() + " " + d.action().orElseThrow()).toList());
    for (PlannedAction b : plan.actions()) {
      if (b.action() != Action.REMOVE) {
        for (Connection c : b.diff().after().orElseThrow().incoming()) {
          plan.action(c.emitter().resource()).filter(a -> a.action() != Action.REMOVE).ifPresent(a ->
              assertThat(b.predecessors()).as("rule 1: %s before %s", a.resource(), b.resource()).contains(a.resource()));
        }
      } else {
        for (Connection c : store.read(r -> r.state().outgoing(b.resource()))) {
          plan.action(c.receiver().resource()).filter(r -> r.action() != Action.RUN).ifPresent(r ->
              assertThat(b.predecessors()).as("rule 2: %s before %s", r.resource(), b.resource()).contains(r.resource()));
        }
      }
    }
  }

  @Provide
  Arbitrary<List<List<Edit>>> runs() {
    return randomRuns();
  }

  /** Random runs: a batch creating 3-5 resources, then up to 8 batches of random edits. */
  static Arbitrary<List<List<Edit>>> randomRuns() {
    Arbitrary<List<Edit>> creates = Arbitraries.subsetOf(List.of("a", "b", "c", "d", "e")).ofMinSize(3)
        .map(ids -> ids.stream().sorted()
            .map(i -> (Edit) Edit.create(i, "svc", Map.of("x", io.stagehand.core.model.Value.of(1)))).toList());
    Arbitrary<List<List<Edit>>> rest = StagingProperties.edit().list().ofMinSize(1).ofMaxSize(3).list().ofMaxSize(8);
    return Combinators.combine(creates, rest).as((first, more) -> {
      List<List<Edit>> all = new java.util.ArrayList<>();
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
