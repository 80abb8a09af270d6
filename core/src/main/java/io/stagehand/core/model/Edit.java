package io.stagehand.core.model;

import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.ImmutableSortedSet;
import io.stagehand.core.InputLimits;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.internal.EditSyntax;
import io.stagehand.core.internal.Limits;
import io.stagehand.core.internal.Names;
import io.stagehand.core.internal.stage.ResourceChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One staged user edit. Edits are validated against the desired state and staged in atomic batches
 * (see {@link Orchestrator#stage}); each belongs to one resource, its {@link #owner()}, whose action
 * consumes it when it commits. A connection edit belongs to its receiver.
 */
public sealed interface Edit
    permits Edit.Create, Edit.SetInput, Edit.UnsetInput, Edit.Remove, Edit.Connect, Edit.Disconnect,
        Edit.Place, Edit.Label, Edit.Protect, Edit.AddEvent, Edit.RemoveEvent, Edit.Import, Edit.Forget,
        Edit.Touch, Edit.Replace, Edit.Adopt {

  /** The resource whose action consumes this edit. */
  ResourceId owner();

  /**
   * The edit in the scenario syntax, e.g. {@code set k1 ip="10.0.0.1"}, with every value marked
   * sensitive as {@code (sensitive)}, e.g. {@code set db password!=(sensitive)}.
   */
  @Override
  String toString();

  /**
   * The edit without any input value, e.g. {@code set k1.ip}: safe for error messages and logs,
   * where a value might be a secret.
   */
  default String describe() {
    if (this instanceof Create c) {
      return "create " + c.id() + " " + c.kind();
    }
    if (this instanceof SetInput s) {
      return "set " + s.id() + "." + s.input();
    }
    return toString();
  }

  static Create create(String id, String kind) {
    return new Create(ResourceId.of(id), kind, Map.of(), Set.of());
  }

  static Create create(String id, String kind, Map<String, ?> inputs) {
    return new Create(ResourceId.of(id), kind, toValues(inputs), Set.of());
  }

  /** A new resource whose inputs named in {@code sensitive} print as {@code (sensitive)}. */
  static Create create(String id, String kind, Map<String, ?> inputs, Set<String> sensitive) {
    return new Create(ResourceId.of(id), kind, toValues(inputs), sensitive);
  }

  static SetInput set(String id, String input, Object value) {
    ResourceId rid = ResourceId.of(id);
    return new SetInput(rid, input, ValueJson.fromJava(value, rid + "." + Names.input(input)), false);
  }

  /**
   * Sets an input and marks it sensitive ({@code set id input!=<json>}): its value prints as
   * {@code (sensitive)} from now on, in this resource and every input it feeds.
   */
  static SetInput setSensitive(String id, String input, Object value) {
    ResourceId rid = ResourceId.of(id);
    return new SetInput(rid, input, ValueJson.fromJava(value, rid + "." + Names.input(input)), true);
  }

  static UnsetInput unset(String id, String input) {
    return new UnsetInput(ResourceId.of(id), input);
  }

  static Remove remove(String id) {
    return new Remove(ResourceId.of(id));
  }

  /** {@code connect("node1.ip", "keystone1.ip")}. */
  static Connect connect(String emitter, String receiver) {
    return new Connect(Connection.of(emitter, receiver));
  }

  /** {@code connectCollecting("keystone1.ip", "haproxy.backends")}: backends becomes a list. */
  static Connect connectCollecting(String emitter, String receiver) {
    return new Connect(Connection.collecting(emitter, receiver));
  }

  static Disconnect disconnect(String emitter, String receiver) {
    return new Disconnect(Connection.of(emitter, receiver));
  }

  static Disconnect disconnectCollecting(String emitter, String receiver) {
    return new Disconnect(Connection.collecting(emitter, receiver));
  }

  /** Places {@code id} on {@code location} (another resource, usually a node). */
  static Place place(String id, String location) {
    return new Place(ResourceId.of(id), Optional.of(ResourceId.of(location)));
  }

  /** Clears {@code id}'s location. */
  static Place unplace(String id) {
    return new Place(ResourceId.of(id), Optional.empty());
  }

  static Label label(String id, String label) {
    return new Label(ResourceId.of(id), label, true);
  }

  static Label unlabel(String id, String label) {
    return new Label(ResourceId.of(id), label, false);
  }

  /**
   * Records a resource that already exists (made by hand, or by another tool) as applied, without
   * running its handler: planned as an IMPORT, committed, and revertible (the revert forgets it).
   * Connections follow the usual rules; edits of it staged with the import describe what is there.
   */
  static Import importResource(String id, String kind, Map<String, ?> inputs) {
    return new Import(create(id, kind, inputs));
  }

  /**
   * Drops {@code id} from the state without running REMOVE: what it is in reality stays as it is.
   * Planned as a FORGET, committed, and revertible (the revert imports it again). Its connections go
   * as with a removal, so the resources it fed are updated.
   */
  static Forget forget(String id) {
    return new Forget(ResourceId.of(id));
  }

  /**
   * Stages an UPDATE of {@code id} although nothing of it changes (Terraform's {@code -replace} asks
   * for a new one; this asks the handler to apply the same definition again, as after a drift). Its
   * handler sees {@code onlyMetadataChanged()} false. Planned, committed and reverted like any change;
   * reverting it changes nothing.
   */
  static Touch touch(String id) {
    return new Touch(ResourceId.of(id));
  }

  /**
   * Stages a REPLACE of {@code id} although nothing of it changes (Terraform's {@code -replace},
   * taint): its handler removes it, then runs it again, in one planned action; its outputs are known
   * after apply. A protected resource cannot be replaced. Planned, committed and reverted like any
   * change; reverting it changes nothing.
   */
  static Replace replace(String id) {
    return new Replace(ResourceId.of(id));
  }

  /**
   * Protects {@code id}: staging refuses to remove it, and so does a rollback that would remove it,
   * unless forced. A change like any other: staged, planned (an UPDATE that changes only metadata),
   * committed and revertible.
   */
  static Protect protect(String id) {
    return new Protect(ResourceId.of(id), true);
  }

  /** Lifts the protection of {@code id}. */
  static Protect unprotect(String id) {
    return new Protect(ResourceId.of(id), false);
  }

  /** {@code target}'s action after {@code source}'s when both are planned. */
  static AddEvent dependOn(String target, String source) {
    return new AddEvent(Event.dependsOn(target, source));
  }

  /** When {@code source} gets {@code trigger}, {@code target} gets the action {@code reaction}. */
  static AddEvent react(String source, String trigger, String target, String reaction) {
    return new AddEvent(Event.reaction(source, trigger, target, reaction));
  }

  /** Parses one edit line of the scenario syntax (DESIGN.md section 7). */
  static Edit parse(String line) {
    return EditSyntax.parse(line);
  }

  private static SortedMap<String, Value> toValues(Map<String, ?> inputs) {
    if (inputs == null) {
      throw new InvalidInputException("inputs are missing; pass an empty map for none");
    }
    TreeMap<String, Value> values = new TreeMap<>();
    for (Map.Entry<String, ?> e : inputs.entrySet()) {
      if (e.getKey() == null) {
        throw new InvalidInputException("an input name is null");
      }
      values.put(e.getKey(), ValueJson.fromJava(e.getValue(), "input " + Names.input(e.getKey())));
    }
    return values;
  }

  /**
   * Adds a resource with its own inputs, and optionally its location and labels, protected from
   * removal if {@code isProtected} ({@link #protect()}).
   */
  record Create(ResourceId id, String kind, SortedMap<String, Value> inputs, SortedSet<String> sensitive,
      Optional<ResourceId> location, SortedSet<String> labels, boolean isProtected) implements Edit {
    public Create(ResourceId id, String kind, Map<String, Value> inputs, Set<String> sensitive) {
      this(id, kind, new TreeMap<>(inputs), new TreeSet<>(sensitive), Optional.empty(), new TreeSet<>());
    }

    public Create(ResourceId id, String kind, SortedMap<String, Value> inputs, SortedSet<String> sensitive,
        Optional<ResourceId> location, SortedSet<String> labels) {
      this(id, kind, inputs, sensitive, location, labels, false);
    }

    public Create {
      if (id == null || kind == null || inputs == null || sensitive == null || location == null || labels == null) {
        throw new InvalidInputException("create needs an id, a kind, inputs and sensitive names");
      }
      labels = ImmutableSortedSet.copyOf(labels);
      ResourceChecks.checkKind(kind, id);
      labels.forEach(l -> Names.check("label", l, InputLimits.MAX_NAME_LENGTH));
      inputs.keySet().forEach(Names::input);
      for (String s : sensitive) {
        Names.input(s);
      }
      for (Map.Entry<String, Value> e : inputs.entrySet()) {
        if (e.getValue() == null) {
          throw new InvalidInputException(
              "input " + e.getKey() + " of " + id + " is null; leave it out instead");
        }
        Limits.checkDepth(e.getValue(), "input " + e.getKey() + " of " + id);
      }
      // the collections the created resource will share
      inputs = ImmutableSortedMap.copyOf(inputs);
      sensitive = ImmutableSortedSet.copyOf(sensitive);
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>(List.of("create", id.name(), kind));
      if (isProtected) {
        parts.add("protected");
      }
      location.ifPresent(l -> parts.add("@" + l));
      labels.forEach(l -> parts.add("+" + l));
      inputs.forEach((k, v) -> parts.add(k + "=" + (sensitive.contains(k) ? "(sensitive)" : v.toJson())));
      return String.join(" ", parts);
    }

    /** The same create, of a protected resource. */
    public Create protect() {
      return new Create(id, kind, inputs, sensitive, location, labels, true);
    }
  }

  /**
   * Sets one own input; the input must not be connected. With {@code sensitive}, the input is marked
   * sensitive; a mark stays with the input until the resource is removed.
   */
  record SetInput(ResourceId id, String input, Value value, boolean sensitive) implements Edit {
    public SetInput {
      if (id == null || value == null) {
        throw new InvalidInputException("set needs a resource id and a value; use unset to clear");
      }
      Names.input(input);
      Limits.checkDepth(value, "input " + input + " of " + id);
    }

    /** Sets an input without marking it sensitive (a mark it has stays). */
    public SetInput(ResourceId id, String input, Value value) {
      this(id, input, value, false);
    }

    /** This edit with its input marked sensitive. */
    public SetInput asSensitive() {
      return sensitive ? this : new SetInput(id, input, value, true);
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String toString() {
      return "set " + id + " " + input + (sensitive ? "!=(sensitive)" : "=" + value.toJson());
    }
  }

  /** Clears one own input. */
  record UnsetInput(ResourceId id, String input) implements Edit {
    public UnsetInput {
      if (id == null) {
        throw new InvalidInputException("unset needs a resource id");
      }
      Names.input(input);
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String toString() {
      return "unset " + id + " " + input;
    }
  }

  /** Removes a resource and every connection touching it. */
  record Remove(ResourceId id) implements Edit {
    public Remove {
      if (id == null) {
        throw new InvalidInputException("remove needs a resource id");
      }
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String toString() {
      return "remove " + id;
    }
  }

  /** Sets or clears a resource's location. */
  record Place(ResourceId id, Optional<ResourceId> location) implements Edit {
    public Place {
      if (id == null || location == null) {
        throw new InvalidInputException("place needs a resource id and a location (or none)");
      }
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String toString() {
      return location.map(l -> "place " + id + " " + l).orElse("unplace " + id);
    }
  }

  /** Adds or removes one label of a resource. */
  record Label(ResourceId id, String label, boolean add) implements Edit {
    public Label {
      if (id == null) {
        throw new InvalidInputException("label needs a resource id");
      }
      Names.check("label", label, 100);
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String toString() {
      return (add ? "label " : "unlabel ") + id + " " + label;
    }
  }

  /**
   * Records an existing resource, as {@link #create()} describes it, as applied without running it,
   * with the {@code outputs} its handler would have returned (such as the IP it has), of which
   * {@code sensitiveOutputs} are sensitive. Written {@code import vm1 vm size=1 out.ip="10.0.0.9"}
   * ({@code out.name!=} for a sensitive one).
   */
  record Import(Create create, SortedMap<String, Value> outputs, SortedSet<String> sensitiveOutputs) implements Edit {
    public Import {
      if (create == null || outputs == null || sensitiveOutputs == null) {
        throw new InvalidInputException("import needs the resource's definition");
      }
      for (Map.Entry<String, Value> e : outputs.entrySet()) {
        Names.input(e.getKey());
        if (e.getValue() == null) {
          throw new InvalidInputException("output " + e.getKey() + " of " + create.id() + " is null; leave it out instead");
        }
        Limits.checkDepth(e.getValue(), "output " + e.getKey() + " of " + create.id());
      }
      for (String name : sensitiveOutputs) {
        if (!outputs.containsKey(name)) {
          throw new InvalidInputException("output " + name + " of " + create.id() + " is marked sensitive but has no value");
        }
      }
      outputs = ImmutableSortedMap.copyOf(outputs);
      sensitiveOutputs = ImmutableSortedSet.copyOf(sensitiveOutputs);
    }

    /** An import without outputs. */
    public Import(Create create) {
      this(create, new TreeMap<>(), new TreeSet<>());
    }

    /** The same import, also recording the output {@code name}. */
    public Import withOutput(String name, Object value) {
      TreeMap<String, Value> more = new TreeMap<>(outputs);
      more.put(Names.input(name), ValueJson.fromJava(value, "output " + name + " of " + create.id()));
      return new Import(create, more, sensitiveOutputs);
    }

    /** The same import, also recording the sensitive output {@code name}. */
    public Import withSensitiveOutput(String name, Object value) {
      Import more = withOutput(name, value);
      TreeSet<String> sensitive = new TreeSet<>(sensitiveOutputs);
      sensitive.add(name);
      return new Import(create, more.outputs(), sensitive);
    }

    public ResourceId id() {
      return create.id();
    }

    @Override
    public ResourceId owner() {
      return create.id();
    }

    @Override
    public String describe() {
      return "import " + create.id() + " " + create.kind();
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("import").append(create.toString().substring("create".length()));
      outputs.forEach((k, v) -> b.append(" out.").append(k).append('=')
          .append(sensitiveOutputs.contains(k) ? "(sensitive)" : v.toJson()));
      return b.toString();
    }
  }

  /** Drops a resource from the state without running REMOVE. */
  record Forget(ResourceId id) implements Edit {
    public Forget {
      if (id == null) {
        throw new InvalidInputException("forget needs a resource id");
      }
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String toString() {
      return "forget " + id;
    }
  }

  /** Asks for an UPDATE of a resource that does not change. */
  record Touch(ResourceId id) implements Edit {
    public Touch {
      if (id == null) {
        throw new InvalidInputException("touch needs a resource id");
      }
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String toString() {
      return "touch " + id;
    }
  }

  /** Asks for a REMOVE then a RUN of a resource that does not change ({@link Edit#replace}). */
  record Replace(ResourceId id) implements Edit {
    public Replace {
      if (id == null) {
        throw new InvalidInputException("replace needs a resource id");
      }
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String toString() {
      return "replace " + id;
    }
  }

  /**
   * Records what a refresh found of an applied resource as its applied state, without running its
   * handler ({@code Orchestrator.adopt} stages and applies it): own inputs set to the values found
   * ({@code sensitive} names those that are secrets) and outputs to those found. Planned as an ADOPT
   * unless other edits of the resource are staged with it, which make it an UPDATE whose handler
   * deploys the lot. Written {@code adopt vm1 size=2 out.ip="10.0.0.9"}.
   */
  record Adopt(ResourceId id, SortedMap<String, Value> inputs, SortedSet<String> sensitive,
      SortedMap<String, Value> outputs, SortedSet<String> sensitiveOutputs) implements Edit {
    public Adopt {
      if (id == null || inputs == null || sensitive == null || outputs == null || sensitiveOutputs == null) {
        throw new InvalidInputException("adopt needs a resource id, inputs and outputs");
      }
      for (Map.Entry<String, Value> e : inputs.entrySet()) {
        Names.input(e.getKey());
        Limits.checkDepth(Objects.requireNonNull(e.getValue(), "input value"), "input " + e.getKey() + " of " + id);
      }
      for (Map.Entry<String, Value> e : outputs.entrySet()) {
        Names.input(e.getKey());
        Limits.checkDepth(Objects.requireNonNull(e.getValue(), "output value"), "output " + e.getKey() + " of " + id);
      }
      inputs = ImmutableSortedMap.copyOf(inputs);
      sensitive = ImmutableSortedSet.copyOf(sensitive);
      outputs = ImmutableSortedMap.copyOf(outputs);
      sensitiveOutputs = ImmutableSortedSet.copyOf(sensitiveOutputs);
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String describe() {
      return "adopt " + id;
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("adopt ").append(id);
      inputs.forEach((k, v) -> b.append(' ').append(k).append('=').append(sensitive.contains(k) ? "(sensitive)" : v.toJson()));
      outputs.forEach((k, v) -> b.append(" out.").append(k).append('=')
          .append(sensitiveOutputs.contains(k) ? "(sensitive)" : v.toJson()));
      return b.toString();
    }
  }

  /** Protects a resource from removal, or lifts its protection. */
  record Protect(ResourceId id, boolean on) implements Edit {
    public Protect {
      if (id == null) {
        throw new InvalidInputException("protect needs a resource id");
      }
    }

    @Override
    public ResourceId owner() {
      return id;
    }

    @Override
    public String toString() {
      return (on ? "protect " : "unprotect ") + id;
    }
  }

  /** Adds an event; it belongs to its target. */
  record AddEvent(Event event) implements Edit {
    public AddEvent {
      if (event == null) {
        throw new InvalidInputException("an event edit needs an event");
      }
    }

    @Override
    public ResourceId owner() {
      return event.target();
    }

    @Override
    public String toString() {
      return event.isReaction() ? "react " + event : "depend " + event;
    }
  }

  /** Drops an event. */
  record RemoveEvent(Event event) implements Edit {
    public RemoveEvent {
      if (event == null) {
        throw new InvalidInputException("an event edit needs an event");
      }
    }

    @Override
    public ResourceId owner() {
      return event.target();
    }

    @Override
    public String toString() {
      return event.isReaction() ? "unreact " + event : "undepend " + event;
    }
  }

  /** Adds a connection. */
  record Connect(Connection connection) implements Edit {
    public Connect {
      if (connection == null) {
        throw new InvalidInputException("connect needs a connection");
      }
    }

    @Override
    public ResourceId owner() {
      return connection.receiver().resource();
    }

    @Override
    public String toString() {
      return "connect " + connection;
    }
  }

  /** Drops a connection. */
  record Disconnect(Connection connection) implements Edit {
    public Disconnect {
      if (connection == null) {
        throw new InvalidInputException("disconnect needs a connection");
      }
    }

    @Override
    public ResourceId owner() {
      return connection.receiver().resource();
    }

    @Override
    public String toString() {
      return "disconnect " + connection;
    }
  }
}
