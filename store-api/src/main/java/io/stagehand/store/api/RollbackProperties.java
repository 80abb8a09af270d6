package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.RollbackConflictException;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Rollback;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.spi.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Rollback invariants over random sequences of staged batches and applies with random handler
 * failures, played in lockstep on several stores (by default a global and a per-resource one):
 * {@code revert(tag)} of the last apply followed by an apply gives back the state before it;
 * {@code rollbackTo(t)} followed by an apply gives {@code stateAt(t)}; and every store gives the same
 * answers as the first at every step (a differential test).
 */
public abstract class RollbackProperties {
  protected RollbackProperties() {}

  /** A new, empty store of the given variant. */
  protected abstract Store createStore(CommitLogVariant variant);

  /** The stores played in lockstep; the first is the reference the others must agree with. */
  protected List<Store> createStores() {
    return List.of(createStore(CommitLogVariant.GLOBAL), createStore(CommitLogVariant.PER_RESOURCE));
  }

  /** One store with the failure switch its handler reads. */
  private static final class Side {
    final Store store;
    final Orchestrator orchestrator;
    final Set<ResourceId> failing = new HashSet<>();

    Side(Store store) {
      this.store = store;
      this.orchestrator = Orchestrator.builder().store(store).logProgress(false).handler(c -> {
        synchronized (failing) {
          if (failing.contains(c.resource())) {
            throw new IllegalStateException("injected");
          }
        }
      }).build();
    }

    ApplyReport apply(String tag, Set<ResourceId> fail) {
      synchronized (failing) {
        failing.clear();
        failing.addAll(fail);
      }
      return orchestrator.apply(ApplyOptions.builder().tag(tag).parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build());
    }
  }

  /** The sides after the first, set per try. */
  private List<Side> others = List.of();

  /**
   * Runs {@code op} on the reference side {@code g} and on every other side, and checks that all
   * answer the same (or fail the same way); returns the reference's answer, or null if it failed.
   */
  private <T> T all(Side g, Function<Side, T> op) {
    Object a = attempt(g, op);
    for (Side other : others) {
      Object b = attempt(other, op);
      assertThat(render(b)).as("%s answers like %s", other.store, g.store).isEqualTo(render(a));
    }
    @SuppressWarnings("unchecked")
    T result = a instanceof String s && (s.endsWith("Exception")) ? null : (T) a;
    return result;
  }

  private static Object attempt(Side side, Function<Side, ?> op) {
    try {
      return op.apply(side);
    } catch (InvalidInputException | io.stagehand.core.RollbackConflictException e) {
      return e.getClass().getSimpleName();
    }
  }

  private static Object render(Object o) {
    if (o instanceof ApplyReport r) {
      return r.render();
    }
    if (o instanceof io.stagehand.core.history.Rollback r) {
      return r.staged().toString() + r.notes();
    }
    return String.valueOf(o);
  }

  private static List<String> history(Side s) {
    List<String> out = new ArrayList<>();
    for (Commit c : s.orchestrator.history()) {
      out.add(c.tag() + " " + c.index() + " " + c.action() + " " + c.resource() + " " + c.revertOf()
          + " " + c.diff().changes() + " " + c.diff().connectionsBefore() + " " + c.diff().connectionsAfter());
    }
    return out;
  }

  @Property(tries = 100)
  void revertAndRollbackRestoreEarlierStates(
      @ForAll("runs") List<List<Edit>> batches, @ForAll("failureSeeds") List<Integer> seeds, @ForAll("picks") int pick) {
    List<Store> stores = createStores();
    Side g = new Side(stores.get(0));
    others = stores.subList(1, stores.size()).stream().map(Side::new).toList();
    List<Tag> cleanTags = new ArrayList<>();
    int n = 0;
    int reverts = 0;
    for (int i = 0; i < batches.size(); i++) {
      List<Edit> batch = batches.get(i);
      if (ContractSupport.connectsOutput(g.orchestrator.desiredState(), batch)) {
        continue;
      }
      Object staged = all(g, s -> s.orchestrator.stage(batch).position());
      if (staged == null) {
        continue;
      }
      DeploymentState before = g.orchestrator.appliedState();
      Set<ResourceId> fail = new HashSet<>();
      int seed = seeds.get(i % seeds.size());
      for (PlannedAction a : g.orchestrator.plan().actions()) {
        if (Math.floorMod(a.resource().hashCode() + seed, 3) == 0) {
          fail.add(a.resource());
        }
      }
      String tag = "a" + (n++);
      all(g, s -> s.apply(tag, fail));
      if (seed % 2 == 0 && !g.orchestrator.history(Tag.of(tag)).isEmpty()) {
        // revert(tag) of the last apply, whatever failed in it, gives back the state before it
        all(g, s -> {
          s.orchestrator.discard();
          return "discarded";
        });
        all(g, s -> s.orchestrator.revert(Tag.of(tag)));
        String undo = "u" + (n++);
        all(g, s -> s.apply(undo, Set.of()));
        assertThat(g.orchestrator.appliedState()).as("state after reverting %s", tag).isEqualTo(before);
        assertThat(g.orchestrator.staged()).isEmpty();
        reverts++;
      } else {
        String settle = "s" + (n++);
        all(g, s -> s.apply(settle, Set.of()));
      }
      all(g, s -> s.orchestrator.appliedState());
      all(g, RollbackProperties::history);
      List<Tag> tags = g.orchestrator.tags();
      if (!tags.isEmpty() && g.orchestrator.staged().isEmpty()) {
        cleanTags.add(tags.get(tags.size() - 1));
      }
    }
    Statistics.label("reverts").collect(Math.min(reverts, 2));

    // rollbackTo(t) then apply gives stateAt(t)
    if (!cleanTags.isEmpty()) {
      Tag t = cleanTags.get(Math.floorMod(pick, cleanTags.size()));
      DeploymentState at = all(g, s -> s.orchestrator.stateAt(t));
      all(g, s -> s.orchestrator.rollbackTo(t));
      all(g, s -> s.apply("back", Set.of()));
      assertThat(g.orchestrator.appliedState()).as("state after rolling back to %s", t).isEqualTo(at);
      assertThat(g.orchestrator.staged()).isEmpty();
    }
    all(g, s -> s.orchestrator.appliedState());
    all(g, RollbackProperties::history);
  }

  @Provide
  Arbitrary<List<List<Edit>>> runs() {
    return ApplyProperties.randomRuns();
  }

  @Provide
  Arbitrary<List<Integer>> failureSeeds() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<Integer> picks() {
    return Arbitraries.integers().between(0, 100);
  }
}
