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
          .succeeded(0).failed(0).skipped(0).notStarted(0).build());
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
}
