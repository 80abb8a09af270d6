package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.ScenarioFuzzText.Sample;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of the scenario runner on a store: the scenario files, mutated line by line and character
 * by character (unknown directives, malformed and out-of-range arguments, stray separators, broken
 * edits), parsed and played case by case on a fresh store. Parsing and playing throw nothing but
 * {@link InvalidInputException}, whose message names the line and never repeats the planted token;
 * an {@code error:} line never repeats it either; and a case that prints an error leaves the store
 * exactly as it was (DESIGN.md section 7: after an error nothing changed).
 *
 * <p>200 mutated files per store; {@code -Dstagehand.fuzz.tries=<n>} plays n.
 */
public abstract class ScenarioFuzzProperties {
  protected ScenarioFuzzProperties() {}

  private static final int INPUTS = Integer.getInteger("stagehand.fuzz.tries", 200);
  private static final int TRIES = 200;
  private static final int PER_TRY = Math.max(1, (INPUTS + TRIES - 1) / TRIES);

  /** A new, empty store of the variant under test. */
  protected abstract Store createStore();

  @Property(tries = TRIES)
  void mutatedScenariosPlayWithoutSurprises(@ForAll("mutated") List<Sample> samples) {
    samples.forEach(this::play);
  }

  private void play(Sample s) {
    Scenario scenario;
    try {
      scenario = Scenario.parse(s.name(), s.text());
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).as("the message for %s", s).startsWith(s.name() + ":").doesNotContain(s.token());
      Statistics.label("outcome").collect("refused by the parser");
      return;
    } catch (Throwable t) {
      throw new AssertionError("Scenario.parse threw " + t + " for " + s, t);
    }
    Store store = createStore();
    ScenarioRunner runner = new ScenarioRunner(store);
    int errors = 0;
    int refused = 0;
    for (Scenario.Case c : scenario.cases()) {
      StoreSnapshot before = StoreSnapshot.of(store);
      List<String> output;
      try {
        output = runner.run(c);
      } catch (InvalidInputException e) {
        assertThat(e.getMessage()).as("the message for line %s of %s", c.line(), s)
            .contains("line " + c.line()).hasSizeLessThan(300).doesNotContain(s.token());
        assertThat(StoreSnapshot.of(store)).as("the store after line %s of %s", c.line(), s).isEqualTo(before);
        refused++;
        continue;
      } catch (Throwable t) {
        throw new AssertionError("the runner threw " + t + " at line " + c.line() + " of " + s, t);
      }
      if (output.size() == 1 && output.get(0).startsWith("error: ")) {
        errors++;
        assertThat(output.get(0)).as("the error at line %s of %s", c.line(), s).doesNotContain(s.token());
        assertThat(StoreSnapshot.of(store)).as("the store after the error at line %s of %s", c.line(), s)
            .isEqualTo(before);
      }
    }
    Statistics.label("outcome").collect(refused > 0 ? "a directive refused" : errors > 0 ? "played, with errors" : "played");
  }

  @Provide
  Arbitrary<List<Sample>> mutated() {
    return ScenarioFuzzText.mutated().list().ofSize(PER_TRY);
  }
}
