package io.stagehand.store.api;

import io.stagehand.core.InputLimits;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random values for the store properties: strings of any valid Unicode (astral characters,
 * controls, characters JSON writers escape, empty, now and then up to the length limit), numbers of
 * up to 100 digits at magnitudes up to 1e±1000 and negative zero, booleans, and lists and maps up to
 * the depth limit whose keys are any string. Also values just over each limit.
 */
final class FuzzValues {
  private FuzzValues() {}

  /**
   * Values within every limit, with map keys of at most {@code longestKey} characters and numbers of
   * magnitudes up to 1e±{@code largestExponent}.
   */
  static Arbitrary<Value> values(int longestKey, int largestExponent) {
    Arbitrary<Value> leaves = leaves(largestExponent);
    return Arbitraries.frequencyOf(
        Tuple.of(5, leaves),
        Tuple.of(4, Arbitraries.recursive(() -> leaves, inner -> containers(inner, longestKey), 0, 3)),
        Tuple.of(1, deep(leaves)));
  }

  static Arbitrary<Value> leaves(int largestExponent) {
    return Arbitraries.frequencyOf(
        Tuple.of(4, strings().map(Value::of)),
        Tuple.of(4, numbers(largestExponent).map(Value::of)),
        Tuple.of(1, Arbitraries.of(true, false).map(Value::of)));
  }

  private static Arbitrary<Value> containers(Arbitrary<Value> inner, int longestKey) {
    return Arbitraries.oneOf(
        inner.list().ofMaxSize(4).map(Value::list),
        Arbitraries.maps(keys(longestKey), inner).ofMaxSize(4).map(Value::map));
  }

  /** A leaf in lists and maps nested up to {@link InputLimits#MAX_DEPTH} deep, often exactly that. */
  static Arbitrary<Value> deep(Arbitrary<Value> leaves) {
    Arbitrary<Integer> depth = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(InputLimits.MAX_DEPTH)),
        Tuple.of(1, Arbitraries.just(InputLimits.MAX_DEPTH - 1)),
        Tuple.of(2, Arbitraries.integers().between(1, InputLimits.MAX_DEPTH)));
    return Combinators.combine(leaves, depth, Arbitraries.longs()).as(FuzzValues::nest);
  }

  /** {@code leaf} inside {@code n} lists and maps chosen by {@code seed}. */
  static Value nest(Value leaf, int n, long seed) {
    Random r = new Random(seed);
    Value v = leaf;
    for (int i = 0; i < n; i++) {
      v = r.nextBoolean() ? Value.list(v) : Value.map(Map.of(r.nextBoolean() ? "" : "k\u00e9\ud83d\ude00", v));
    }
    return v;
  }

  /**
   * Map keys: any string, now and then longer than 50,000 characters (a common parser default), up
   * to {@code longest}.
   */
  static Arbitrary<String> keys(int longest) {
    return Arbitraries.frequencyOf(
        Tuple.of(30, shortStrings()),
        Tuple.of(1, Arbitraries.of(50_000, 50_001, 70_000, InputLimits.MAX_STRING_LENGTH)
            .map(n -> repeat("k\ud83d\ude00", Math.min(n, longest)))));
  }

  /**
   * Strings of valid Unicode, often empty or short, now and then of 50,001 characters up to the
   * length limit.
   */
  static Arbitrary<String> strings() {
    return Arbitraries.frequencyOf(
        Tuple.of(60, shortStrings()),
        Tuple.of(1, Arbitraries.of(50_001, 300_000, InputLimits.MAX_STRING_LENGTH)
            .map(n -> repeat("x\u00e9\ud83d\ude00\n\"", n))));
  }

  /** Strings of valid Unicode of up to six pieces, often empty. */
  static Arbitrary<String> shortStrings() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().ascii().excludeChars('\0').ofMinLength(1).ofMaxLength(6)),
        Tuple.of(2, Arbitraries.chars().all().filter(c -> c != '\0' && !Character.isSurrogate(c)).map(String::valueOf)),
        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)),
        Tuple.of(1, Arbitraries.chars().range('\u0001', '\u001f').map(String::valueOf)),
        Tuple.of(1, Arbitraries.of("\"", "\\", "/", "'", "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff",
            "\ufffd", "\ufffe", "\uffff", "\udbff\udfff", "\\u0000", "${x}", "%s", "<b>", "--", ";", "null")));
    return piece.list().ofMaxSize(6).map(l -> String.join("", l));
  }

  /** {@code piece} repeated to exactly {@code n} UTF-16 units, never splitting a surrogate pair. */
  static String repeat(String piece, int n) {
    StringBuilder b = new StringBuilder(n + piece.length());
    while (b.length() < n) {
      b.append(piece);
    }
    b.setLength(n);
    if (Character.isHighSurrogate(b.charAt(n - 1))) {
      b.setCharAt(n - 1, 'y');
    }
    return b.toString();
  }

  /**
   * Numbers: longs, short decimals, up to 100 significant digits at magnitudes up to
   * 1e±{@code limit} (often at the edges), zero written as {@code -0.000}.
   */
  static Arbitrary<BigDecimal> numbers(int limit) {
    Arbitrary<Integer> digits = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(1, 20)),
        Tuple.of(1, Arbitraries.just(InputLimits.MAX_NUMBER_DIGITS)),
        Tuple.of(1, Arbitraries.integers().between(1, InputLimits.MAX_NUMBER_DIGITS)));
    Arbitrary<Integer> exponent = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(-30, 30)),
        Tuple.of(2, Arbitraries.of(limit, -limit, limit - 1, 1 - limit, Math.min(limit, 998), -Math.min(limit, 998))),
        Tuple.of(1, Arbitraries.integers().between(-limit, limit)));
    Arbitrary<BigDecimal> wide = Combinators.combine(digits, exponent, Arbitraries.longs(), Arbitraries.of(1, -1))
        .as(FuzzValues::number);
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().map(BigDecimal::valueOf)),
        Tuple.of(2, Arbitraries.bigDecimals().between(new BigDecimal("-1e6"), new BigDecimal("1e6")).ofScale(6)),
        Tuple.of(3, wide),
        Tuple.of(1, Arbitraries.of(BigDecimal.ZERO, new BigDecimal("-0.000"), new BigDecimal("0E+5"))));
  }

  /** A number of {@code p} random significant digits whose magnitude is 10^{@code e}. */
  static BigDecimal number(int p, int e, long seed, int sign) {
    Random r = new Random(seed);
    StringBuilder d = new StringBuilder().append((char) ('1' + r.nextInt(9)));
    for (int i = 1; i < p; i++) {
      d.append((char) ('0' + r.nextInt(10)));
    }
    BigInteger unscaled = new BigInteger(d.toString());
    return new BigDecimal(sign < 0 ? unscaled.negate() : unscaled, p - 1 - e);
  }

  /** Depth of lists and maps in {@code v}: 0 for a leaf. */
  static int depth(Value v) {
    if (v instanceof Value.ListValue l) {
      return 1 + l.values().stream().mapToInt(FuzzValues::depth).max().orElse(0);
    }
    if (v instanceof Value.MapValue m) {
      return 1 + m.entries().values().stream().mapToInt(FuzzValues::depth).max().orElse(0);
    }
    return 0;
  }

  /**
   * Resource kinds: plain words, and words of any characters but spaces and controls, astral ones
   * included, and now and then a lone surrogate.
   */
  static Arbitrary<String> kinds() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.strings().alpha().numeric().withChars("-_.:/").ofMinLength(1).ofMaxLength(4)),
        // any UTF-16 unit but spaces and controls
        Tuple.of(2, Arbitraries.chars().all().filter(c -> c > 0x20).map(String::valueOf)),
        // a lone surrogate, which core refuses in a kind
        Tuple.of(1, Arbitraries.chars().range('\ud800', '\udfff').map(String::valueOf)),
        Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)));
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("svc", "node", "postgres")),
        Tuple.of(2, piece.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("", l))));
  }
}
