package io.stagehand.core.internal;

import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Takes sensitive values out of text Stagehand did not write: a handler's error message may quote
 * the inputs it was given, and that message goes into reports, listeners and logs.
 */
public final class Redaction {
  /** Shorter values are left alone: blanking every "1" or "on" would garble messages, not protect. */
  static final int MIN_LENGTH = 4;

  private Redaction() {}

  /** {@code text} with every sensitive value of {@code diff}, in either state, as {@code (sensitive)}. */
  public static String scrub(String text, Diff diff) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<String> secrets = new ArrayList<>();
    collect(diff.before(), secrets);
    collect(diff.after(), secrets);
    if (secrets.isEmpty()) {
      return text;
    }
    // longest first, so that a secret containing another is replaced whole
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "(sensitive)");
    }
    return out;
  }

  private static void collect(Optional<Resource> r, List<String> into) {
    if (r.isEmpty()) {
      return;
    }
    Resource res = r.get();
    for (String name : res.allSensitiveInputs()) {
      Value v = res.resolvedInputs().get(name);
      if (v == null) {
        v = res.ownInputs().get(name);
      }
      if (v != null) {
        add(v, into);
      }
    }
    for (String name : res.sensitiveOutputs()) {
      Value v = res.outputs().get(name);
      if (v != null) {
        add(v, into);
      }
    }
  }

  /** The value's JSON and, for a string, its raw text, plus every string nested in a list or map. */
  private static void add(Value v, List<String> into) {
    String json = v.toJson();
    if (json.length() >= MIN_LENGTH) {
      into.add(json);
    }
    if (v instanceof Value.StringValue s && s.value().length() >= MIN_LENGTH) {
      into.add(s.value());
    } else if (v instanceof Value.ListValue l) {
      l.values().forEach(e -> add(e, into));
    } else if (v instanceof Value.MapValue m) {
      m.entries().values().forEach(e -> add(e, into));
    }
  }
}
