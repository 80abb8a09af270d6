package io.stagehand.core.model;

import com.google.common.collect.ImmutableSortedSet;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.internal.ArrayMap;
import io.stagehand.core.internal.Copies;
import io.stagehand.core.internal.stage.ResourceChecks;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * One resource as it is deployed (applied state) or wanted (desired state): its id, its kind (free
 * text naming what the handler deploys), its own inputs, the connections into it, and its resolved
 * inputs (own plus connected, as the handler sees them).
 *
 * <p>Written by hand rather than generated: a deployment holds millions of these and every staged
 * edit makes a new one, so the collections are Guava's compact immutable ones (empty ones shared,
 * unchanged ones shared between a resource and its edited copy) behind the JDK interfaces.
 */
public final class Resource {
  /** The longest kind accepted. */
  public static final int MAX_KIND_LENGTH = 200;

  private final ResourceId id;
  private final String kind;
  private final ArrayMap<Value> ownInputs;
  private final ImmutableSortedSet<String> sensitiveInputs;
  private final ImmutableSortedSet<String> sensitiveFed;
  private final ImmutableSortedSet<Connection> incoming;
  private final ResourceId location;
  private final ImmutableSortedSet<Event> events;
  private final ImmutableSortedSet<String> labels;
  private final ArrayMap<Value> resolvedInputs;
  private final boolean protect;
  /** Outputs and inputs known only after apply; null for the many resources without either. */
  private final Reported reported;
  private int hash;

  /**
   * What few resources carry, kept apart so that the others pay one empty field for it: the outputs
   * its handler returned, which of them are sensitive, and (in a desired state) the inputs known only
   * after apply.
   */
  private record Reported(ArrayMap<Value> outputs, ImmutableSortedSet<String> sensitiveOutputs,
      ImmutableSortedSet<String> unknownInputs) {
    static final Reported NONE = new Reported(ArrayMap.of(), ImmutableSortedSet.of(), ImmutableSortedSet.of());

    /** The three, or null when all are empty. */
    static Reported of(ArrayMap<Value> outputs, ImmutableSortedSet<String> sensitive, ImmutableSortedSet<String> unknown) {
      return outputs.isEmpty() && sensitive.isEmpty() && unknown.isEmpty() ? null
          : new Reported(outputs, sensitive, unknown);
    }
  }

  private Resource(ResourceId id, String kind, ArrayMap<Value> ownInputs,
      ImmutableSortedSet<String> sensitiveInputs, ImmutableSortedSet<String> sensitiveFed,
      ImmutableSortedSet<Connection> incoming, ResourceId location, ImmutableSortedSet<Event> events,
      ImmutableSortedSet<String> labels, ArrayMap<Value> resolvedInputs, boolean protect, Reported reported) {
    this.id = id;
    this.protect = protect;
    this.reported = reported;
    this.kind = kind;
    this.ownInputs = ownInputs;
    this.sensitiveInputs = sensitiveInputs;
    this.sensitiveFed = sensitiveFed;
    this.incoming = incoming;
    this.location = location;
    this.events = events;
    this.labels = labels;
    // the usual case of a resource without connections: one map serves as both
    this.resolvedInputs = resolvedInputs.equals(ownInputs) ? ownInputs : resolvedInputs;
  }

  public ResourceId id() {
    return id;
  }

  public String kind() {
    return kind;
  }

  /** The inputs set by hand, by name. */
  public SortedMap<String, Value> ownInputs() {
    return ownInputs;
  }

  /**
   * Names of inputs marked sensitive by hand ({@code name!=} in the edit syntax). A mark stays with
   * the input until the resource is removed, whatever values it takes.
   */
  public SortedSet<String> sensitiveInputs() {
    return sensitiveInputs;
  }

  /**
   * Names of connected inputs that receive a sensitive value: sensitivity follows the data through
   * connections, so a value fed from a sensitive input is sensitive here too. Computed with the
   * resolved inputs.
   */
  public SortedSet<String> sensitiveFedInputs() {
    return sensitiveFed;
  }

  /**
   * True if {@code input}'s value is sensitive here, marked by hand or fed from a sensitive input: it
   * prints as {@code (sensitive)} in plans, state, history, logs and errors, and a store with a key
   * keeps it encrypted.
   */
  public boolean isSensitive(String input) {
    return sensitiveInputs.contains(input) || sensitiveFed.contains(input);
  }

  /** Every input whose value is sensitive here ({@link #isSensitive}). */
  public SortedSet<String> allSensitiveInputs() {
    if (sensitiveFed.isEmpty()) {
      return sensitiveInputs;
    }
    return ImmutableSortedSet.<String>naturalOrder().addAll(sensitiveInputs).addAll(sensitiveFed).build();
  }

  /** The connections whose receiver is this resource. */
  public SortedSet<Connection> incoming() {
    return incoming;
  }

  /**
   * Where the resource runs: another resource, usually a node. Apply limits how many actions run at
   * once per location ({@link ApplyOptions#maxPerLocation()}).
   */
  public Optional<ResourceId> location() {
    return Optional.ofNullable(location);
  }

  /** The events whose target is this resource (ordering events and reactions). */
  public SortedSet<Event> events() {
    return events;
  }

  /** Free labels, for selecting resources in partial applies. */
  public SortedSet<String> labels() {
    return labels;
  }

  /**
   * True if the resource is protected: staging refuses its removal, and so does a rollback that
   * would remove it unless forced. Protection is staged and committed like any change
   * ({@link Edit#protect}).
   */
  public boolean isProtected() {
    return protect;
  }

  /**
   * The outputs its handler returned when it last ran (a value learnt only then, such as the IP a
   * cloud assigned), or that its import recorded, by name. Connections can carry them like inputs
   * ({@code vm1.ip -> web.host}). A RUN records exactly what its handler returned; an UPDATE keeps
   * the outputs its handler does not return again. Empty for a resource that has not run; a desired
   * state carries the applied outputs.
   */
  public SortedMap<String, Value> outputs() {
    return reported == null ? ArrayMap.of() : reported.outputs();
  }

  /** The names of the outputs its handler returned as sensitive: they print as {@code (sensitive)}. */
  public SortedSet<String> sensitiveOutputs() {
    return reported == null ? ImmutableSortedSet.of() : reported.sensitiveOutputs();
  }

  /** True if the output {@code name} is sensitive. */
  public boolean isSensitiveOutput(String name) {
    return reported != null && reported.sensitiveOutputs().contains(name);
  }

  /**
   * The connected inputs whose values are known only after apply: fed from an output of an emitter
   * that runs its handler in the same apply (a new resource, or one whose inputs change). Only a
   * desired state has them (a plan, a staged diff), where they print as {@code (known after apply)}
   * and are absent from {@link #resolvedInputs()}; the apply resolves them with the outputs the
   * emitter returned before the handler of this resource runs.
   */
  public SortedSet<String> unknownInputs() {
    return reported == null ? ImmutableSortedSet.of() : reported.unknownInputs();
  }

  /** Own inputs plus connected inputs, as the handler sees them. */
  public SortedMap<String, Value> resolvedInputs() {
    return resolvedInputs;
  }

  public Optional<Value> resolved(String input) {
    return Optional.ofNullable(resolvedInputs.get(input));
  }

  /** True if some incoming connection feeds {@code input}. */
  public boolean isConnected(String input) {
    for (Connection c : incoming) {
      if (c.receiver().input().equals(input)) {
        return true;
      }
    }
    return false;
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- copies for the engine (ApiAccess)

  /*
   * The desired state builds resources from collections it has checked edit by edit, so these skip
   * the checks of build() and share what did not change.
   */

  static {
    ApiAccess.register(new ApiAccess.Resources() {
      @Override
      public Resource trusted(ResourceId id, String kind, SortedMap<String, Value> own, SortedSet<String> sensitive,
          SortedSet<Connection> incoming, Optional<ResourceId> location, SortedSet<Event> events,
          SortedSet<String> labels, SortedMap<String, Value> resolved, boolean protect, Resource outputsOf) {
        return Resource.trusted(id, kind, own, sensitive, incoming, location, events, labels, resolved, protect,
            outputsOf);
      }

      @Override
      public Resource withResolved(Resource r, SortedMap<String, Value> resolved, SortedSet<String> fed,
          SortedSet<String> unknown) {
        return r.withResolved(resolved, fed, unknown);
      }

      @Override
      public Resource withOutputs(Resource r, SortedMap<String, Value> outputs, SortedSet<String> sensitive) {
        return r.withOutputs(outputs, sensitive);
      }
    });
  }

  /**
   * A resource from collections the desired state built and checked edit by edit, with the outputs
   * of {@code outputsOf} (null for none).
   */
  private static Resource trusted(ResourceId id, String kind, SortedMap<String, Value> own, SortedSet<String> sensitive,
      SortedSet<Connection> incoming, Optional<ResourceId> location, SortedSet<Event> events, SortedSet<String> labels,
      SortedMap<String, Value> resolved, boolean protect, Resource outputsOf) {
    Reported carried = outputsOf == null || outputsOf.reported == null ? null
        : Reported.of(outputsOf.reported.outputs(), outputsOf.reported.sensitiveOutputs(), ImmutableSortedSet.of());
    return new Resource(id, kind, ArrayMap.copyOf(own), Copies.immutable(sensitive),
        ImmutableSortedSet.of(), Copies.immutable(incoming), location.orElse(null),
        Copies.immutable(events), Copies.immutable(labels),
        ArrayMap.copyOf(resolved), protect, carried);
  }

  /** This resource with the inputs, sensitivity and unknown inputs its connections resolve to. */
  private Resource withResolved(SortedMap<String, Value> resolved, SortedSet<String> fed, SortedSet<String> unknown) {
    Reported r = reported == null ? Reported.NONE : reported;
    return new Resource(id, kind, ownInputs, sensitiveInputs, Copies.immutable(fed), incoming,
        location, events, labels, ArrayMap.copyOf(resolved), protect,
        Reported.of(r.outputs(), r.sensitiveOutputs(), Copies.immutable(unknown)));
  }

  /** This resource with {@code outputs} in place of its own, and no input unknown. */
  private Resource withOutputs(SortedMap<String, Value> outputs, SortedSet<String> sensitive) {
    return new Resource(id, kind, ownInputs, sensitiveInputs, sensitiveFed, incoming,
        location, events, labels, resolvedInputs, protect,
        Reported.of(ArrayMap.copyOf(outputs), Copies.immutable(sensitive), ImmutableSortedSet.of()));
  }

  // ---------------------------------------------------------------- value semantics

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof Resource r
        && (hash == 0 || r.hash == 0 || hash == r.hash)
        && protect == r.protect
        && id.equals(r.id)
        && kind.equals(r.kind)
        && ownInputs.equals(r.ownInputs)
        && sensitiveInputs.equals(r.sensitiveInputs)
        && sensitiveFed.equals(r.sensitiveFed)
        && incoming.equals(r.incoming)
        && Objects.equals(location, r.location)
        && events.equals(r.events)
        && labels.equals(r.labels)
        && resolvedInputs.equals(r.resolvedInputs)
        && Objects.equals(reported, r.reported);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(new Object[] {id, kind, ownInputs.hashCode(), sensitiveInputs, sensitiveFed, incoming, location,
          events, labels, resolvedInputs.hashCode(), protect, reported});
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  /** The resource with every sensitive value shown as {@code (sensitive)}. */
  @Override
  public String toString() {
    return "Resource{id=" + id + ", kind=" + kind + ", ownInputs=" + shown(ownInputs, this::isSensitive)
        + ", sensitiveInputs="
        + sensitiveInputs + (sensitiveFed.isEmpty() ? "" : ", sensitiveFedInputs=" + sensitiveFed)
        + ", incoming=" + incoming + (location == null ? "" : ", location=" + location)
        + ", events=" + events + ", labels=" + labels + (protect ? ", protected" : "")
        + ", resolvedInputs=" + shown(resolvedInputs, this::isSensitive)
        + (outputs().isEmpty() ? "" : ", outputs=" + shown(outputs(), this::isSensitiveOutput))
        + (unknownInputs().isEmpty() ? "" : ", unknownInputs=" + unknownInputs()) + "}";
  }

  /** {@code k=v} pairs as a map prints them, those {@code sensitive} names as {@code (sensitive)}. */
  private static String shown(SortedMap<String, Value> values, java.util.function.Predicate<String> sensitive) {
    StringBuilder b = new StringBuilder("{");
    values.forEach((k, v) -> {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(k).append('=').append(sensitive.test(k) ? "(sensitive)" : v.toJson());
    });
    return b.append('}').toString();
  }

  // ---------------------------------------------------------------- builder

  /**
   * Builds a {@link Resource}; {@code build()} validates everything at once. Setting a collection
   * replaces it; {@code put}/{@code add} methods add to it; {@link #from} adds the collections of a
   * resource to what is set already and leaves a set location in place if the resource has none.
   */
  public static final class Builder {
    private ResourceId id;
    private String kind;
    private SortedMap<String, Value> ownInputs = ArrayMap.of();
    private SortedSet<String> sensitiveInputs = ImmutableSortedSet.of();
    private SortedSet<String> sensitiveFed = ImmutableSortedSet.of();
    private SortedSet<Connection> incoming = ImmutableSortedSet.of();
    private ResourceId location;
    private SortedSet<Event> events = ImmutableSortedSet.of();
    private SortedSet<String> labels = ImmutableSortedSet.of();
    private SortedMap<String, Value> resolvedInputs = ArrayMap.of();
    private boolean protect;
    private SortedMap<String, Value> outputs = ArrayMap.of();
    private SortedSet<String> sensitiveOutputs = ImmutableSortedSet.of();

    private Builder() {}

    public Builder from(Resource r) {
      Objects.requireNonNull(r, "instance");
      id = r.id;
      kind = r.kind;
      ownInputs = Copies.merged(ownInputs, r.ownInputs);
      sensitiveInputs = Copies.merged(sensitiveInputs, r.sensitiveInputs);
      sensitiveFed = Copies.merged(sensitiveFed, r.sensitiveFed);
      incoming = Copies.merged(incoming, r.incoming);
      if (r.location != null) {
        location = r.location;
      }
      events = Copies.merged(events, r.events);
      labels = Copies.merged(labels, r.labels);
      resolvedInputs = Copies.merged(resolvedInputs, r.resolvedInputs);
      protect = r.protect;
      outputs = Copies.merged(outputs, r.outputs());
      sensitiveOutputs = Copies.merged(sensitiveOutputs, r.sensitiveOutputs());
      return this;
    }

    public Builder id(ResourceId id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    public Builder kind(String kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    public Builder ownInputs(Map<String, ? extends Value> entries) {
      ownInputs = ArrayMap.copyOf(entries);
      return this;
    }

    public Builder putOwnInputs(String key, Value value) {
      ownInputs = Copies.writable(ownInputs);
      ownInputs.put(Objects.requireNonNull(key, "ownInputs key"), Objects.requireNonNull(value, "ownInputs value"));
      return this;
    }

    public Builder putAllOwnInputs(Map<String, ? extends Value> entries) {
      ownInputs = Copies.merged(ownInputs, ArrayMap.copyOf(entries));
      return this;
    }

    public Builder sensitiveInputs(Iterable<String> elements) {
      sensitiveInputs = ImmutableSortedSet.copyOf(elements);
      return this;
    }

    public Builder addSensitiveInputs(String... elements) {
      return addAllSensitiveInputs(Arrays.asList(elements));
    }

    public Builder addAllSensitiveInputs(Iterable<String> elements) {
      sensitiveInputs = Copies.merged(sensitiveInputs, ImmutableSortedSet.copyOf(elements));
      return this;
    }

    /** The connected inputs that receive a sensitive value ({@link Resource#sensitiveFedInputs}). */
    public Builder sensitiveFedInputs(Iterable<String> elements) {
      sensitiveFed = ImmutableSortedSet.copyOf(elements);
      return this;
    }

    public Builder incoming(Iterable<? extends Connection> elements) {
      incoming = ImmutableSortedSet.copyOf(elements);
      return this;
    }

    public Builder addIncoming(Connection... elements) {
      return addAllIncoming(Arrays.asList(elements));
    }

    public Builder addAllIncoming(Iterable<? extends Connection> elements) {
      incoming = Copies.merged(incoming, ImmutableSortedSet.copyOf(elements));
      return this;
    }

    public Builder location(ResourceId location) {
      this.location = Objects.requireNonNull(location, "location");
      return this;
    }

    public Builder location(Optional<ResourceId> location) {
      this.location = location.orElse(null);
      return this;
    }

    public Builder events(Iterable<? extends Event> elements) {
      events = ImmutableSortedSet.copyOf(elements);
      return this;
    }

    public Builder addEvents(Event... elements) {
      return addAllEvents(Arrays.asList(elements));
    }

    public Builder addAllEvents(Iterable<? extends Event> elements) {
      events = Copies.merged(events, ImmutableSortedSet.copyOf(elements));
      return this;
    }

    public Builder labels(Iterable<String> elements) {
      labels = ImmutableSortedSet.copyOf(elements);
      return this;
    }

    public Builder addLabels(String... elements) {
      return addAllLabels(Arrays.asList(elements));
    }

    public Builder addAllLabels(Iterable<String> elements) {
      labels = Copies.merged(labels, ImmutableSortedSet.copyOf(elements));
      return this;
    }

    public Builder resolvedInputs(Map<String, ? extends Value> entries) {
      resolvedInputs = ArrayMap.copyOf(entries);
      return this;
    }

    public Builder putResolvedInputs(String key, Value value) {
      resolvedInputs = Copies.writable(resolvedInputs);
      resolvedInputs.put(Objects.requireNonNull(key, "resolvedInputs key"),
          Objects.requireNonNull(value, "resolvedInputs value"));
      return this;
    }

    public Builder putAllResolvedInputs(Map<String, ? extends Value> entries) {
      resolvedInputs = Copies.merged(resolvedInputs, ArrayMap.copyOf(entries));
      return this;
    }

    /** Protects the resource ({@link Resource#isProtected()}), or not; unprotected by default. */
    public Builder protect(boolean on) {
      this.protect = on;
      return this;
    }

    /** The outputs its handler returned ({@link Resource#outputs()}), replacing any set before. */
    public Builder outputs(Map<String, ? extends Value> entries) {
      outputs = ArrayMap.copyOf(entries);
      return this;
    }

    public Builder putOutput(String name, Value value) {
      outputs = Copies.writable(outputs);
      outputs.put(Objects.requireNonNull(name, "output name"), Objects.requireNonNull(value, "output value"));
      return this;
    }

    /** The names of the sensitive outputs ({@link Resource#sensitiveOutputs()}), replacing any set before. */
    public Builder sensitiveOutputs(Iterable<String> elements) {
      sensitiveOutputs = ImmutableSortedSet.copyOf(elements);
      return this;
    }

    public Builder addSensitiveOutputs(String... elements) {
      sensitiveOutputs = Copies.merged(sensitiveOutputs, ImmutableSortedSet.copyOf(elements));
      return this;
    }

    /** The resource, or {@link InvalidInputException} naming every problem at once. */
    public Resource build() {
      ResourceChecks.checkRequired(id, kind);
      Resource r = new Resource(id, kind, ArrayMap.copyOf(ownInputs),
          Copies.immutable(sensitiveInputs), Copies.immutable(sensitiveFed),
          Copies.immutable(incoming), location,
          Copies.immutable(events), Copies.immutable(labels),
          ArrayMap.copyOf(resolvedInputs), protect,
          Reported.of(ArrayMap.copyOf(outputs), Copies.immutable(sensitiveOutputs), ImmutableSortedSet.of()));
      ResourceChecks.check(r, location);
      return r;
    }
  }
}
