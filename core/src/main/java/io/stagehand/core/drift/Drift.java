package io.stagehand.core.drift;

import io.stagehand.core.model.Change;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One resource whose reality differs from its applied state: gone, or changed in the inputs or
 * outputs its handler read. {@link #changes()} go from the recorded value to the one found; sensitive
 * values print as {@code (sensitive)}.
 */
public final class Drift {
  /** How it differs. */
  public enum Kind {
    /** It is there, with inputs or outputs other than recorded. */
    CHANGED,
    /** It is not there. */
    GONE
  }

  private final Resource recorded;
  private final Observed observed;
  private final List<Change> changes;
  private final List<Change> outputChanges;

  private Drift(Resource recorded, Observed observed, List<Change> changes, List<Change> outputChanges) {
    this.recorded = recorded;
    this.observed = observed;
    this.changes = List.copyOf(changes);
    this.outputChanges = List.copyOf(outputChanges);
  }

  /** The drift of {@code recorded} given what was {@code observed}, or empty if there is none. */
  public static Optional<Drift> of(Resource recorded, Observed observed) {
    Objects.requireNonNull(recorded, "recorded");
    switch (observed.status()) {
      case UNKNOWN:
        return Optional.empty();
      case GONE:
        return Optional.of(new Drift(recorded, observed, List.of(), List.of()));
      default:
        break;
    }
    List<Change> changes = new ArrayList<>();
    observed.inputs().forEach((name, value) -> {
      Optional<io.stagehand.core.model.Value> was = recorded.resolved(name);
      if (!was.equals(Optional.of(value))) {
        changes.add(new Change(name, was, Optional.of(value), recorded.isSensitive(name)));
      }
    });
    List<Change> outputs = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(observed.outputs().keySet());
    for (String name : names) {
      Optional<io.stagehand.core.model.Value> was = Optional.ofNullable(recorded.outputs().get(name));
      Optional<io.stagehand.core.model.Value> now = Optional.of(observed.outputs().get(name));
      if (!was.equals(now)) {
        outputs.add(new Change(name, was, now,
            recorded.isSensitiveOutput(name) || observed.sensitiveOutputs().contains(name)));
      }
    }
    if (changes.isEmpty() && outputs.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Drift(recorded, observed, changes, outputs));
  }

  public ResourceId resource() {
    return recorded.id();
  }

  public Kind kind() {
    return observed.status() == Observed.Status.GONE ? Kind.GONE : Kind.CHANGED;
  }

  /** The resource as the applied state recorded it when the drift was found. */
  public Resource recorded() {
    return recorded;
  }

  public Observed observed() {
    return observed;
  }

  /** The inputs that differ, from the recorded value to the one found; empty for a gone resource. */
  public List<Change> changes() {
    return changes;
  }

  /** The outputs that differ, from the recorded value to the one found. */
  public List<Change> outputChanges() {
    return outputChanges;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Drift d && recorded.equals(d.recorded) && observed.equals(d.observed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(recorded, observed);
  }

  /** {@code vm1 GONE}, or {@code vm1 CHANGED} and one line per change; secrets as {@code (sensitive)}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(resource().name()).append(' ').append(kind());
    changes.forEach(c -> b.append("\n  ").append(c));
    outputChanges.forEach(c -> b.append("\n  out.").append(c));
    return b.toString();
  }
}
