package io.stagehand.core.drift;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;
import io.stagehand.core.model.Value;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a handler found of a resource ({@link io.stagehand.core.apply.ActionHandler#read}): that it is
 * gone, that it is there with these inputs and outputs, or that the handler cannot tell. An input or
 * output the handler could not read (a password it cannot see, say) is left out, and is taken to be as
 * recorded.
 */
public final class Observed {
  /** What was found. */
  public enum Status {
    /** The handler cannot tell (it does not read this kind, or the resource): no drift is reported. */
    UNKNOWN,
    /** The resource is not there. */
    GONE,
    /** The resource is there, with the inputs and outputs read. */
    PRESENT
  }

  private static final Observed UNKNOWN = new Observed(Status.UNKNOWN, Map.of(), Map.of(), Set.of());
  private static final Observed GONE = new Observed(Status.GONE, Map.of(), Map.of(), Set.of());

  private final Status status;
  private final SortedMap<String, Value> inputs;
  private final SortedMap<String, Value> outputs;
  private final SortedSet<String> sensitiveOutputs;

  private Observed(Status status, Map<String, Value> inputs, Map<String, Value> outputs, Set<String> sensitiveOutputs) {
    this.status = status;
    this.inputs = Collections.unmodifiableSortedMap(new TreeMap<>(inputs));
    this.outputs = Collections.unmodifiableSortedMap(new TreeMap<>(outputs));
    this.sensitiveOutputs = Collections.unmodifiableSortedSet(new TreeSet<>(sensitiveOutputs));
  }

  /** The handler cannot tell what is there; the default of {@code read}. */
  public static Observed unknown() {
    return UNKNOWN;
  }

  /** The resource is gone. */
  public static Observed gone() {
    return GONE;
  }

  /**
   * The resource is there with {@code inputs} (values as an input takes them: String, number, Boolean,
   * List, Map or {@link Value}), each as really deployed; those left out could not be read.
   */
  public static Observed present(Map<String, ?> inputs) {
    return present(inputs, Map.of());
  }

  /** The resource is there with {@code inputs} and {@code outputs} as read; those left out could not be. */
  public static Observed present(Map<String, ?> inputs, Map<String, ?> outputs) {
    return new Observed(Status.PRESENT, values(inputs, "input"), values(outputs, "output"), Set.of());
  }

  /** The same, with the outputs {@code names} sensitive (they print as {@code (sensitive)}). */
  public Observed withSensitiveOutputs(Set<String> names) {
    for (String n : names) {
      if (!outputs.containsKey(n)) {
        throw new InvalidInputException("output " + n + " is marked sensitive but was not read");
      }
    }
    return new Observed(status, inputs, outputs, names);
  }

  private static Map<String, Value> values(Map<String, ?> given, String what) {
    Objects.requireNonNull(given, what + "s");
    TreeMap<String, Value> out = new TreeMap<>();
    given.forEach((k, v) -> {
      Names.check(what + " name", k, io.stagehand.core.InputLimits.MAX_NAME_LENGTH);
      if (v == null) {
        throw new InvalidInputException(what + " " + k + " is null; leave out what could not be read");
      }
      out.put(k, v instanceof Value value ? value : Value.from(v));
    });
    return out;
  }

  public Status status() {
    return status;
  }

  /** The inputs read, by name; empty unless {@link Status#PRESENT}. */
  public SortedMap<String, Value> inputs() {
    return inputs;
  }

  /** The outputs read, by name; empty unless {@link Status#PRESENT}. */
  public SortedMap<String, Value> outputs() {
    return outputs;
  }

  public SortedSet<String> sensitiveOutputs() {
    return sensitiveOutputs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Observed x && status == x.status && inputs.equals(x.inputs) && outputs.equals(x.outputs)
        && sensitiveOutputs.equals(x.sensitiveOutputs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, inputs, outputs, sensitiveOutputs);
  }

  /** The status and the names read; no value, as some may be secrets. */
  @Override
  public String toString() {
    return status == Status.PRESENT ? "PRESENT inputs " + inputs.keySet() + " outputs " + outputs.keySet()
        : status.name();
  }
}
