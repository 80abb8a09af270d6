package io.stagehand.store.api;

import io.stagehand.core.model.Edit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Scenario text for fuzzing: the scenario files {@link ScenarioFiles#files()} finds (the project's
 * own by default), with a case planted in front that stages a secret-looking token, then mutated
 * line by line (lines dropped, doubled, swapped, blank lines, stray {@code ----}, random directives
 * and edits) and character by character. The token holds a {@code %}, so it can never be an
 * identifier that a message may name.
 */
final class ScenarioFuzzText {
  private ScenarioFuzzText() {}

  /** A scenario file's name and text, and the token planted in it. */
  record Sample(String name, String text, String token) {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(name).append(" (token ").append(token).append("):\n");
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        b.append(c == '\n' || c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
      }
      return b.toString();
    }
  }

  /** The texts of the scenario files, read once. */
  private static List<Tuple.Tuple2<String, String>> files;

  static synchronized List<Tuple.Tuple2<String, String>> files() {
    if (files == null) {
      List<Tuple.Tuple2<String, String>> read = new ArrayList<>();
      for (Path p : ScenarioFiles.files()) {
        try {
          read.add(Tuple.of(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + p, e);
        }
      }
      files = List.copyOf(read);
    }
    return files;
  }

  static Arbitrary<String> tokens() {
    var alnum = Arbitraries.strings().alpha().numeric();
    return Combinators.combine(alnum.ofLength(5), alnum.ofLength(6)).as((a, b) -> a + "%" + b);
  }

  /** A scenario file with a planted case in front, unchanged. */
  static Arbitrary<Sample> planted() {
    return Combinators.combine(Arbitraries.of(files()), tokens(), Arbitraries.of(true, false)).as((f, token, secret) -> {
      String plantedCase = "stage\ncreate vault1 vault pw" + (secret ? "!" : "") + "=\"" + token
          + "\" note=[\"" + token + "\"]\n----\nok\n\n";
      return new Sample(f.get1(), plantedCase + f.get2(), token);
    });
  }

  /** A planted scenario file mutated one to four times. */
  static Arbitrary<Sample> mutated() {
    return Combinators.combine(planted(), mutations().list().ofMinSize(1).ofMaxSize(4)).as((s, ms) -> {
      String text = s.text();
      for (Mutation m : ms) {
        text = m.apply(text);
      }
      return new Sample(s.name(), text, s.token());
    });
  }

  /** One change to a scenario text, placed by a fraction of its lines or characters. */
  record Mutation(Op op, double at, String payload) {
    enum Op { DELETE_LINE, DUPLICATE_LINE, SWAP_LINES, INSERT_LINE, TRUNCATE, INSERT, DELETE, REPLACE, CRLF }

    String apply(String text) {
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      int line = Math.min(lines.size() - 1, (int) (at * lines.size()));
      int ch = Math.min(text.length(), (int) (at * (text.length() + 1)));
      switch (op) {
        case DELETE_LINE -> lines.remove(line);
        case DUPLICATE_LINE -> lines.add(line, lines.get(line));
        case SWAP_LINES -> {
          if (line + 1 < lines.size()) {
            lines.add(line + 1, lines.remove(line));
          }
        }
        case INSERT_LINE -> lines.add(line, payload);
        case TRUNCATE -> {
          return text.substring(0, ch);
        }
        case INSERT -> {
          return text.substring(0, ch) + payload + text.substring(ch);
        }
        case DELETE -> {
          return text.substring(0, ch) + text.substring(Math.min(text.length(), ch + payload.length()));
        }
        case REPLACE -> {
          return text.substring(0, ch) + payload + text.substring(Math.min(text.length(), ch + payload.length()));
        }
        default -> {
          return text.replace("\n", "\r\n");
        }
      }
      return String.join("\n", lines);
    }

    @Override
    public String toString() {
      return op + "@" + String.format("%.3f", at) + " " + payload;
    }
  }

  static Arbitrary<Mutation> mutations() {
    Arbitrary<Mutation.Op> op = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(Mutation.Op.DELETE_LINE)),
        Tuple.of(2, Arbitraries.just(Mutation.Op.DUPLICATE_LINE)),
        Tuple.of(2, Arbitraries.just(Mutation.Op.SWAP_LINES)),
        Tuple.of(5, Arbitraries.just(Mutation.Op.INSERT_LINE)),
        Tuple.of(1, Arbitraries.just(Mutation.Op.TRUNCATE)),
        Tuple.of(3, Arbitraries.just(Mutation.Op.INSERT)),
        Tuple.of(2, Arbitraries.just(Mutation.Op.DELETE)),
        Tuple.of(2, Arbitraries.just(Mutation.Op.REPLACE)),
        Tuple.of(1, Arbitraries.just(Mutation.Op.CRLF)));
    return Combinators.combine(op, Arbitraries.doubles().between(0, 1))
        .flatAs((o, at) -> payload(o).map(p -> new Mutation(o, at, p)));
  }

  private static Arbitrary<String> payload(Mutation.Op op) {
    return switch (op) {
      case INSERT_LINE -> Arbitraries.frequencyOf(
          Tuple.of(4, directives()),
          Tuple.of(3, editLines()),
          Tuple.of(2, Arbitraries.of("", "----", "   ", "# a comment", "#", "error: *", "ok", "\t----", "---- ")),
          Tuple.of(1, text()));
      case INSERT, REPLACE, DELETE -> text();
      default -> Arbitraries.just("");
    };
  }

  /** Directive lines, valid and not: unknown verbs, missing or malformed arguments, numbers out of range. */
  static Arbitrary<String> directives() {
    Arbitrary<String> verb = Arbitraries.of("stage", "staged", "discard", "state", "plan", "apply", "history",
        "revert", "rollback-to", "state-at", "bogus", "Apply", "stage!", "-");
    Arbitrary<String> arg = Arbitraries.of("tag=t1", "tag=t2", "tag=t9", "tag=", "tag=a b", "fail=keystone1",
        "fail=a,,b", "fail=", "parallel=2", "parallel=0", "parallel=-1", "parallel=x", "parallel=99999999999",
        "parallel=2147483647", "only=label:web", "only=", "only=label:", "exclude=node1", "exclude=a.b",
        "resource=keystone1", "resource=", "steps=1", "steps=0", "steps=-3", "steps=x", "steps=2147483648",
        "commit=1", "commit=0", "commit=-1", "commit=keystone1@1", "commit=k1@x", "commit=@", "commit=9999999999999999999",
        "force=true", "force=maybe", "keystone1", "node1", "ghost", "=", "==", "x=", "=x", "tag=t1=t2");
    return Combinators.combine(verb, arg.list().ofMaxSize(3), Arbitraries.of(" ", "  ", "\t"))
        .as((v, args, sep) -> String.join(sep, prepend(v, args)));
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  /** Edit lines, valid and not, over the resources the project's scenarios use. */
  static Arbitrary<String> editLines() {
    Arbitrary<String> id = Arbitraries.of("node1", "node2", "keystone1", "haproxy", "web1", "db", "x", "bad.id", "");
    return Combinators.combine(Arbitraries.of("create %s svc port=5000", "create %s svc ip=\"10.0.0.9\" +web @node1",
            "set %s port=%s", "set %s ip!=\"s\"", "unset %s port", "remove %s", "connect node1.ip -> %s.ip",
            "connect %s.ip -> haproxy.backends[]", "disconnect node1.ip -> %s.ip", "place %s node2", "unplace %s",
            "label %s web", "depend %s after node1", "react %s UPDATE -> haproxy restart", "set %s port=[[[[",
            "set %s port=1e2147483648", "set %s port=100e2147483647"), id, Arbitraries.of("1", "\"x\"", "{}", "-0"))
        .as((form, i, v) -> String.format(form, i, v));
  }

  /** Short random text: syntax characters, digits, letters, any character. */
  static Arbitrary<String> text() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.of("=", ",", "-", " ", "\n", "\r", "----", "#", ":", ".", "[]", "\"", "!", "@", "+",
            "->", "tag=", "steps=", "parallel=", "fail=", "only=", "label:", "commit=", "resource=", "force=true", "-1",
            "99999999999", "0", "x", "t1", "keystone1")),
        Tuple.of(2, Arbitraries.chars().all().map(String::valueOf)),
        Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)));
    return piece.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("", l));
  }
}
