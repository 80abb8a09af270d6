package io.stagehand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.InvalidInputException;
import io.stagehand.store.api.Scenario;
import io.stagehand.store.api.ScenarioRunner;
import io.stagehand.store.api.StoreSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Directives the scenario runner cannot read are refused with an InvalidInputException naming the
 * line, never repeating its text, and change nothing; errors of Stagehand itself print as output.
 */
class ScenarioRunnerDirectivesTest {
  private static final String SECRET = "s3cr3t-Hunter2";

  @Test
  void unreadableDirectivesAreRefusedByLine() {
    // found by MemoryScenarioFuzzPropertiesTest: NumberFormatException for steps= and parallel=, and a
    // RuntimeException quoting the directive for an unknown one
    MemoryStore store = MemoryStore.create();
    ScenarioRunner runner = new ScenarioRunner(store);
    assertThat(runner.play(Scenario.parse("setup.scenario",
        "stage\ncreate a svc x=1\n----\nok\n\napply tag=t1\n----\nRUN a ok\n")).passed()).isTrue();
    StoreSnapshot before = StoreSnapshot.of(store);
    for (String directive : List.of(SECRET, "revert resource=a steps=" + SECRET, "revert resource=a steps=2147483648",
        "apply tag=t2 parallel=" + SECRET, "apply tag=t2 parallel=99999999999", "apply tag=t2 " + SECRET + "=1",
        "revert " + SECRET, "rollback-to " + SECRET, "state-at")) {
      Scenario.Case c = Scenario.parse("f.scenario", "\n\n" + directive + "\n----\nok\n").cases().get(0);
      assertThatThrownBy(() -> runner.run(c)).as(directive)
          .isInstanceOf(ScenarioRunner.UnsupportedDirectiveException.class)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("line 3: ")
          .hasMessageNotContaining(SECRET)
          .hasMessageNotContaining("Hunter");
      assertThat(StoreSnapshot.of(store)).as(directive).isEqualTo(before);
    }
    Scenario.Case bad = Scenario.parse("f.scenario", "revert resource=a steps=0\n----\nok\n").cases().get(0);
    assertThat(runner.run(bad)).singleElement().asString().startsWith("error: steps must be at least 1");
    Scenario.Case stage = Scenario.parse("f.scenario", "stage\nset a x=[" + SECRET + "]\n----\nok\n").cases().get(0);
    assertThat(runner.run(stage)).singleElement().asString().startsWith("error: ").doesNotContain(SECRET);
    assertThat(StoreSnapshot.of(store)).isEqualTo(before);
  }
}
