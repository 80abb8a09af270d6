package io.stagehand.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import org.immutables.value.Value.Check;
import org.immutables.value.Value.Immutable;
import org.immutables.value.Value.NaturalOrder;

/**
 * One resource as it is deployed (applied state) or wanted (desired state): its id, its kind (free
 * text naming what the handler deploys), its own inputs, the connections into it, and its resolved
 * inputs (own plus connected, as the handler sees them).
 */
@Immutable
public abstract class Resource {
  /** The longest kind accepted. */
  public static final int MAX_KIND_LENGTH = 200;

  public abstract ResourceId id();

  public abstract String kind();

  /** The inputs set by hand, by name. */
  @NaturalOrder
  public abstract SortedMap<String, io.stagehand.core.Value> ownInputs();

  /** Names of inputs whose values print as {@code (sensitive)} in plans, logs and errors. */
  @NaturalOrder
  public abstract SortedSet<String> sensitiveInputs();

  /** The connections whose receiver is this resource. */
  @NaturalOrder
  public abstract SortedSet<Connection> incoming();

  /**
   * Where the resource runs: another resource, usually a node. Apply limits how many actions run at
   * once per location ({@link ApplyOptions#maxPerLocation()}).
   */
  public abstract Optional<ResourceId> location();

  /** The events whose target is this resource (ordering events and reactions). */
  @NaturalOrder
  public abstract SortedSet<Event> events();

  /** Free labels, for selecting resources in partial applies. */
  @NaturalOrder
  public abstract SortedSet<String> labels();

  /** Own inputs plus connected inputs, as the handler sees them. */
  @NaturalOrder
  public abstract SortedMap<String, io.stagehand.core.Value> resolvedInputs();

  public Optional<io.stagehand.core.Value> resolved(String input) {
    return Optional.ofNullable(resolvedInputs().get(input));
  }

  /** True if some incoming connection feeds {@code input}. */
  public boolean isConnected(String input) {
    for (Connection c : incoming()) {
      if (c.receiver().input().equals(input)) {
        return true;
      }
    }
    return false;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Resource}; {@code build()} validates everything at once. */
  public static final class Builder extends ImmutableResource.Builder {}

  /** No spaces or control characters; a loop, since every resource built runs this check. */
  private static boolean printableWord(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == ' ') {
        return false;
      }
    }
    return true;
  }

  @Check
  void check() {
    List<String> problems = new ArrayList<>();
    if (kind().isBlank() || kind().length() > MAX_KIND_LENGTH || !printableWord(kind())) {
      problems.add("kind " + Names.quote(kind()) + " must be 1-" + MAX_KIND_LENGTH
          + " characters without spaces or control characters");
    }
    for (String name : ownInputs().keySet()) {
      try {
        Names.input(name);
      } catch (InvalidInputException e) {
        problems.add(e.getMessage());
      }
      for (Connection c : incoming().isEmpty() ? List.<Connection>of() : incoming()) {
        if (c.receiver().input().equals(name) && (c.key().isEmpty() || c.collecting()
            || !(ownInputs().get(name) instanceof io.stagehand.core.Value.MapValue m)
            || m.entries().containsKey(c.key().get()))) {
          problems.add("input " + name + " is both set by hand and connected");
          break;
        }
      }
    }
    location().filter(id()::equals).ifPresent(l -> problems.add("a resource cannot be its own location"));
    for (String label : labels()) {
      try {
        Names.check("label", label, 100);
      } catch (InvalidInputException e) {
        problems.add(e.getMessage());
      }
    }
    for (Event e : events()) {
      if (!e.target().equals(id())) {
        problems.add("event " + e + " does not target " + id());
      }
    }
    for (Connection c : incoming()) {
      if (!c.receiver().resource().equals(id())) {
        problems.add("connection " + c + " does not end at " + id());
      }
    }
    for (Map.Entry<String, io.stagehand.core.Value> e : resolvedInputs().entrySet()) {
      io.stagehand.core.Value own = ownInputs().get(e.getKey());
      // cheapest tests first: usually the resolved value is the very own value
      if (own != null && own != e.getValue() && !own.equals(e.getValue()) && !isConnected(e.getKey())) {
        problems.add("resolved input " + e.getKey() + " differs from its own value");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException("invalid resource " + id() + ": " + String.join("; ", problems));
    }
  }
}
