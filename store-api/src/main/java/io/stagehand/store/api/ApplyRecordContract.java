package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.ApplyOutcome;
import io.stagehand.core.history.ApplyRecord;
import io.stagehand.core.history.Tag;
import io.stagehand.core.spi.Store;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every apply leaves a record in the store, whatever became of it (issue 16): succeeded, failed,
 * cancelled, or interrupted when its process stopped in the middle, which the next apply notices.
 */
public abstract class ApplyRecordContract extends ContractSupport {
  private static final String SECRET = "s3cr3t-Hunter2";
  private static final ActionHandler NO_OP = context -> { };

  protected ApplyRecordContract(Supplier<Store> factory) {
    super(factory);
  }

  private ApplyRecord record(String tag) {
    return orchestrator.applies().stream().filter(r -> r.tag().equals(Tag.of(tag))).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("a succeeded and a failed apply are recorded in order, with counts, author, description and redacted failures")
  void succeededAndFailed() {
    stage("create a svc x=1", "create b svc", "connect a.x -> b.y");
    with(NO_OP).apply(ApplyOptions.builder().tag("t1").author("ana").description("first deployment").build());
    ApplyRecord t1 = record("t1");
    assertThat(t1.outcome()).isEqualTo(ApplyOutcome.SUCCEEDED);
    assertThat(t1.planned()).isEqualTo(2);
    assertThat(t1.succeeded()).isEqualTo(2);
    assertThat(t1.failures()).isEmpty();
    assertThat(t1.author()).contains("ana");
    assertThat(t1.description()).contains("first deployment");
    assertThat(t1.finished()).isPresent();
    assertThat(t1.finished().get()).isAfterOrEqualTo(t1.started());

    stage("set a token!=\"" + SECRET + "\"", "set a x=2");
    ApplyReport failed = with(c -> {
      if (c.resource().name().equals("a")) {
        throw new IllegalStateException("the server refused token " + SECRET);
      }
    }).apply(ApplyOptions.builder().tag("t2").build());
    assertThat(failed.succeeded()).isFalse();
    ApplyRecord t2 = record("t2");
    assertThat(t2.outcome()).isEqualTo(ApplyOutcome.FAILED);
    assertThat(t2.planned()).isEqualTo(2);
    assertThat(t2.failed()).isEqualTo(1);
    assertThat(t2.skipped()).isEqualTo(1);
    assertThat(t2.failures()).containsExactly("UPDATE a failed: the server refused token (sensitive)");
    assertThat(t2.toString()).doesNotContain(SECRET);
    assertThat(orchestrator.applies()).extracting(ApplyRecord::tag).containsExactly(Tag.of("t1"), Tag.of("t2"));
  }

  @Test
  @DisplayName("an apply that finds another's record still running marks it interrupted, and its report says so")
  void interrupted() {
    // what a process killed in the middle of apply t0 leaves behind (store-jdbc's CrashTest kills real ones)
    store.write(w -> {
      w.putApply(ApplyRecord.builder().tag(Tag.of("t0")).started(java.time.Instant.parse("2026-12-07T10:00:00Z")).outcome(ApplyOutcome.RUNNING).planned(3)
          .build());
      return null;
    });
    stage("create a svc");
    ApplyReport report = with(NO_OP).apply(ApplyOptions.builder().tag("t1").build());
    assertThat(report.interruptedApplies()).containsExactly(Tag.of("t0"));
    assertThat(record("t0").outcome()).isEqualTo(ApplyOutcome.INTERRUPTED);
    assertThat(record("t0").finished()).isEmpty();
    assertThat(record("t1").outcome()).isEqualTo(ApplyOutcome.SUCCEEDED);
    // noticed once
    stage("create b svc");
    assertThat(with(NO_OP).apply(ApplyOptions.builder().tag("t2").build()).interruptedApplies()).isEmpty();
  }

  @Test
  @DisplayName("a cancelled apply is recorded as cancelled, with what it did not start; one with nothing to do too")
  void cancelledAndEmpty() throws Exception {
    stage("create a svc", "create b svc", "create c svc");
    cancelledAfterFirstAction(ApplyOptions.builder().tag("t1"));
    ApplyRecord t1 = record("t1");
    assertThat(t1.outcome()).isEqualTo(ApplyOutcome.CANCELLED);
    assertThat(List.of(t1.succeeded(), t1.notStarted())).containsExactly(1, 2);

    orchestrator.discard();
    with(NO_OP).apply(ApplyOptions.builder().tag("t2").build());
    assertThat(record("t2").outcome()).isEqualTo(ApplyOutcome.SUCCEEDED);
    assertThat(record("t2").planned()).isZero();
  }

  /**
   * An apply whose process stops in the middle, as far as the store can tell: its lease is taken from
   * it while the handler of {@code c} runs, so that {@code a} and {@code b} are committed unless their
   * commits waited to be grouped with {@code c}'s, {@code c}'s handler ran without a commit, {@code d}
   * did not start, and the record cannot be ended. Returns, in plan order, what the apply planned and did not
   * commit: the actions whose handlers may have run.
   */
  private List<String> interruptedAtC(String tag) {
    return interruptedAtC(tag, false);
  }

  /** {@link #interruptedAtC(String)}, which with {@code committedFirst} waits for a's and b's commits. */
  private List<String> interruptedAtC(String tag, boolean committedFirst) {
    stage("create a svc", "create b svc", "create c svc", "create d svc");
    with(c -> {
      if (c.resource().name().equals("c")) {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (committedFirst && commitCount() < 2 && System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        orchestrator.forceReleaseLease();
      }
    }).apply(ApplyOptions.builder().tag(tag).parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build());
    if (committedFirst) {
      assertThat(commitCount()).isEqualTo(2);
    }
    assertThat(record(tag).outcome()).isEqualTo(ApplyOutcome.RUNNING);
    List<String> committed = store.<List<io.stagehand.core.history.Commit>>read(r -> r.commits().ofTag(Tag.of(tag)))
        .stream().map(c -> c.resource().name()).toList();
    assertThat(committed).doesNotContain("c", "d");
    return List.of("a", "b", "c", "d").stream().filter(id -> !committed.contains(id)).toList();
  }

  private static List<String> mayHaveRun(List<String> ids) {
    return ids.stream().map(id -> id + " may have run").toList();
  }

  @Test
  @DisplayName("an interrupted apply resumes under its own tag, its handlers told what may have run, and reverts whole")
  void resumedUnderItsTag() {
    List<String> uncommitted = interruptedAtC("t6");
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ApplyReport resumed = with(c -> seen.add(c.resource() + (c.mayHaveRun() ? " may have run" : "")))
        .apply(ApplyOptions.builder().tag("t6").parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build());
    assertThat(resumed.succeeded()).isTrue();
    assertThat(seen).containsExactlyElementsOf(mayHaveRun(uncommitted));
    ApplyRecord t6 = record("t6");
    assertThat(t6.outcome()).isEqualTo(ApplyOutcome.SUCCEEDED);
    assertThat(t6.resumes()).isEqualTo(1);
    assertThat(t6.plannedResources()).isEmpty();
    // one logical change under one tag: its commits are numbered on, and its revert undoes all four
    assertThat(store.<List<io.stagehand.core.history.Commit>>read(r -> r.commits().ofTag(Tag.of("t6"))))
        .extracting(io.stagehand.core.history.Commit::index).containsExactly(0, 1, 2, 3);
    orchestrator.revert(Tag.of("t6"));
    assertThat(orchestrator.plan().actions()).hasSize(4);
  }

  @Test
  @DisplayName("under a new tag too, an action an interrupted apply planned and did not commit may have run")
  void mayHaveRunUnderANewTag() {
    List<String> uncommitted = interruptedAtC("t6");
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ApplyReport next = with(c -> seen.add(c.resource() + (c.mayHaveRun() ? " may have run" : "")))
        .apply(ApplyOptions.builder().tag("t7").parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build());
    assertThat(next.interruptedApplies()).containsExactly(Tag.of("t6"));
    assertThat(seen).containsExactlyElementsOf(mayHaveRun(uncommitted));
    // once committed, nothing of it may have run any more
    stage("set d x=1");
    List<String> after = new java.util.concurrent.CopyOnWriteArrayList<>();
    with(c -> after.add(c.resource() + " " + c.mayHaveRun())).apply();
    assertThat(after).containsExactly("d false");
    assertThat(record("t6").outcome()).isEqualTo(ApplyOutcome.INTERRUPTED);
    // t7 committed what t6 left: no record is open any more, and the next apply reads none
    assertThat(store.<List<ApplyRecord>>read(r -> r.openApplies())).isEmpty();
    assertThat(record("t6").plannedResources()).isEmpty();
    // a tag whose apply ended is not resumed
    stage("create e svc");
    assertRefusedUnchanged(() -> with(NO_OP).apply(ApplyOptions.builder().tag("t7").build()))
        .hasMessageContaining("tag t7 is already used by an earlier apply");
  }

  @Test
  @DisplayName("an interrupted apply resumed straight away is reported as interrupted by its resume")
  void aResumeReportsTheInterruption() {
    interruptedAtC("t6");
    ApplyReport resumed = with(NO_OP)
        .apply(ApplyOptions.builder().tag("t6").parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build());
    assertThat(resumed.interruptedApplies()).containsExactly(Tag.of("t6"));
  }

  @Test
  @DisplayName("an interrupted apply is not resumed once another apply committed after it: its commits stay together")
  void noResumeAfterAnotherApply() {
    interruptedAtC("t6", true);
    stage("create e svc");
    with(NO_OP).apply(ApplyOptions.builder().tag("t7").selection(
        io.stagehand.core.plan.Selection.only(io.stagehand.core.plan.Selector.id("e"))).build());
    long commits = commitCount();
    assertRefusedUnchanged(() -> with(NO_OP).apply(ApplyOptions.builder().tag("t6").build()))
        .hasMessageContaining("apply t6 was interrupted, but t7 committed after it");
    assertThat(commitCount()).isEqualTo(commits);
  }

  @Test
  @DisplayName("a resume interrupted in turn: what its own run did not commit may have run, whatever the first run committed")
  void anInterruptedResumeKeepsWhatMayHaveRun() {
    interruptedAtC("t6", true);
    // the resume runs c and d; its lease goes while d's handler runs, after c's handler ran and committed
    stage("set a x=2");
    with(c -> {
      if (c.resource().name().equals("a")) {
        orchestrator.forceReleaseLease();
      }
    }).apply(ApplyOptions.builder().tag("t6").parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build());
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    with(c -> seen.add(c.action() + " " + c.resource() + " " + c.mayHaveRun()))
        .apply(ApplyOptions.builder().tag("t8").parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build());
    // a was committed by t6's first run, but its UPDATE in the resume ran without a commit
    assertThat(seen).contains("UPDATE a true");
  }
}
