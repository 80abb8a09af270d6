package io.stagehand.core.model;

import io.stagehand.core.InputLimits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators for fuzzing the text parsers: random text biased toward the characters of JSON and of
 * the edit syntax, valid JSON and edit lines written in many equivalent ways, and mutations of
 * them. Valid samples carry a planted token, a secret-looking word that must never appear in an
 * error message: it holds a {@code %}, so it can never be an identifier the parser validated and
 * may name.
 */
final class FuzzText {
  private FuzzText() {}

  /** The characters of JSON and the edit syntax, which random text should hit often. */
  static final String SYNTAX = "\"{}[],:!=.@+ ->\\#0123456789eE-";

  /** Words that reach the corners of the parsers: extreme numbers, bad escapes, verbs, separators. */
  static final List<String> KEYWORDS = List.of(
      "null", "true", "false", "-0", "-0.0e-7", "1e2147483648", "100e2147483647", "-1000E+2147483647",
      "1e-2147483649", "10e-2147483648", "1e1000", "1e1001", "-1e-1001", "9".repeat(101), "0.5e", "1.", ".5",
      "01", "1e+", "NaN", "Infinity", "0x1F", "\\u0000", "\\ud800", "\\udc00\\ud800", "\\ud83d\\ude00", "\\u12",
      "\\x", "\\\"", "\"", "->", "[]", "[].", "{\"\":", "[[[[", "]]]]", "}}", "create ", "set ", "unset ",
      "remove ", "connect ", "disconnect ", "place ", "unplace ", "label ", "unlabel ", "depend ", " after ",
      "react ", " * ", "!=", "=", "@", "+", "\t", "\r\n", "\u2028", "\u00a0", "\ufeff", "\uffff", "\u0000");

  // ---------------------------------------------------------------- samples

  /** A text to parse, with the token planted in it ({@code ""} when none was). */
  record Sample(String text, String token) {
    @Override
    public String toString() {
      return escape(text) + (token.isEmpty() ? "" : " (token " + token + ")");
    }
  }

  /** The text with everything outside printable ASCII escaped, cut to a readable length. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder("\"");
    int shown = Math.min(s.length(), 2000);
    for (int i = 0; i < shown; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    b.append('"');
    if (shown < s.length()) {
      b.append("... (").append(s.length()).append(" characters)");
    }
    return b.toString();
  }

  /** A secret-looking token of 12 characters, e.g. {@code Xk4q7%Zr0pLm}. */
  static Arbitrary<String> tokens() {
    net.jqwik.api.arbitraries.StringArbitrary alnum = Arbitraries.strings().alpha().numeric();
    return Combinators.combine(alnum.ofLength(5), Arbitraries.of('%'), alnum.ofLength(6))
        .as((a, pct, b) -> a + pct + b);
  }

  // ---------------------------------------------------------------- random text

  /** Random text of up to {@code maxPieces} pieces: syntax characters, any UTF-16 unit, keywords. */
  static Arbitrary<String> randomText(int maxPieces) {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.chars().with(SYNTAX).map(String::valueOf)),
        // every UTF-16 unit, lone surrogates included
        Tuple.of(3, Arbitraries.chars().all().map(String::valueOf)),
        Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)),
        Tuple.of(1, Arbitraries.chars().range('\0', '\u001f').map(String::valueOf)),
        Tuple.of(3, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(6)),
        Tuple.of(2, Arbitraries.of(KEYWORDS)));
    return piece.list().ofMaxSize(maxPieces).map(l -> String.join("", l));
  }

  /** Random lines that start like an edit: a verb, then random text. */
  static Arbitrary<String> randomEditLines() {
    Arbitrary<String> verb = Arbitraries.of("create", "set", "unset", "remove", "connect", "disconnect", "place",
        "unplace", "label", "unlabel", "depend", "undepend", "react", "unreact");
    return Combinators.combine(verb, Arbitraries.of(" ", "  ", "\t", ""), randomText(30))
        .as((v, sep, rest) -> v + sep + rest);
  }

  // ---------------------------------------------------------------- valid values

  /** Valid values: every kind of leaf, containers up to 3 deep, and chains up to the depth limit. */
  static Arbitrary<Value> values() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, leaves()),
        Tuple.of(4, Arbitraries.recursive(FuzzText::leaves, FuzzText::containers, 0, 3)),
        Tuple.of(1, deepValues()));
  }

  static Arbitrary<Value> leaves() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, strings().map(Value::of)),
        Tuple.of(3, numbers().map(Value::of)),
        Tuple.of(1, Arbitraries.of(true, false).map(Value::of)));
  }

  private static Arbitrary<Value> containers(Arbitrary<Value> inner) {
    return Arbitraries.oneOf(
        inner.list().ofMaxSize(4).map(Value::list),
        Arbitraries.maps(strings(), inner).ofMaxSize(4).map(Value::map));
  }

  /** A leaf wrapped in lists and maps up to {@link InputLimits#MAX_DEPTH} deep, often exactly that. */
  static Arbitrary<Value> deepValues() {
    Arbitrary<Integer> depth = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(InputLimits.MAX_DEPTH)),
        Tuple.of(1, Arbitraries.just(InputLimits.MAX_DEPTH - 1)),
        Tuple.of(3, Arbitraries.integers().between(1, InputLimits.MAX_DEPTH)));
    return Combinators.combine(leaves(), depth, Arbitraries.longs()).as((leaf, n, seed) -> wrap(leaf, n, seed));
  }

  /** {@code leaf} inside {@code n} lists and maps, chosen by {@code seed}. */
  static Value wrap(Value leaf, int n, long seed) {
    Random r = new Random(seed);
    Value v = leaf;
    for (int i = 0; i < n; i++) {
      v = r.nextBoolean() ? Value.list(v) : Value.map(Map.of(r.nextBoolean() ? "k" : "", v));
    }
    return v;
  }

  /**
   * Strings of valid Unicode: ASCII, any BMP character but NUL and lone surrogates, astral
   * characters, controls, characters JSON writers treat specially; often empty.
   */
  static Arbitrary<String> strings() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().ascii().excludeChars('\0').ofMinLength(1).ofMaxLength(5)),
        Tuple.of(2, Arbitraries.chars().all().filter(c -> c != '\0' && !Character.isSurrogate(c)).map(String::valueOf)),
        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)),
        Tuple.of(1, Arbitraries.chars().range('\u0001', '\u001f').map(String::valueOf)),
        Tuple.of(1, Arbitraries.of("\"", "\\", "/", "\u007f", "\u0085", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff",
            "\\u0041", "</script>", "'")));
    return piece.list().ofMaxSize(6).map(l -> String.join("", l));
  }

  /**
   * Numbers within the limits: longs, short decimals, and numbers of up to 100 significant digits
   * at magnitudes up to 1e±1000 (often at the edges), zero.
   */
  static Arbitrary<BigDecimal> numbers() {
    Arbitrary<Integer> digits = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(1, 20)),
        Tuple.of(1, Arbitraries.just(InputLimits.MAX_NUMBER_DIGITS)),
        Tuple.of(1, Arbitraries.integers().between(1, InputLimits.MAX_NUMBER_DIGITS)));
    Arbitrary<Integer> exponent = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(-30, 30)),
        Tuple.of(1, Arbitraries.of(InputLimits.MAX_NUMBER_EXPONENT, -InputLimits.MAX_NUMBER_EXPONENT,
            InputLimits.MAX_NUMBER_EXPONENT - 1, 1 - InputLimits.MAX_NUMBER_EXPONENT)),
        Tuple.of(1, Arbitraries.integers().between(-InputLimits.MAX_NUMBER_EXPONENT, InputLimits.MAX_NUMBER_EXPONENT)));
    Arbitrary<BigDecimal> wide = Combinators.combine(digits, exponent, Arbitraries.longs(), Arbitraries.of(1, -1))
        .as((p, e, seed, sign) -> number(p, e, seed, sign));
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

  /**
   * A value with the token planted in one of its strings: the value itself if it is a string, else
   * a map or list that holds it.
   */
  static Value plant(Value v, String token, long seed) {
    Random r = new Random(seed);
    Value secret = Value.of("pw-" + token + (r.nextBoolean() ? "" : " \u00e9\ud83d\ude00"));
    if (v instanceof Value.StringValue s) {
      return Value.of(s.value() + token);
    }
    if (v instanceof Value.MapValue m) {
      // one more entry at the top: no deeper than before
      TreeMap<String, Value> entries = new TreeMap<>(m.entries());
      entries.put("secret", secret);
      return Value.map(entries);
    }
    return depth(v) < InputLimits.MAX_DEPTH ? Value.list(secret, v) : secret;
  }

  static int depth(Value v) {
    if (v instanceof Value.ListValue l) {
      return 1 + l.values().stream().mapToInt(FuzzText::depth).max().orElse(0);
    }
    if (v instanceof Value.MapValue m) {
      return 1 + m.entries().values().stream().mapToInt(FuzzText::depth).max().orElse(0);
    }
    return 0;
  }

  // ---------------------------------------------------------------- writing values as JSON text

  /**
   * {@code v} as JSON text, written one of the many equivalent ways chosen by {@code seed}: escaped or
   * raw characters, plain or scientific numbers with or without trailing zeros, whitespace between
   * tokens. With {@code inLine}, no space sits outside a list or map (an edit line splits there).
   */
  static String json(Value v, long seed, boolean inLine) {
    StringBuilder b = new StringBuilder();
    Random r = new Random(seed);
    if (!inLine) {
      space(b, r, false);
    }
    json(b, v, r);
    if (!inLine) {
      space(b, r, false);
    }
    return b.toString();
  }

  private static void json(StringBuilder b, Value v, Random r) {
    if (v instanceof Value.StringValue s) {
      string(b, s.value(), r);
    } else if (v instanceof Value.NumberValue n) {
      b.append(number(n.value(), r));
    } else if (v instanceof Value.BooleanValue bool) {
      b.append(bool.value());
    } else if (v instanceof Value.ListValue l) {
      b.append('[');
      space(b, r, true);
      for (int i = 0; i < l.values().size(); i++) {
        if (i > 0) {
          b.append(',');
          space(b, r, true);
        }
        json(b, l.values().get(i), r);
        space(b, r, true);
      }
      b.append(']');
    } else {
      b.append('{');
      space(b, r, true);
      boolean first = true;
      for (Map.Entry<String, Value> e : ((Value.MapValue) v).entries().entrySet()) {
        if (!first) {
          b.append(',');
          space(b, r, true);
        }
        first = false;
        string(b, e.getKey(), r);
        space(b, r, true);
        b.append(':');
        space(b, r, true);
        json(b, e.getValue(), r);
        space(b, r, true);
      }
      b.append('}');
    }
  }

  private static void space(StringBuilder b, Random r, boolean anyWhitespace) {
    if (r.nextInt(4) == 0) {
      String[] ws = anyWhitespace ? new String[] {" ", "  ", "\t", "\n", "\r\n"} : new String[] {"\t", "\n", "\r"};
      b.append(ws[r.nextInt(ws.length)]);
    }
  }

  private static void string(StringBuilder b, String s, Random r) {
    b.append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append(r.nextBoolean() ? "\\b" : "\\u0008");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '/' -> b.append(r.nextBoolean() ? "/" : "\\/");
        default -> {
          if (cp < 0x20 || r.nextInt(8) == 0) {
            for (char c : Character.toChars(cp)) {
              b.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
            }
          } else {
            b.appendCodePoint(cp);
          }
        }
      }
    }
    b.append('"');
  }

  /** An equivalent spelling of {@code n}: plain, scientific, shifted exponent, trailing zeros. */
  static String number(BigDecimal n, Random r) {
    if (n.signum() == 0) {
      String[] zeros = {"0", "-0", "0.0", "-0.000", "0e7", "0E-3", "-0.0e+12"};
      return zeros[r.nextInt(zeros.length)];
    }
    switch (r.nextInt(5)) {
      case 0:
        return n.toPlainString();
      case 1:
        return n.toString();
      case 2: {
        int extra = r.nextInt(4);
        BigInteger unscaled = n.unscaledValue().multiply(BigInteger.TEN.pow(extra));
        long exponent = -(long) n.scale() - extra;
        return unscaled + (r.nextBoolean() ? "e" : "E") + (exponent >= 0 && r.nextBoolean() ? "+" : "") + exponent;
      }
      case 3: {
        // one digit before the point
        String digits = n.unscaledValue().abs().toString();
        long exponent = (long) n.precision() - n.scale() - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (n.signum() < 0 ? "-" : "") + mantissa + "e" + exponent;
      }
      default:
        return n.scale() > 0 && n.scale() < 2000 ? n.toPlainString() + "0".repeat(r.nextInt(3)) : n.toPlainString();
    }
  }

  // ---------------------------------------------------------------- valid edit lines

  /** A valid edit and one of the ways to write it, the token planted in its values if it has any. */
  record Line(Edit edit, String text, String token) {
    Sample sample() {
      return new Sample(text, token);
    }

    @Override
    public String toString() {
      return escape(text);
    }
  }

  private static final List<String> IDS = List.of("a", "b", "web1", "k-1", "x_2", "N0DE", "r".repeat(200));
  private static final List<String> NAMES = List.of("x", "ip", "port", "pass_word", "a-b", "Z9", "n".repeat(100));

  /** Kinds: printable words, often plain, sometimes of any letters, astral ones included. */
  static Arbitrary<String> kinds() {
    Arbitrary<String> letters = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.strings().alpha().numeric().withChars("-_.:/").ofMinLength(1).ofMaxLength(4)),
        Tuple.of(1, Arbitraries.chars().all().filter(Character::isLetter).map(String::valueOf)),
        Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF).filter(Character::isLetter)
            .map(Character::toString)));
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("svc", "nginx", "postgres", "node")),
        Tuple.of(1, letters.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("", l))));
  }

  /** Valid edit lines, the token planted in a string of their values. */
  static Arbitrary<Line> lines() {
    Arbitrary<String> id = Arbitraries.of(IDS);
    Arbitrary<String> name = Arbitraries.of(NAMES);
    Arbitrary<Value> value = values();
    Arbitrary<List<Value>> someValues = value.list().ofMaxSize(3);
    Arbitrary<String> label = Arbitraries.of("web", "db", "x-1");
    Arbitrary<Line> create = Combinators.combine(id, kinds(), someValues, label.set().ofMaxSize(2),
            Arbitraries.of(Boolean.TRUE, Boolean.FALSE), Arbitraries.longs(), tokens())
        .as((i, kind, vals, labels, placed, seed, token) -> {
          Random r = new Random(seed);
          TreeMap<String, Value> inputs = new TreeMap<>();
          TreeSet<String> sensitive = new TreeSet<>();
          List<String> words = new ArrayList<>();
          for (int k = 0; k < vals.size(); k++) {
            String n = NAMES.get(k);
            Value v = k == 0 ? plant(vals.get(k), token, seed) : vals.get(k);
            boolean secret = r.nextInt(3) == 0;
            inputs.put(n, v);
            if (secret) {
              sensitive.add(n);
            }
            words.add(n + (secret ? "!=" : "=") + json(v, r.nextLong(), true));
          }
          java.util.Optional<ResourceId> location = placed ? java.util.Optional.of(ResourceId.of("b")) : java.util.Optional.empty();
          location.ifPresent(l -> words.add("@" + l));
          labels.forEach(l -> words.add("+" + l));
          java.util.Collections.shuffle(words, r);
          Edit e = new Edit.Create(ResourceId.of(i), kind, inputs, sensitive, location, new TreeSet<>(labels));
          return new Line(e, join(r, "create", i, kind, words), vals.isEmpty() ? "" : token);
        });
    Arbitrary<Line> set = Combinators.combine(id, name, value, Arbitraries.of(Boolean.TRUE, Boolean.FALSE),
            Arbitraries.longs(), tokens())
        .as((i, n, v, secret, seed, token) -> {
          Random r = new Random(seed);
          Value planted = plant(v, token, seed);
          Edit e = new Edit.SetInput(ResourceId.of(i), n, planted, secret);
          return new Line(e, join(r, "set", i, List.of(n + (secret ? "!=" : "=") + json(planted, r.nextLong(), true))),
              token);
        });
    Arbitrary<Edit> others = Arbitraries.oneOf(
        Combinators.combine(id, name).as((i, n) -> (Edit) Edit.unset(i, n)),
        id.map(i -> (Edit) Edit.remove(i)),
        Combinators.combine(id, id).as((i, l) -> (Edit) Edit.place(i, l)),
        id.map(i -> (Edit) Edit.unplace(i)),
        Combinators.combine(id, label, Arbitraries.of(true, false))
            .as((i, l, add) -> (Edit) (add ? Edit.label(i, l) : Edit.unlabel(i, l))),
        Combinators.combine(id, id, Arbitraries.of(true, false)).as((a, b, add) -> add
            ? (Edit) Edit.dependOn(a, b) : (Edit) new Edit.RemoveEvent(Event.dependsOn(a, b))),
        Combinators.combine(id, Arbitraries.of("*", "RUN", "UPDATE", "restart"), id, Arbitraries.of("restart", "reload"))
            .as((a, t, b, react) -> (Edit) Edit.react(a, t, b, react)),
        Combinators.combine(id, name, id, name, Arbitraries.of(0, 1, 2, 3), Arbitraries.of(true, false))
            .as((a, x, b, y, shape, add) -> {
              String receiver = b + "." + y + switch (shape) {
                case 1 -> "[]";
                case 2 -> ".key";
                case 3 -> "[].key";
                default -> "";
              };
              Connection c = Connection.parse(a + "." + x + " -> " + receiver);
              return add ? (Edit) new Edit.Connect(c) : (Edit) new Edit.Disconnect(c);
            }));
    Arbitrary<Line> other = Combinators.combine(others, Arbitraries.longs()).as((e, seed) -> {
      Random r = new Random(seed);
      String text = e.toString();
      if (r.nextBoolean() && (e instanceof Edit.Connect || e instanceof Edit.Disconnect)) {
        text = text.replace(" -> ", r.nextBoolean() ? "->" : "  ->   ");
      }
      return new Line(e, pad(r, text.replace(" ", r.nextInt(4) == 0 ? "  " : " ")), "");
    });
    return Arbitraries.frequencyOf(Tuple.of(3, create), Tuple.of(3, set), Tuple.of(2, other));
  }

  private static String join(Random r, String verb, String id, String kind, List<String> words) {
    List<String> all = new ArrayList<>(List.of(id, kind));
    all.addAll(words);
    return join(r, verb, all);
  }

  private static String join(Random r, String verb, String id, List<String> words) {
    List<String> all = new ArrayList<>(List.of(id));
    all.addAll(words);
    return join(r, verb, all);
  }

  private static String join(Random r, String verb, List<String> words) {
    StringBuilder b = new StringBuilder(verb);
    for (String w : words) {
      b.append(r.nextInt(5) == 0 ? "   " : " ").append(w);
    }
    return pad(r, b.toString());
  }

  private static String pad(Random r, String line) {
    return switch (r.nextInt(6)) {
      case 0 -> "  " + line;
      case 1 -> line + " \t";
      default -> line;
    };
  }

  // ---------------------------------------------------------------- mutations

  /** One change to a text, placed by fractions of its length so that it fits any text. */
  record Mutation(Op op, double at, double to, int count, String payload) {
    enum Op { INSERT, DELETE, REPLACE, DUPLICATE, TRUNCATE, NEST, OPEN, NUMBER, REPEAT }

    String apply(String s) {
      int i = index(s, at);
      int j = Math.min(s.length(), i + count);
      switch (op) {
        case INSERT:
          return s.substring(0, i) + payload + s.substring(i);
        case DELETE:
          return s.substring(0, i) + s.substring(j);
        case REPLACE:
          return s.substring(0, i) + payload + s.substring(j);
        case DUPLICATE: {
          int k = index(s, to);
          return s.substring(0, k) + s.substring(i, j) + s.substring(k);
        }
        case TRUNCATE:
          return s.substring(0, i);
        case NEST: {
          int end = Math.max(i, index(s, to));
          boolean list = payload.length() % 2 == 0;
          return s.substring(0, i) + (list ? "[" : "{\"k\":").repeat(count) + s.substring(i, end)
              + (list ? "]" : "}").repeat(count) + s.substring(end);
        }
        case OPEN:
          return s.substring(0, i) + (payload.length() % 2 == 0 ? "[" : "{\"\":").repeat(count) + s.substring(i);
        case NUMBER: {
          // replace the number at or after i (or the first one) with the payload
          int start = -1;
          for (int k = 0; k < s.length() && start < 0; k++) {
            int at = (i + k) % s.length();
            if (Character.isDigit(s.charAt(at))) {
              start = at;
            }
          }
          if (start < 0) {
            return s + payload;
          }
          while (start > 0 && "0123456789.eE+-".indexOf(s.charAt(start - 1)) >= 0) {
            start--;
          }
          int end = start;
          while (end < s.length() && "0123456789.eE+-".indexOf(s.charAt(end)) >= 0) {
            end++;
          }
          return s.substring(0, start) + payload + s.substring(end);
        }
        default: {
          String slice = s.substring(i, j);
          return s.substring(0, i) + slice.repeat(Math.min(count * 50, 5000)) + s.substring(j);
        }
      }
    }

    private static int index(String s, double fraction) {
      return (int) Math.min(s.length(), Math.floor(fraction * (s.length() + 1)));
    }

    @Override
    public String toString() {
      return op + "@" + String.format("%.3f", at) + "/" + String.format("%.3f", to) + "x" + count + " "
          + escape(payload);
    }
  }

  /** Mutations biased toward small changes, with deep nesting and extreme numbers among them. */
  static Arbitrary<Mutation> mutations() {
    Arbitrary<Mutation.Op> op = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(Mutation.Op.INSERT)),
        Tuple.of(3, Arbitraries.just(Mutation.Op.DELETE)),
        Tuple.of(3, Arbitraries.just(Mutation.Op.REPLACE)),
        Tuple.of(2, Arbitraries.just(Mutation.Op.DUPLICATE)),
        Tuple.of(1, Arbitraries.just(Mutation.Op.TRUNCATE)),
        Tuple.of(2, Arbitraries.just(Mutation.Op.NEST)),
        Tuple.of(1, Arbitraries.just(Mutation.Op.OPEN)),
        Tuple.of(2, Arbitraries.just(Mutation.Op.NUMBER)),
        Tuple.of(1, Arbitraries.just(Mutation.Op.REPEAT)));
    Arbitrary<Integer> count = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.integers().between(1, 8)),
        Tuple.of(2, Arbitraries.of(InputLimits.MAX_DEPTH - 1, InputLimits.MAX_DEPTH, InputLimits.MAX_DEPTH + 1)),
        Tuple.of(1, Arbitraries.of(1000, 100_000)));
    Arbitrary<Double> fraction = Arbitraries.doubles().between(0, 1);
    return Combinators.combine(op, fraction, fraction, count, randomText(4)).as((o, at, to, n, payload) -> {
      if (o == Mutation.Op.NUMBER) {
        // the payload picks an extreme number
        List<String> extremes = List.of("1e2147483648", "100e2147483647", "-1000E+2147483647", "1e-2147483649",
            "10e-2147483648", "0.000e2147483647", "1e1001", "1e-1001", "1e1000", "-1E-1000", "9".repeat(101),
            "1" + "0".repeat(2200), "0." + "0".repeat(999) + "1", "-0", "1e", "1.e5", "1e+-5");
        return new Mutation(o, at, to, n, extremes.get(Math.floorMod(payload.hashCode(), extremes.size())));
      }
      // the large counts are for nesting; other operations stay small
      int c = o == Mutation.Op.NEST || o == Mutation.Op.OPEN ? n : Math.min(n, 8);
      return new Mutation(o, at, to, c, payload);
    });
  }

  /** A sample changed by one to three mutations; the token stays whatever the mutations left of it. */
  static Arbitrary<Sample> mutated(Arbitrary<Sample> valid) {
    return Combinators.combine(valid, mutations().list().ofMinSize(1).ofMaxSize(3)).as((s, ms) -> {
      String text = s.text();
      for (Mutation m : ms) {
        text = m.apply(text);
      }
      return new Sample(text, s.token());
    });
  }

  /** The inputs of a sensitive edit that hold the token only where it prints as {@code (sensitive)}. */
  static boolean tokenOnlyInSensitive(Edit e, String token) {
    if (token.isEmpty()) {
      return false;
    }
    if (e instanceof Edit.Create c) {
      if (c.kind().contains(token)) {
        return false;
      }
      boolean inSensitive = false;
      for (Map.Entry<String, Value> in : c.inputs().entrySet()) {
        boolean has = in.getValue().toJson().contains(token);
        if (has && !c.sensitive().contains(in.getKey())) {
          return false;
        }
        inSensitive |= has;
      }
      return inSensitive;
    }
    if (e instanceof Edit.SetInput s) {
      return s.sensitive() && s.value().toJson().contains(token);
    }
    return false;
  }

  /** True if {@code e} prints values as {@code (sensitive)}, so its text does not parse back. */
  static boolean isSensitive(Edit e) {
    Set<String> none = Set.of();
    return e instanceof Edit.Create c ? !c.sensitive().equals(none) : e instanceof Edit.SetInput s && s.sensitive();
  }
}
