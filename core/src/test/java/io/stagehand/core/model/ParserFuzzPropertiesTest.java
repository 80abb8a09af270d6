package io.stagehand.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.InputLimits;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.model.FuzzText.Line;
import io.stagehand.core.model.FuzzText.Sample;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of the two text parsers, {@link Edit#parse} and {@link Value#parse}, with random text
 * and with mutations of valid lines and values. Whatever the text, a parser returns a result or
 * throws {@link InvalidInputException}, never anything else; its message never repeats the token
 * planted in the text; a parsed value's JSON and a parsed edit's text parse back equal (an edit with
 * sensitive values prints them as {@code (sensitive)}, and is checked not to show them).
 *
 * <p>Each property checks 5,000 inputs; {@code -Dstagehand.fuzz.tries=<n>} checks n.
 */
class ParserFuzzPropertiesTest {
  private static final int INPUTS = Integer.getInteger("stagehand.fuzz.tries", 5000);
  /** jqwik's tries of each property; each try checks a batch of inputs, so that INPUTS can be raised. */
  private static final int TRIES = 1000;
  private static final int PER_TRY = Math.max(1, (INPUTS + TRIES - 1) / TRIES);

  // ---------------------------------------------------------------- Value.parse

  @Property(tries = TRIES)
  void valueParseTakesAnyText(@ForAll("randomTexts") List<String> texts) {
    texts.forEach(t -> parseValue(new Sample(t, "")));
  }

  @Property(tries = TRIES)
  void valueParseTakesMutatedJson(@ForAll("mutatedJson") List<Sample> samples) {
    samples.forEach(s -> Statistics.label("outcome").collect(parseValue(s).isPresent() ? "parsed" : "refused"));
  }

  @Property(tries = TRIES)
  void jsonWrittenAnyWayParsesToItsValue(@ForAll("writtenJson") List<Tuple.Tuple2<Value, Sample>> written) {
    for (Tuple.Tuple2<Value, Sample> w : written) {
      assertThat(parseValue(w.get2())).as("%s", w.get2()).contains(w.get1());
    }
  }

  @Property(tries = TRIES)
  void jsonOverTheLimitsIsRefused(@ForAll("overLimitJson") List<Sample> samples) {
    for (Sample s : samples) {
      assertThat(parseValue(s)).as("a value over the limits: %s", s).isEmpty();
    }
  }

  /**
   * Strings and map keys of any length up to the limit, of one- and two-unit characters, go through
   * JSON and back; one unit more is refused. Few tries: each string is up to a MiB.
   */
  @Property(tries = 30)
  void longStringsAndKeysGoThroughJson(@ForAll("longStrings") String s, @ForAll boolean asKey) {
    Value v = asKey ? Value.map(java.util.Map.of(s, Value.of(1))) : Value.of(s);
    assertThat(parseValue(new Sample(v.toJson(), ""))).as("%s characters", s.length()).contains(v);
    assertThat(parseEdit(new Sample("set a x=" + v.toJson(), ""))).isPresent();
    String quoted = Value.of(s).toJson();
    String over = quoted.substring(0, quoted.length() - 1) + "x".repeat(InputLimits.MAX_STRING_LENGTH + 1 - s.length())
        + "\"";
    String json = asKey ? "{" + over + ":1}" : over;
    assertThat(parseValue(new Sample(json, ""))).isEmpty();
  }

  @Provide
  Arbitrary<String> longStrings() {
    int max = InputLimits.MAX_STRING_LENGTH;
    Arbitrary<Integer> length = Arbitraries.of(0, 1, 49_999, 50_000, 50_001, 65_536, 1 << 19, max - 1, max);
    Arbitrary<String> piece = Arbitraries.of("x", "\u00e9", "\ud83d\ude00", "\\\"", "\n", "a\u2028");
    return Combinators.combine(length, piece).as((n, p) -> {
      StringBuilder b = new StringBuilder(n + 2);
      while (b.length() < n) {
        b.append(p);
      }
      // cut to length without splitting a surrogate pair
      b.setLength(n);
      if (n > 0 && Character.isHighSurrogate(b.charAt(n - 1))) {
        b.setCharAt(n - 1, 'y');
      }
      return b.toString();
    });
  }

  // ---------------------------------------------------------------- Edit.parse

  @Property(tries = TRIES)
  void editParseTakesAnyText(@ForAll("randomLines") List<String> lines) {
    lines.forEach(l -> parseEdit(new Sample(l, "")));
  }

  @Property(tries = TRIES)
  void editParseTakesMutatedLines(@ForAll("mutatedLines") List<Sample> samples) {
    samples.forEach(s -> Statistics.label("outcome").collect(parseEdit(s).isPresent() ? "parsed" : "refused"));
  }

  @Property(tries = TRIES)
  void editLinesWrittenAnyWayParseToTheirEdit(@ForAll("lines") List<Line> lines) {
    for (Line l : lines) {
      assertThat(parseEdit(l.sample())).as("%s", l).contains(l.edit());
    }
  }

  @Property(tries = TRIES)
  void editLinesWithValuesOverTheLimitsAreRefused(@ForAll("overLimitLines") List<Sample> samples) {
    for (Sample s : samples) {
      assertThat(parseEdit(s)).as("a line with a value over the limits: %s", s).isEmpty();
    }
  }

  // ---------------------------------------------------------------- checks

  /** Parses, checks the outcome, and returns the value if the text was one. */
  private static Optional<Value> parseValue(Sample s) {
    Optional<Value> parsed = outcome(s, Value::parse);
    parsed.ifPresent(v -> {
      Value again = outcome(new Sample(v.toJson(), ""), Value::parse)
          .orElseThrow(() -> new AssertionError("the JSON of a parsed value does not parse: " + s));
      assertThat(again).as("the JSON of the value parsed from %s", s).isEqualTo(v);
      assertThat(again.toJson()).isEqualTo(v.toJson());
      assertThat(FuzzText.depth(v)).isLessThanOrEqualTo(InputLimits.MAX_DEPTH);
    });
    return parsed;
  }

  /** Parses, checks the outcome, and returns the edit if the text was one. */
  private static Optional<Edit> parseEdit(Sample s) {
    Optional<Edit> parsed = outcome(s, Edit::parse);
    parsed.ifPresent(e -> {
      String token = s.token();
      boolean tokenInKind = e instanceof Edit.Create c && !token.isEmpty() && c.kind().contains(token);
      if (!token.isEmpty() && !tokenInKind) {
        assertThat(e.describe()).as("describe() of the edit parsed from %s", s).doesNotContain(token);
      }
      if (FuzzText.isSensitive(e)) {
        assertThat(e.toString()).contains("(sensitive)");
        if (FuzzText.tokenOnlyInSensitive(e, token)) {
          assertThat(e.toString()).as("the text of the sensitive edit parsed from %s", s).doesNotContain(token);
        }
        return;
      }
      Edit again = outcome(new Sample(e.toString(), ""), Edit::parse)
          .orElseThrow(() -> new AssertionError("the text of a parsed edit does not parse: " + s));
      assertThat(again).as("the text of the edit parsed from %s", s).isEqualTo(e);
      assertThat(again.toString()).isEqualTo(e.toString());
    });
    return parsed;
  }

  /**
   * The parser's result, or empty if it refused the text with an {@link InvalidInputException} whose
   * message is short, says something, and does not repeat the planted token.
   */
  private static <T> Optional<T> outcome(Sample s, Function<String, T> parser) {
    try {
      return Optional.of(parser.apply(s.text()));
    } catch (InvalidInputException e) {
      String message = e.getMessage();
      assertThat(message).as("the message for %s", s).isNotBlank().hasSizeLessThan(600);
      if (!s.token().isEmpty() && s.text().contains(s.token())) {
        assertThat(message).as("the message for %s", s).doesNotContain(s.token());
      }
      return Optional.empty();
    } catch (Throwable t) {
      throw new AssertionError("the parser threw " + t + " for " + s, t);
    }
  }

  // ---------------------------------------------------------------- inputs

  private static <T> Arbitrary<List<T>> batches(Arbitrary<T> one) {
    return one.list().ofSize(PER_TRY);
  }

  @Provide
  Arbitrary<List<String>> randomTexts() {
    return batches(FuzzText.randomText(40));
  }

  @Provide
  Arbitrary<List<Sample>> mutatedJson() {
    return batches(FuzzText.mutated(written().map(Tuple.Tuple2::get2)));
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<Value, Sample>>> writtenJson() {
    return batches(written());
  }

  /** A valid value with the token planted, and one way to write it as JSON. */
  private static Arbitrary<Tuple.Tuple2<Value, Sample>> written() {
    return Combinators.combine(FuzzText.values(), FuzzText.tokens(), Arbitraries.longs()).as((v, token, seed) -> {
      Value planted = FuzzText.plant(v, token, seed);
      return Tuple.of(planted, new Sample(FuzzText.json(planted, seed, false), token));
    });
  }

  @Provide
  Arbitrary<List<Sample>> overLimitJson() {
    return batches(overLimit());
  }

  /**
   * JSON over one of the limits, a planted token beside the fault: nested 65 deep or far more, 101
   * significant digits, magnitudes past 1e±1000 (exponents near the int range too), a NUL or lone
   * surrogate in a string or key, a key given twice.
   */
  private static Arbitrary<Sample> overLimit() {
    int max = InputLimits.MAX_DEPTH;
    Arbitrary<String> fault = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of(max + 1, max + 2, 1000, 100_000).map(n -> "[".repeat(n) + "1" + "]".repeat(n))),
        Tuple.of(1, Arbitraries.of(max + 1, 100_000).map(n -> "{\"k\":".repeat(n) + "1" + "}".repeat(n))),
        Tuple.of(1, Arbitraries.of(max + 1, 100_000).map("["::repeat)),
        Tuple.of(3, Combinators.combine(Arbitraries.integers().between(1, 100), Arbitraries.integers().between(0, 30),
                Arbitraries.integers().between(0, 6), Arbitraries.of("", "-"))
            .as((digits, zeros, how, sign) -> {
              int limit = InputLimits.MAX_NUMBER_EXPONENT;
              // the magnitude of d digits and e is 10^(d - 1 + e): past the limit however the zeros shift it
              long shift = digits + zeros - 1L;
              long exponent = switch (how) {
                case 0 -> limit + 1 - shift;
                case 1 -> -(limit + 1) - shift;
                case 2 -> Integer.MAX_VALUE;
                case 3 -> Integer.MAX_VALUE - 3;
                case 4 -> Integer.MIN_VALUE;
                case 5 -> Integer.MIN_VALUE + 3 + shift;
                default -> 1L << 40;
              };
              return sign + "1" + "7".repeat(digits - 1) + "0".repeat(zeros) + "e" + exponent;
            })),
        Tuple.of(1, Arbitraries.integers().between(InputLimits.MAX_NUMBER_DIGITS + 1, 2000)
            .map(n -> "1" + "2".repeat(n - 2) + "3")),
        Tuple.of(1, Arbitraries.of("\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udc00\"", "\"\ud800\"", "{\"\\u0000\":1}",
            "{\"\\udfff\":1}", "{\"a\":1,\"a\":2}", "[1,null]", "NaN", "-Infinity")));
    return Combinators.combine(fault, FuzzText.tokens(), Arbitraries.integers().between(0, 3))
        .as((f, token, where) -> {
          String secret = "\"" + token + "\"";
          String text = switch (where) {
            case 0 -> f;
            case 1 -> "[" + secret + "," + f + "]";
            case 2 -> "{\"a\":" + secret + ",\"b\":" + f + "}";
            default -> "[" + f + "," + secret + "]";
          };
          return new Sample(text, where == 0 ? "" : token);
        });
  }

  @Provide
  Arbitrary<List<String>> randomLines() {
    return batches(Arbitraries.oneOf(FuzzText.randomText(40), FuzzText.randomEditLines()));
  }

  @Provide
  Arbitrary<List<Sample>> mutatedLines() {
    return batches(FuzzText.mutated(FuzzText.lines().map(Line::sample)));
  }

  @Provide
  Arbitrary<List<Line>> lines() {
    return batches(FuzzText.lines());
  }

  @Provide
  Arbitrary<List<Sample>> overLimitLines() {
    Arbitrary<Sample> json = overLimit().filter(s -> !s.text().contains(" "));
    return batches(Combinators.combine(json, Arbitraries.of("create a svc x!=", "set a x=", "set a x!=",
            "create a svc y=1 x="))
        .as((s, prefix) -> new Sample(prefix + s.text(), s.token())));
  }
}
