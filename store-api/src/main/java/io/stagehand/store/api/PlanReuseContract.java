package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.Edit;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.Selection;
import io.stagehand.core.plan.Selector;
import io.stagehand.core.spi.Store;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An {@code apply()} right after a {@code plan()} on the same orchestrator runs that plan instead of
 * planning again, but only while the store is as the plan saw it: whatever changed in between, by
 * this orchestrator, another one or a plain unit of work, is applied as a new plan would have it.
 */
public abstract class PlanReuseContract extends ContractSupport {
  private static final ActionHandler NO_OP = context -> { };

  /** The orchestrator that plans and then applies; {@link #orchestrator} is someone else. */
  private Orchestrator planner;

  protected PlanReuseContract(Supplier<Store> factory) {
    super(factory);
  }

  @BeforeEach
  void staged() {
    planner = with(NO_OP);
    stage("create a svc x=1", "create b svc", "connect a.x -> b.y");
  }

  private static List<String> lines(ApplyReport report) {
    return List.of(report.render().split("\n"));
  }

  @Test
  @DisplayName("an apply after a plan, with nothing changed in between, runs that very plan")
  void reused() {
    assumeThat(store.<OptionalLong>read(r -> r.changeCount())).as("the store counts its changes").isPresent();
    Plan plan = planner.plan();
    ApplyReport report = planner.apply();
    assertThat(report.plan()).isSameAs(plan);
    assertThat(lines(report)).containsExactly("RUN a ok", "RUN b ok");
    assertThat(planner.staged()).isEmpty();
    // used once: the next apply plans again, and finds nothing to do
    assertThat(planner.apply().render()).isEqualTo("nothing to do");
  }

  @Test
  @DisplayName("a plan of one selection is not reused by an apply of another")
  void otherSelection() {
    Plan partial = planner.plan(Selection.only(Selector.id("a")));
    ApplyReport report = planner.apply();
    assertThat(report.plan()).isNotSameAs(partial);
    assertThat(lines(report)).containsExactly("RUN a ok", "RUN b ok");
  }

  @Test
  @DisplayName("an edit staged by another orchestrator between plan and apply is applied")
  void stagedElsewhere() {
    planner.plan();
    stage("create c svc");
    assertThat(lines(planner.apply())).containsExactlyInAnyOrder("RUN a ok", "RUN b ok", "RUN c ok");
    assertThat(orchestrator.staged()).isEmpty();
  }

  @Test
  @DisplayName("an edit staged by the same orchestrator between plan and apply is applied")
  void stagedHere() {
    planner.plan();
    planner.stage(Edit.parse("set b z=2"));
    ApplyReport report = planner.apply();
    assertThat(lines(report)).containsExactly("RUN a ok", "RUN b ok");
    assertThat(planner.appliedState().get(io.stagehand.core.model.ResourceId.of("b")).orElseThrow().ownInputs())
        .containsKey("z");
  }

  @Test
  @DisplayName("a refused batch between plan and apply leaves the plan intact")
  void refusedBetween() {
    Plan plan = planner.plan();
    assertThatThrownBy(() -> planner.stage(Edit.parse("connect nowhere.x -> b.w")))
        .isInstanceOf(InvalidInputException.class);
    ApplyReport report = planner.apply();
    assertThat(report.plan().render()).isEqualTo(plan.render());
    assertThat(lines(report)).containsExactly("RUN a ok", "RUN b ok");
  }

  @Test
  @DisplayName("edits discarded between plan and apply are not applied")
  void discardedElsewhere() {
    planner.plan();
    orchestrator.discard();
    assertThat(planner.apply().render()).isEqualTo("nothing to do");
    assertThat(commitCount()).isZero();
  }

  @Test
  @DisplayName("actions applied by another orchestrator between plan and apply are not applied again")
  void appliedElsewhere() {
    planner.plan();
    with(NO_OP).apply(ApplyOptions.builder().tag("other").build());
    assertThat(planner.apply().render()).isEqualTo("nothing to do");
    assertThat(commitCount()).isEqualTo(2L);
  }

  @Test
  @DisplayName("a unit of work written straight to the store between plan and apply is seen")
  void writtenStraight() {
    planner.plan();
    markApplied();
    assertThat(planner.apply().render()).isEqualTo("nothing to do");
    assertThat(commitCount()).isZero();
  }
}
