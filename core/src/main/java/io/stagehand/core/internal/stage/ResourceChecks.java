package io.stagehand.core.internal.stage;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Limits;
import io.stagehand.core.internal.Names;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules a {@link Resource} built by hand must follow, written once for its builder and for the
 * edits that make one ({@code create} checks its kind here too). A resource the desired state builds
 * from edits it checked one by one skips them.
 */
public final class ResourceChecks {
  private static final String KIND_RULE =
      "the kind must be 1-" + Resource.MAX_KIND_LENGTH + " characters without spaces or control characters, "
          + "of valid Unicode (no lone UTF-16 surrogate)";

  private ResourceChecks() {}

  /** Refuses a kind that breaks the rule, without repeating it. */
  public static void checkKind(String kind, ResourceId id) {
    if (!goodKind(kind)) {
      throw new InvalidInputException("invalid resource " + id + ": " + KIND_RULE);
    }
  }

  /** Refuses a builder that lacks its id or its kind, naming both if both are missing. */
  public static void checkRequired(ResourceId id, String kind) {
    List<String> missing = new ArrayList<>();
    if (id == null) {
      missing.add("id");
    }
    if (kind == null) {
      missing.add("kind");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("Cannot build Resource, some of required attributes are not set " + missing);
    }
  }

  /**
   * Refuses a built resource that breaks any rule, naming every problem at once. {@code location} is
   * {@code r}'s own, passed apart so that a check run on every resource built wraps nothing in an
   * {@code Optional}.
   */
  public static void check(Resource r, ResourceId location) {
    ResourceId id = r.id();
    Map<String, Value> own = r.ownInputs();
    List<String> problems = new ArrayList<>();
    if (!goodKind(r.kind())) {
      problems.add(KIND_RULE);
    }
    for (String name : own.keySet()) {
      try {
        Names.input(name);
      } catch (InvalidInputException e) {
        problems.add(e.getMessage());
      }
      for (Connection c : r.incoming()) {
        if (c.receiver().input().equals(name) && !c.leavesKeyFree(own.get(name))) {
          problems.add("input " + name + " is both set by hand and connected");
          break;
        }
      }
    }
    for (String name : r.sensitiveFedInputs()) {
      if (!r.isConnected(name)) {
        problems.add("input " + name + " is marked as fed a sensitive value but nothing is connected to it");
      }
    }
    if (!r.outputs().isEmpty() || !r.sensitiveOutputs().isEmpty()) {
      for (String name : r.outputs().keySet()) {
        try {
          Names.input(name);
        } catch (InvalidInputException e) {
          problems.add("output: " + e.getMessage());
        }
      }
      for (String name : r.sensitiveOutputs()) {
        if (!r.outputs().containsKey(name)) {
          problems.add("output " + name + " is marked sensitive but has no value");
        }
      }
    }
    if (id.equals(location)) {
      problems.add("a resource cannot be its own location");
    }
    for (String label : r.labels()) {
      try {
        Names.check("label", label, 100);
      } catch (InvalidInputException e) {
        problems.add(e.getMessage());
      }
    }
    for (Event e : r.events()) {
      if (!e.target().equals(id)) {
        problems.add("event " + e + " does not target " + id);
      }
    }
    for (Connection c : r.incoming()) {
      if (!c.receiver().resource().equals(id)) {
        problems.add("connection " + c + " does not end at " + id);
      }
    }
    r.resolvedInputs().forEach((name, resolved) -> {
      Value value = own.get(name);
      // cheapest tests first: usually the resolved value is the very own value
      if (value != null && value != resolved && !value.equals(resolved) && !r.isConnected(name)) {
        problems.add("resolved input " + name + " differs from its own value");
      }
    });
    if (!problems.isEmpty()) {
      throw new InvalidInputException("invalid resource " + id + ": " + String.join("; ", problems));
    }
  }

  private static boolean goodKind(String kind) {
    return !kind.isBlank() && kind.length() <= Resource.MAX_KIND_LENGTH && printableWord(kind);
  }

  /**
   * No spaces, control characters or lone surrogates (a store writes text as UTF-8, where a lone
   * surrogate becomes {@code ?}); a loop, since every resource built runs this check.
   */
  private static boolean printableWord(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == ' ') {
        return false;
      }
    }
    return Limits.loneSurrogate(s) < 0;
  }
}
