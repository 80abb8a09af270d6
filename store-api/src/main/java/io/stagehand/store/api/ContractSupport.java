package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.apply.ApplyRun;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;

/** The fixture every contract group shares: a fresh store and an orchestrator over it per test. */
public abstract class ContractSupport {
  private final Supplier<Store> factory;
  protected Store store;
  protected Orchestrator orchestrator;

  protected ContractSupport(Supplier<Store> factory) {
    this.factory = factory;
  }

  @BeforeEach
  void freshStore() {
    store = factory.get();
    orchestrator = Orchestrator.of(store);
  }

  /** The first half of the seed's Keystone move: two nodes, keystone1 on node1, HAProxy collecting it. */
  protected static final String[] KEYSTONE_DEPLOYMENT = {
    "create node1 node ip=\"10.0.0.1\"",
    "create node2 node ip=\"10.0.0.2\"",
    "create keystone1 keystone port=5000",
    "create haproxy haproxy",
    "connect node1.ip -> keystone1.ip",
    "connect keystone1.ip -> haproxy.backends[]"};

  /** The move itself: keystone2 on node2 into HAProxy, keystone1 removed. */
  protected static final String[] KEYSTONE_MOVE = {
    "create keystone2 keystone port=5000",
    "connect node2.ip -> keystone2.ip",
    "connect keystone2.ip -> haproxy.backends[]",
    "remove keystone1"};

  /** An orchestrator over this test's store that applies through {@code handler}, without logging. */
  protected Orchestrator with(io.stagehand.core.apply.ActionHandler handler) {
    return Orchestrator.builder().store(store).handler(handler).logProgress(false).build();
  }

  /**
   * Applies with {@code options} (parallelism 1, plan order) through a handler that waits, cancels the
   * apply once the first action's handler runs, lets that handler return, and returns the report.
   */
  protected ApplyReport cancelledAfterFirstAction(ApplyOptions.Builder options) throws Exception {
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ApplyRun run = with(c -> {
      inHandler.countDown();
      release.await();
    }).applyAsync(options.parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build());
    assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
    run.cancel();
    release.countDown();
    return run.report(Duration.ofSeconds(10));
  }

  /** The number of commits in the store's log. */
  protected long commitCount() {
    return store.<Long>read(r -> r.commits().size());
  }

  /** Stages edits written in the scenario syntax, one a line. */
  protected void stage(String... lines) {
    orchestrator.stage(List.of(lines).stream().map(Edit::parse).toList());
  }

  /**
   * Makes the current desired state the applied one by writing it straight into the store and
   * clearing the staged log: a fixture for tests that need an applied state without an apply.
   */
  protected void markApplied() {
    markApplied(store, orchestrator);
  }

  /** {@link #markApplied()} for a given store, shared with the property tests. */
  /**
   * True if staging {@code batch} over {@code desired} would connect from an output: a name its
   * emitter has no input of, when connected nor once the batch is in. The random properties leave
   * such batches out (staging refused them before outputs existed): their handlers return no outputs,
   * and outputs have a scenario file and contract tests of their own.
   */
  static boolean connectsOutput(io.stagehand.core.model.DeploymentState desired, List<Edit> batch) {
    java.util.Map<ResourceId, java.util.Set<String>> inputs = new java.util.HashMap<>();
    desired.resources().forEach((id, r) -> {
      java.util.Set<String> names = new java.util.HashSet<>(r.ownInputs().keySet());
      r.incoming().forEach(c -> names.add(c.receiver().input()));
      inputs.put(id, names);
    });
    List<io.stagehand.core.model.Connection> outputs = new ArrayList<>();
    for (Edit e : batch) {
      if (e instanceof Edit.Create c) {
        inputs.put(c.id(), new java.util.HashSet<>(c.inputs().keySet()));
      } else if (e instanceof Edit.Import i) {
        inputs.put(i.id(), new java.util.HashSet<>(i.create().inputs().keySet()));
      } else if (e instanceof Edit.SetInput s && inputs.containsKey(s.id())) {
        inputs.get(s.id()).add(s.input());
      } else if (e instanceof Edit.UnsetInput u && inputs.containsKey(u.id())) {
        inputs.get(u.id()).remove(u.input());
      } else if (e instanceof Edit.Remove r) {
        inputs.remove(r.id());
      } else if (e instanceof Edit.Connect c) {
        java.util.Set<String> has = inputs.get(c.connection().emitter().resource());
        if (has != null && !has.contains(c.connection().emitter().input())) {
          outputs.add(c.connection());
        }
        inputs.computeIfAbsent(c.connection().receiver().resource(), k -> new java.util.HashSet<>())
            .add(c.connection().receiver().input());
      }
    }
    for (io.stagehand.core.model.Connection c : outputs) {
      java.util.Set<String> has = inputs.get(c.emitter().resource());
      if (has == null || !has.contains(c.emitter().input())) {
        return true;
      }
    }
    return false;
  }

  static void markApplied(Store store, Orchestrator orchestrator) {
    DeploymentState desired = orchestrator.desiredState();
    store.write(w -> {
      for (Resource r : w.state().all()) {
        if (desired.get(r.id()).isEmpty()) {
          w.deleteResource(r.id());
        }
      }
      desired.resources().values().forEach(w::putResource);
      w.removeStaged(w.staged().entries().stream().map(e -> e.sequence()).toList());
      w.removePending(w.staged().pending());
      return null;
    });
  }

  /** Asserts that {@code call} throws and that the store is exactly as it was before. */
  protected AbstractThrowableAssert<?, ? extends Throwable> assertRefusedUnchanged(ThrowingCallable call) {
    StoreSnapshot before = StoreSnapshot.of(store);
    AbstractThrowableAssert<?, ? extends Throwable> thrown = assertThatThrownBy(call);
    assertThat(StoreSnapshot.of(store)).isEqualTo(before);
    return thrown;
  }
}
