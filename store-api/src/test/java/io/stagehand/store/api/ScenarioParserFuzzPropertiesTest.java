package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.InvalidInputException;
import io.stagehand.store.api.ScenarioFuzzText.Sample;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of {@link Scenario#parse} alone, on the scenario files mutated and on random text: it
 * returns a scenario or throws {@link InvalidInputException} naming the file and a line, never
 * repeating the text; a parsed scenario, written back with its expected output, parses to the same
 * cases (what {@code -Dstagehand.rewrite=true} relies on).
 *
 * <p>Each property checks 2,000 inputs; {@code -Dstagehand.fuzz.tries=<n>} checks n.
 */
class ScenarioParserFuzzPropertiesTest {
  private static final int INPUTS = Integer.getInteger("stagehand.fuzz.tries", 2000);
  private static final int TRIES = 1000;
  private static final int PER_TRY = Math.max(1, (INPUTS + TRIES - 1) / TRIES);

  @Property(tries = TRIES)
  void mutatedFilesParseOrAreRefusedByLine(@ForAll("mutated") List<Sample> samples) {
    samples.forEach(s -> Statistics.label("outcome").collect(parse(s).isPresent() ? "parsed" : "refused"));
  }

  @Property(tries = TRIES)
  void randomTextParsesOrIsRefusedByLine(@ForAll("random") List<Sample> samples) {
    samples.forEach(ScenarioParserFuzzPropertiesTest::parse);
  }

  @Property(tries = 50)
  void theFilesParse(@ForAll("planted") Sample s) {
    assertThat(parse(s)).isPresent();
  }

  /** Parses, checks the outcome, and returns the scenario if the text was one. */
  static Optional<Scenario> parse(Sample s) {
    Scenario parsed;
    try {
      parsed = Scenario.parse(s.name(), s.text());
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).as("the message for %s", s).startsWith(s.name() + ":")
          .matches("(?s)\\Q" + s.name() + "\\E:\\d+: .*").hasSizeLessThan(300).doesNotContain(s.token());
      return Optional.empty();
    } catch (Throwable t) {
      throw new AssertionError("Scenario.parse threw " + t + " for " + s, t);
    }
    List<List<String>> expected = parsed.cases().stream().map(Scenario.Case::expected).toList();
    Scenario again = Scenario.parse(s.name(), parsed.render(expected));
    assertThat(again.cases()).as("the cases of %s written back", s).hasSameSizeAs(parsed.cases());
    for (int i = 0; i < parsed.cases().size(); i++) {
      Scenario.Case a = parsed.cases().get(i);
      Scenario.Case b = again.cases().get(i);
      assertThat(List.of(b.comments(), b.directive(), b.input(), b.expected()))
          .as("case %s of %s written back", i, s).isEqualTo(List.of(a.comments(), a.directive(), a.input(), a.expected()));
    }
    assertThat(again.render(expected)).isEqualTo(parsed.render(expected));
    return Optional.of(parsed);
  }

  @Provide
  Arbitrary<List<Sample>> mutated() {
    return ScenarioFuzzText.mutated().list().ofSize(PER_TRY);
  }

  @Provide
  Arbitrary<List<Sample>> random() {
    return ScenarioFuzzText.text().list().ofMaxSize(30)
        .map(l -> new Sample("random.scenario", String.join("", l), "%none%")).list().ofSize(PER_TRY);
  }

  @Provide
  Arbitrary<Sample> planted() {
    return ScenarioFuzzText.planted();
  }
}
