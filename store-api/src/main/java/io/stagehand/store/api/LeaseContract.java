package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.ApplyInProgressException;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.LeaseLostException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.Commit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.Store;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The apply lease and its fencing: one apply at a time, an epoch raised at every acquisition and at a
 * forced release, and no unit of work written under a lease that is no longer the store's, even when
 * its holder has not noticed.
 */
public abstract class LeaseContract extends ContractSupport {
  protected LeaseContract(Supplier<Store> factory) {
    super(factory);
  }

  @Test
  @DisplayName("one lease at a time; every acquisition raises the epoch")
  void epochs() {
    long first;
    try (ApplyLease a = store.tryLease("a").orElseThrow()) {
      assertThat(a.isValid()).isTrue();
      assertThat(store.tryLease("b")).isEmpty();
      first = a.epoch();
    }
    try (ApplyLease b = store.tryLease("b").orElseThrow()) {
      assertThat(b.epoch()).isGreaterThan(first);
    }
  }

  @Test
  @DisplayName("a refused apply names the holder, since when it holds the lease, and the way out")
  void refusalSaysWhoAndUntilWhen() {
    stage("create a svc");
    try (ApplyLease held = store.tryLease("apply in 13860@vm (thread main)").orElseThrow()) {
      assertThat(orchestrator.leaseHolder()).hasValueSatisfying(info -> {
        assertThat(info.holder()).isEqualTo(held.holder());
        assertThat(info.since()).isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(60));
        info.expires().ifPresent(e -> assertThat(e).isAfter(info.since()));
      });
      assertThatThrownBy(() -> with(c -> { }).apply())
          .isInstanceOf(io.stagehand.core.ApplyInProgressException.class)
          .hasMessageContaining("(apply in 13860@vm (thread main), since ")
          .hasMessageContaining("Orchestrator.forceReleaseLease() frees the lease");
    }
    assertThat(orchestrator.leaseHolder()).isEmpty();
  }

  @Test
  @DisplayName("a lease released by force lets the next apply in at once")
  void forcedRelease() {
    stage("create a svc");
    ApplyLease dead = store.tryLease("a process that died").orElseThrow();
    orchestrator.forceReleaseLease();
    assertThat(orchestrator.leaseHolder()).isEmpty();
    assertThat(with(c -> { }).apply().succeeded()).isTrue();
    dead.close();
  }

  @Test
  @DisplayName("a unit of work fenced with a lease released by force writes nothing")
  void fencedWriteOfALostLease() {
    stage("create a svc x=1");
    StoreSnapshot before = StoreSnapshot.of(store);
    ApplyLease lost = store.tryLease("lost").orElseThrow();
    store.forceReleaseLease();
    try (ApplyLease next = store.tryLease("next").orElseThrow(() -> new AssertionError("still held after force"))) {
      assertThat(next.epoch()).isGreaterThan(lost.epoch());
      assertThatThrownBy(() -> store.write(w -> {
        w.requireLease(lost.epoch());
        w.putResource(Resource.builder().id(ResourceId.of("a")).kind("svc").build());
        return null;
      })).isInstanceOf(LeaseLostException.class).hasMessageContaining("nothing was written");
      assertThat(StoreSnapshot.of(store)).isEqualTo(before);
      store.write(w -> {
        w.requireLease(next.epoch());
        return null;
      });
    } finally {
      lost.close(); // its holder lets go late: the new lease was not its to end
    }
  }

  @Test
  @DisplayName("an apply whose lease is released by force while its handler runs commits nothing; the next apply runs it")
  void applyThatLostItsLease() throws Exception {
    stage("create a svc x=1", "create b svc x=2");
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<ApplyReport> first = CompletableFuture.supplyAsync(() -> with(c -> {
      if (c.resource().name().equals("a")) {
        running.countDown();
        assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
      }
    }).apply(ApplyOptions.builder().tag("stalled").parallelism(1).build()));
    assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
    // an operator who believes the first apply is dead frees its lease, and another apply runs
    store.forceReleaseLease();
    ApplyReport second = with(c -> { }).apply(ApplyOptions.builder().tag("next").build());
    assertThat(second.succeeded()).isTrue();
    release.countDown();
    ApplyReport stalled = first.get(30, TimeUnit.SECONDS);
    assertThat(stalled.succeeded()).isFalse();
    assertThat(stalled.results()).filteredOn(r -> r.resource().name().equals("a")).singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(ActionOutcome.FAILED))
        .satisfies(r -> assertThat(r.commit()).isEmpty())
        // refused as a lost lease (known to its holder, or caught by the fence), not merely because the
        // applied state moved
        .satisfies(r -> assertThat(r.error()).hasValueSatisfying(e -> assertThat(e)
            .containsAnyOf("the apply lease was lost", "is no longer this store's")));
    assertThat(stalled.results()).extracting(ActionResult::commit).allMatch(java.util.Optional::isEmpty);
    List<Commit> history = orchestrator.history();
    assertThat(history).extracting(c -> c.tag().name() + " " + c.resource().name())
        .containsExactlyInAnyOrder("next a", "next b");
  }
}
