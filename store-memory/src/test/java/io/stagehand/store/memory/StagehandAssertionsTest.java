package io.stagehand.store.memory;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.Edit;
import io.stagehand.core.plan.Selection;
import io.stagehand.core.plan.Selector;
import io.stagehand.store.api.StagehandAssertions;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagehandAssertionsTest {
  private final Orchestrator o = Orchestrator.builder().store(MemoryStore.create()).handler(c -> {})
      .logProgress(false).build();

  @Test
  void passesOnWhatIsThereAndFailsWithTheRenderingOtherwise() {
    o.stage(List.of(Edit.parse("create n1 node ip=\"10.0.0.1\""), Edit.parse("create web1 nginx @n1"),
        Edit.parse("create web2 nginx"), Edit.parse("create db pg password!=\"s3cr3t-pw\""),
        Edit.parse("connect n1.ip -> web1.ip")));
    StagehandAssertions.assertThat(o.plan(Selection.only(Selector.id("web1"))))
        .hasActionsInOrder("RUN n1", "RUN web1").ordersBefore("RUN n1", "RUN web1").leavesOut("web2", "db");
    assertThatThrownBy(() -> StagehandAssertions.assertThat(o.plan()).hasActionsInOrder("RUN web1"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("[2] RUN web1 after n1");
    assertThatThrownBy(() -> StagehandAssertions.assertThat(o.plan()).isEmpty()).isInstanceOf(AssertionError.class);

    ApplyReport report = o.apply();
    StagehandAssertions.assertThat(report).succeeded()
        .hasResults("RUN db ok", "RUN n1 ok", "RUN web2 ok", "RUN web1 ok");
    StagehandAssertions.assertThat(o.plan()).isEmpty();
    StagehandAssertions.assertThat(o.appliedState()).hasResource("web1").doesNotHaveResource("web9")
        .hasInput("web1", "ip", "10.0.0.1");
    assertThatThrownBy(() -> StagehandAssertions.assertThat(o.appliedState()).hasInput("db", "password", "x"))
        .isInstanceOf(AssertionError.class).hasMessageNotContaining("s3cr3t-pw").hasMessageContaining("(sensitive)");
    assertThatThrownBy(() -> StagehandAssertions.assertThat(o.appliedState()).hasInput("web1", "ip", "10.0.0.2"))
        .hasMessageContaining("expected web1.ip to be \"10.0.0.2\", but it is \"10.0.0.1\"");
  }
}
