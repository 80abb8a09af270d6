package io.stagehand.store.api;

import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ entry points for tests of code that embeds Stagehand:
 *
 * <pre>{@code
 * StagehandAssertions.assertThat(orchestrator.plan())
 *     .hasActionsInOrder("RUN node1", "RUN keystone1", "UPDATE haproxy")
 *     .leavesOut("web2");
 * StagehandAssertions.assertThat(report).succeeded();
 * StagehandAssertions.assertThat(orchestrator.appliedState()).hasInput("keystone1", "port", 5000);
 * }</pre>
 *
 * Failure messages print the plan, report or state in the scenario format.
 */
public final class StagehandAssertions {
  private StagehandAssertions() {}

  public static PlanAssert assertThat(Plan plan) {
    return new PlanAssert(plan);
  }

  public static ApplyReportAssert assertThat(ApplyReport report) {
    return new ApplyReportAssert(report);
  }

  public static StateAssert assertThat(DeploymentState state) {
    return new StateAssert(state);
  }

  /** Assertions on a {@link Plan}; actions are written {@code "<ACTION> <id>"}, e.g. {@code "RUN web1"}. */
  public static final class PlanAssert extends AbstractAssert<PlanAssert, Plan> {
    PlanAssert(Plan plan) {
      super(plan, PlanAssert.class);
    }

    private static String name(PlannedAction a) {
      return a.name() + " " + a.resource();
    }

    /** The plan holds exactly these actions, in this order (the plan's order: wave, then id). */
    public PlanAssert hasActionsInOrder(String... actions) {
      isNotNull();
      List<String> names = actual.actions().stream().map(PlanAssert::name).toList();
      if (!names.equals(Arrays.asList(actions))) {
        failWithMessage("expected the plan's actions to be%n  %s%nbut the plan is%n%s", Arrays.asList(actions),
            actual.render());
      }
      return this;
    }

    /** The plan holds these actions, each after every one before it in the list (other actions may come between). */
    public PlanAssert ordersBefore(String first, String then) {
      int a = indexOf(first);
      int b = indexOf(then);
      if (a >= b) {
        failWithMessage("expected %s before %s in the plan%n%s", first, then, actual.render());
      }
      return this;
    }

    private int indexOf(String action) {
      isNotNull();
      List<String> names = actual.actions().stream().map(PlanAssert::name).toList();
      int i = names.indexOf(action);
      if (i < 0) {
        failWithMessage("expected the plan to hold %s, but it is%n%s", action, actual.render());
      }
      return i;
    }

    /** The plan has nothing to do. */
    public PlanAssert isEmpty() {
      isNotNull();
      if (!actual.actions().isEmpty()) {
        failWithMessage("expected nothing to do, but the plan is%n%s", actual.render());
      }
      return this;
    }

    /** The plan leaves out each of these resources. */
    public PlanAssert leavesOut(String... ids) {
      isNotNull();
      for (String id : ids) {
        if (!actual.leftOut().containsKey(ResourceId.of(id))) {
          failWithMessage("expected the plan to leave out %s, but it is%n%s", id, actual.render());
        }
      }
      return this;
    }
  }

  /** Assertions on an {@link ApplyReport}; results are written as the report prints them. */
  public static final class ApplyReportAssert extends AbstractAssert<ApplyReportAssert, ApplyReport> {
    ApplyReportAssert(ApplyReport report) {
      super(report, ApplyReportAssert.class);
    }

    /** Every action succeeded and the apply was not cancelled. */
    public ApplyReportAssert succeeded() {
      isNotNull();
      if (!actual.succeeded()) {
        failWithMessage("expected the apply to succeed, but it reported%n%s", actual.render());
      }
      return this;
    }

    /** The report's lines are exactly these, e.g. {@code "RUN a ok", "RUN b failed: disk full"}. */
    public ApplyReportAssert hasResults(String... lines) {
      isNotNull();
      List<String> got = actual.results().stream().map(Object::toString).toList();
      if (!got.equals(Arrays.asList(lines))) {
        failWithMessage("expected the apply's results to be%n  %s%nbut it reported%n%s", Arrays.asList(lines),
            actual.render());
      }
      return this;
    }
  }

  /** Assertions on a {@link DeploymentState}, applied or desired. */
  public static final class StateAssert extends AbstractAssert<StateAssert, DeploymentState> {
    StateAssert(DeploymentState state) {
      super(state, StateAssert.class);
    }

    /** The state holds a resource {@code id}. */
    public StateAssert hasResource(String id) {
      resource(id);
      return this;
    }

    /** The state holds no resource {@code id}. */
    public StateAssert doesNotHaveResource(String id) {
      isNotNull();
      if (actual.get(id).isPresent()) {
        failWithMessage("expected no resource %s, but the state is%n%s", id, actual.render());
      }
      return this;
    }

    /**
     * Resource {@code id}'s resolved input {@code input} equals {@code expected} (a Value or a plain
     * Java value: String, number, Boolean, List, Map). A sensitive value is not printed on failure.
     */
    public StateAssert hasInput(String id, String input, Object expected) {
      Resource r = resource(id);
      Value want = Value.from(expected);
      Value got = r.resolvedInputs().get(input);
      if (!Objects.equals(want, got)) {
        if (r.isSensitive(input)) {
          failWithMessage("expected %s.%s to be the expected (sensitive) value, but it is %s", id, input,
              got == null ? "not set" : "another value");
        }
        failWithMessage("expected %s.%s to be %s, but it is %s", id, input, want.toJson(),
            got == null ? "not set" : got.toJson());
      }
      return this;
    }

    private Resource resource(String id) {
      isNotNull();
      return actual.get(id).orElseGet(() -> {
        failWithMessage("expected a resource %s, but the state is%n%s", id, actual.render());
        return null;
      });
    }
  }
}
