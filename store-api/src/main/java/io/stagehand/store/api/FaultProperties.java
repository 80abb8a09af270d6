package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.StagehandException;
import io.stagehand.core.apply.RetryableActionException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random applies under random faults: handlers that succeed, fail, fail retryably, are slow or run
 * past their timeout, and units of work that fail before they are written or after (written, but
 * reported failed). After every apply: no action ran in two handlers at once, every commit continues
 * its resource's previous one and the applied state is the fold of the commits (nothing committed
 * twice, nothing applied without a commit); once the faults heal, one more apply finishes everything
 * and the applied state is what was staged (no staged edit lost).
 *
 * <p>{@code -Dstagehand.faults.tries=<n>} plays more tries than the default (bounded to stay within a
 * minute per store in {@code mvn verify}).
 */
public abstract class FaultProperties {
  protected FaultProperties() {}

  private static final int TRIES = Integer.getInteger("stagehand.faults.tries", 12);

  /** A new, empty store of the variant under test. */
  protected abstract Store createStore();

  @Property(tries = 12)
  void randomAppliesUnderRandomFaultsLoseNothingAndCommitOnce(@ForAll long seed) {
    for (int extra = 0; extra < Math.max(1, TRIES / 12); extra++) {
      play(new Random(seed + extra));
    }
  }

  private void play(Random random) {
    FaultyStore store = FaultyStore.wrap(createStore());
    Map<ResourceId, AtomicInteger> running = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    Map<ResourceId, String> behaviour = new ConcurrentHashMap<>();
    Orchestrator orchestrator = Orchestrator.builder().store(store).logProgress(false).handler(c -> {
      AtomicInteger now = running.computeIfAbsent(c.resource(), k -> new AtomicInteger());
      if (now.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      try {
        switch (behaviour.getOrDefault(c.resource(), "ok")) {
          case "fail" -> throw new IllegalStateException("injected handler failure");
          case "retry" -> {
            if (c.attempt() == 1) {
              throw new RetryableActionException("injected transient failure");
            }
          }
          case "slow" -> Thread.sleep(15);
          case "hang" -> Thread.sleep(400); // past the timeout below
          default -> { }
        }
      } finally {
        now.decrementAndGet();
      }
    }).build();
    List<String> ids = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      List<Edit> edits = new ArrayList<>();
      for (int i = 0; i < 4 + random.nextInt(5); i++) {
        String id = "r" + ids.size();
        edits.add(Edit.create(id, "svc", Map.of("n", random.nextInt(100))));
        if (!ids.isEmpty() && random.nextBoolean()) {
          edits.add(Edit.connect(ids.get(random.nextInt(ids.size())) + ".n", id + ".up"));
        }
        ids.add(id);
      }
      for (int i = 0; i < 2 && round > 0; i++) {
        edits.add(Edit.set(ids.get(random.nextInt(ids.size())), "n", 100 + random.nextInt(100)));
      }
      try {
        orchestrator.stage(edits);
      } catch (StagehandException e) {
        continue; // a batch that clashes with staged work: another round
      }
      DeploymentState desired = orchestrator.desiredState();
      behaviour.clear();
      String[] kinds = {"ok", "ok", "ok", "fail", "retry", "slow", "hang"};
      for (String id : ids) {
        behaviour.put(ResourceId.of(id), kinds[random.nextInt(kinds.length)]);
      }
      int next = store.writes() + 1 + random.nextInt(6);
      if (random.nextBoolean()) {
        store.failBefore(n -> n == next);
      } else {
        store.failAfter(n -> n == next);
      }
      try {
        orchestrator.apply(ApplyOptions.builder().parallelism(1 + random.nextInt(4))
            .actionTimeout(Duration.ofMillis(150)).initialBackoff(Duration.ofMillis(5)).build());
      } catch (StagehandException e) {
        // a unit of work outside the commits (dropping covered entries) may end the apply itself
      }
      store.heal();
      checkCommits(orchestrator);
      behaviour.clear();
      assertThat(orchestrator.apply().succeeded()).as("an apply after the faults healed").isTrue();
      checkCommits(orchestrator);
      assertThat(orchestrator.appliedState()).as("applied after the healed apply: what was staged").isEqualTo(desired);
      assertThat(orchestrator.stagedEntries()).isEmpty();
    }
    assertThat(overlaps.get()).as("actions that ran in two handlers at once").isZero();
  }

  /** Every commit continues its resource's previous one, and the fold of the commits is the applied state. */
  private static void checkCommits(Orchestrator orchestrator) {
    Map<ResourceId, Optional<Resource>> folded = new HashMap<>();
    for (Commit c : orchestrator.history()) {
      Optional<Resource> previous = folded.getOrDefault(c.resource(), Optional.empty());
      assertThat(c.diff().before()).as("commit %s of %s continues the one before", c.position(), c.resource())
          .isEqualTo(previous);
      folded.put(c.resource(), c.diff().after());
    }
    Map<ResourceId, Resource> fold = new TreeMap<>();
    folded.forEach((id, r) -> r.ifPresent(v -> fold.put(id, v)));
    assertThat(orchestrator.appliedState().resources()).as("the applied state is the fold of the commits")
        .isEqualTo(fold);
  }
}
