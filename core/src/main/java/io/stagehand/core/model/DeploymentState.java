package io.stagehand.core.model;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.json.StateJson;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A whole deployment's state at one moment (applied, desired, or as of a past apply): every resource
 * by id, with its resolved inputs and incoming connections.
 */
public record DeploymentState(SortedMap<ResourceId, Resource> resources) {
  public DeploymentState {
    if (resources == null) {
      throw new InvalidInputException("resources are missing");
    }
    resources = Collections.unmodifiableSortedMap(new TreeMap<>(resources));
  }

  public static DeploymentState of(Iterable<Resource> resources) {
    TreeMap<ResourceId, Resource> map = new TreeMap<>();
    for (Resource r : resources) {
      map.put(r.id(), r);
    }
    return new DeploymentState(map);
  }

  public Optional<Resource> get(ResourceId id) {
    return Optional.ofNullable(resources.get(id));
  }

  public Optional<Resource> get(String id) {
    return get(ResourceId.of(id));
  }

  /** Every connection of the deployment, sorted. */
  public SortedSet<Connection> connections() {
    TreeSet<Connection> out = new TreeSet<>();
    resources.values().forEach(r -> out.addAll(r.incoming()));
    return Collections.unmodifiableSortedSet(out);
  }

  /**
   * The state as JSON for tools ({@code docs/formats.md}): every resource with its kind, location,
   * labels, resolved inputs (sensitive ones as {@code "(sensitive)"}, listed under {@code sensitive})
   * and events, then the connections.
   */
  public String toJson() {
    return StateJson.state(this);
  }

  public boolean isEmpty() {
    return resources.isEmpty();
  }

  /**
   * The state in the scenario format: one line per resource {@code <id> <kind> <input>=<json> ...}
   * with resolved inputs (sensitive ones as {@code (sensitive)}) and outputs ({@code out.<name>=<json>}),
   * then the connections.
   */
  public String render() {
    if (resources.isEmpty()) {
      return "empty";
    }
    StringBuilder b = new StringBuilder();
    for (Resource r : resources.values()) {
      b.append(r.id()).append(' ').append(r.kind());
      if (r.isProtected()) {
        b.append(" protected");
      }
      r.location().ifPresent(l -> b.append(" @").append(l));
      r.labels().forEach(l -> b.append(" +").append(l));
      r.resolvedInputs().forEach((k, v) -> b.append(' ').append(k).append('=')
          .append(r.isSensitive(k) ? "(sensitive)" : v.toJson()));
      r.outputs().forEach((k, v) -> b.append(" out.").append(k).append('=')
          .append(r.isSensitiveOutput(k) ? "(sensitive)" : v.toJson()));
      b.append('\n');
    }
    SortedSet<Connection> connections = connections();
    if (!connections.isEmpty()) {
      b.append("connections:\n");
      connections.forEach(c -> b.append(c).append('\n'));
    }
    return b.toString().stripTrailing();
  }
}
