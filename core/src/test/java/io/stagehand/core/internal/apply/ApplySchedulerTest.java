package io.stagehand.core.internal.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.StoreException;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.RetryableActionException;
import io.stagehand.core.model.Action;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ApplySchedulerTest {
  private static final ApplyOptions DEFAULTS = ApplyOptions.defaults();

  private static ApplyOptions.Builder options() {
    return ApplyOptions.builder();
  }

  private static void assertOutcome(ActionResult r, ActionOutcome outcome, String error) {
    assertThat(r.outcome()).as(r.resource().name()).isEqualTo(outcome);
    assertThat(r.error()).as(r.resource().name()).isEqualTo(Optional.ofNullable(error));
  }

  @Test
  void startsTheLongestRemainingPathFirstOrInPlanOrder() {
    ApplyOptions one = options().parallelism(1).build();
    SchedulerFixture longest = new SchedulerFixture().run("a", "l1").run("p", "l2").run("q", "l3", "p")
        .apply(one, t -> {});
    assertThat(longest.log).filteredOn(l -> l.startsWith("start")).containsExactly("start p#1", "start a#1",
        "start q#1");

    ApplyOptions planOrder = options().parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build();
    SchedulerFixture waves = new SchedulerFixture().run("a", "l1").run("p", "l2").run("q", "l3", "p")
        .apply(planOrder, t -> {});
    assertThat(waves.log).filteredOn(l -> l.startsWith("start")).containsExactly("start a#1", "start p#1",
        "start q#1");
  }

  @Test
  void keepsToTheLocationAndKindLimits() {
    Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    Map<String, Integer> most = new ConcurrentHashMap<>();
    SchedulerFixture f = new SchedulerFixture().run("a1", "east").run("a2", "east").run("a3", "east")
        .declare("d1", "db", "west", Action.RUN).declare("d2", "db", "north", Action.RUN).run("w", "south");
    f.apply(options().parallelism(6).maxPerLocation(1).putMaxPerKind("db", 1).build(), t -> {
      List<String> keys = List.of(t.diff().after().orElseThrow().location().orElseThrow().name(), t.kind());
      keys.forEach(k -> most.merge(k, now.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet(), Math::max));
      Thread.sleep(30);
      keys.forEach(k -> now.get(k).decrementAndGet());
    });
    assertThat(most).containsEntry("east", 1).containsEntry("db", 1);
    // the limits hold back only what they name: the rest ran alongside
    assertThat(most.get("svc")).isGreaterThan(1);
    for (String n : List.of("a1", "a2", "a3", "d1", "d2", "w")) {
      assertOutcome(f.result(n), ActionOutcome.SUCCEEDED, null);
    }
  }

  @Test
  void aFailureSkipsEverythingAfterItAndTheRestGoesOn() {
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2", "a").run("c", "l3", "b")
        .run("d", "l4");
    f.apply(DEFAULTS, t -> {
      if (t.resource().name().equals("a")) {
        throw new IllegalStateException("boom");
      }
    });
    assertOutcome(f.result("a"), ActionOutcome.FAILED, "boom");
    assertOutcome(f.result("b"), ActionOutcome.SKIPPED, "skipped: a failed");
    assertOutcome(f.result("c"), ActionOutcome.SKIPPED, "skipped: a failed");
    assertOutcome(f.result("d"), ActionOutcome.SUCCEEDED, null);
    assertThat(f.log).doesNotContain("start b#1", "start c#1");
  }

  @Test
  void failFastStartsNothingAfterTheFirstFailure() {
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2", "a").run("d", "l4");
    f.apply(options().parallelism(1).failFast(true).build(), t -> {
      throw new IllegalStateException();
    });
    assertOutcome(f.result("a"), ActionOutcome.FAILED, "IllegalStateException");
    assertOutcome(f.result("b"), ActionOutcome.SKIPPED, "skipped: a failed");
    assertOutcome(f.result("d"), ActionOutcome.CANCELLED, "the apply stopped at the first failure");
  }

  @Test
  void handlersThatReturnWhileAGroupIsWrittenShareTheNextGroup() {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch othersReturned = new CountDownLatch(3);
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2").run("c", "l3").run("d", "l4");
    AtomicBoolean first = new AtomicBoolean(true);
    f.beforeWrite = () -> {
      if (first.getAndSet(false)) {
        writing.countDown();
        await(othersReturned);
        sleep(100); // lets their results reach the scheduler while this group is written
      }
    };
    f.apply(options().parallelism(4).build(), t -> {
      if (!t.resource().name().equals("a")) {
        await(writing);
        othersReturned.countDown();
      }
    });
    assertThat(f.groups).hasSize(2);
    assertThat(f.groups.get(0)).containsExactly("a");
    assertThat(f.groups.get(1)).containsExactlyInAnyOrder("b", "c", "d"); // in the order they returned
    assertThat(f.indexes).containsExactly(0, 1);
  }

  @Test
  void successorsStartOnlyOnceTheCommitIsWritten() {
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2", "a");
    f.beforeWrite = () -> sleep(50);
    f.apply(DEFAULTS, t -> {});
    assertThat(f.when("commit a")).isNotNegative().isLessThan(f.when("start b#1"));
  }

  @Test
  void retriesWithDoublingBackOffUpToTheMaximumAttempts() {
    ApplyOptions retrying = options().maxAttempts(3).initialBackoff(Duration.ofMillis(5))
        .maxBackoff(Duration.ofSeconds(1)).build();
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2");
    f.apply(retrying, t -> {
      if (t.resource().name().equals("b") || t.attempt() < 3) {
        throw new RetryableActionException("busy " + t.attempt());
      }
    });
    assertOutcome(f.result("a"), ActionOutcome.SUCCEEDED, null);
    assertThat(f.result("a").attempts()).isEqualTo(3);
    assertOutcome(f.result("b"), ActionOutcome.FAILED, "busy 3");
    assertThat(f.result("b").attempts()).isEqualTo(3);
    assertThat(f.retryDelays).containsExactlyInAnyOrder(Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(5), Duration.ofMillis(10));
  }

  @Test
  void aTimedOutHandlerKeepsItsSlotsUntilItReturns() {
    SchedulerFixture f = new SchedulerFixture().run("a", "east").run("b", "east");
    ApplyOptions timed = options().parallelism(2).actionTimeout(Duration.ofMillis(50)).build();
    f.apply(timed, t -> {
      if (t.resource().name().equals("a")) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < end) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException deaf) {
            // a handler that ignores its interrupt
          }
        }
        f.log.add("a returned");
      }
    });
    assertOutcome(f.result("a"), ActionOutcome.FAILED, "timed out after PT0.05S");
    assertOutcome(f.result("b"), ActionOutcome.SUCCEEDED, null);
    assertThat(f.when("a returned")).isNotNegative().isLessThan(f.when("start b#1"));
  }

  @Test
  void aCancelStartsNothingMoreButWritesWhatRan() {
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2", "a");
    AtomicBoolean seen = new AtomicBoolean();
    f.apply(DEFAULTS, t -> {
      f.events.cancel();
      seen.set(t.isCancelled());
    });
    assertThat(seen).isTrue();
    assertOutcome(f.result("a"), ActionOutcome.SUCCEEDED, null);
    assertOutcome(f.result("b"), ActionOutcome.CANCELLED, "the apply was cancelled");
    assertThat(f.log).doesNotContain("start b#1");
  }

  @Test
  void aLostLeaseStartsNothingMore() {
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2", "a");
    f.apply(DEFAULTS, t -> f.leaseValid.set(false));
    assertOutcome(f.result("b"), ActionOutcome.CANCELLED, "the apply lease was lost");
    assertThat(f.log).doesNotContain("start b#1");
  }

  @Test
  void aFailedCommitFailsItsGroupAndStopsTheApply() {
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2", "a").run("c", "l3").run("d", "l4", "c");
    AtomicBoolean first = new AtomicBoolean(true);
    f.beforeWrite = () -> {
      if (first.getAndSet(false)) {
        throw new StoreException("disk full");
      }
    };
    f.apply(DEFAULTS, t -> {
      if (t.resource().name().equals("c")) {
        Thread.sleep(100); // its commit comes after a's failed
      }
    });
    assertOutcome(f.result("a"), ActionOutcome.FAILED,
        "the handler succeeded but the commit could not be written: disk full");
    assertOutcome(f.result("b"), ActionOutcome.CANCELLED, "the apply stopped at the first failure");
    // what ran is still written, but nothing starts after it
    assertOutcome(f.result("c"), ActionOutcome.SUCCEEDED, null);
    assertOutcome(f.result("d"), ActionOutcome.CANCELLED, "the apply stopped at the first failure");
    assertThat(f.log).doesNotContain("start b#1", "start d#1");
  }

  @Test
  void anInterruptOfTheApplyThreadStopsEveryHandlerThreadStartingMore() throws Exception {
    // the handler threads start the next ready action themselves: none may start one after the interrupt
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2").run("c", "l3").run("d", "l4")
        .run("e", "l5");
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    // a listener keeps the apply thread busy past the handlers' return: it cannot be the one to stop them
    AtomicBoolean busy = new AtomicBoolean(true);
    f.onListen = () -> {
      if (busy.getAndSet(false)) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (release.getCount() > 0 && System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        spin(300);
      }
    };
    ApplyOptions two = options().parallelism(2).order(ApplyOptions.Order.PLAN_ORDER).build();
    Thread applying = new Thread(() -> f.apply(two, t -> {
      bothRunning.countDown();
      release.await();
    }));
    applying.start();
    await(bothRunning);
    applying.interrupt();
    release.countDown();
    applying.join(10_000);
    assertThat(applying.isAlive()).as("the apply returned").isFalse();
    assertThat(f.events.wasInterrupted()).isTrue();
    assertOutcome(f.result("a"), ActionOutcome.SUCCEEDED, null);
    assertOutcome(f.result("b"), ActionOutcome.SUCCEEDED, null);
    for (String n : List.of("c", "d", "e")) {
      assertOutcome(f.result(n), ActionOutcome.CANCELLED, "the apply was cancelled");
    }
    assertThat(f.log).filteredOn(l -> l.startsWith("start")).containsExactly("start a#1", "start b#1");
  }

  @Test
  void listenersHearEverythingInOrderFromTheApplyThread() {
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2", "a").run("c", "l3", "b")
        .run("d", "l4");
    java.util.Set<Thread> heardOn = ConcurrentHashMap.newKeySet();
    f.onListen = () -> heardOn.add(Thread.currentThread());
    f.apply(options().parallelism(4).build(), t -> {});
    assertThat(heardOn).hasSize(1);
    // a success is heard before the start of the successor its commit readied
    assertThat(f.when("start a#1")).isLessThan(f.when("succeeded a"));
    assertThat(f.when("succeeded a")).isLessThan(f.when("start b#1"));
    assertThat(f.when("succeeded b")).isLessThan(f.when("start c#1"));
    for (String n : List.of("a", "b", "c", "d")) {
      assertOutcome(f.result(n), ActionOutcome.SUCCEEDED, null);
    }
  }

  @Test
  @Timeout(20)
  void aBugOnAnotherThreadEndsTheApplyWithItsErrorRatherThanAWaitForEver() {
    // the state is kept by whichever thread changes it; one that dies half-way must not leave the apply waiting
    SchedulerFixture f = new SchedulerFixture().run("a", "l1").run("b", "l2", "a");
    f.forgetCommits = true;
    assertThatThrownBy(() -> f.apply(DEFAULTS, t -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the apply's bookkeeping failed on another thread")
        .hasCauseInstanceOf(NullPointerException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits without sleeping, so that an interrupt neither ends the wait nor is cleared by it. */
  private static void spin(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
