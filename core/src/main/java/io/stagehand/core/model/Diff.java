package io.stagehand.core.model;

import com.google.common.base.MoreObjects;
import com.google.common.collect.ImmutableSortedSet;
import io.stagehand.core.internal.ApiAccess;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The change of one resource between two states: the resource before and after (each absent when
 * the resource does not exist there), and every connection touching it before and after. The action
 * and the input changes are derived from these.
 *
 * <p>A plan holds a diff per action, and a first deployment has hundreds of thousands: the planner's
 * diffs sort their connections, and derive their changes, only when these are first read. Equality
 * and the hash code take the resource, both sides and both connection sets.
 */
public final class Diff {
  static {
    ApiAccess.register((ApiAccess.Diffs) (id, before, after, outBefore, outAfter, pending, recordOnly, touched,
        replaced) -> new Diff(id, before.orElse(null), after.orElse(null), null, null, outBefore, outAfter, pending,
            recordOnly, touched, replaced));
  }

  private final ResourceId resource;
  private final Resource before;
  private final Resource after;
  private final boolean pending;
  private final boolean recordOnly;
  private final boolean touched;
  private final boolean replaced;
  /** The connections each side emits, until its connection set is first made (then null; guarded by this). */
  private Collection<Connection> outBefore;
  private Collection<Connection> outAfter;
  private volatile SortedSet<Connection> connectionsBefore;
  private volatile SortedSet<Connection> connectionsAfter;
  private volatile Optional<Action> action;
  private volatile List<Change> changes;
  private volatile List<Change> ownChanges;
  private volatile SortedSet<Connection> connectionChanges;
  private volatile List<String> otherChanges;

  private Diff(ResourceId resource, Resource before, Resource after, SortedSet<Connection> connectionsBefore,
      SortedSet<Connection> connectionsAfter, Collection<Connection> outBefore, Collection<Connection> outAfter,
      boolean pending, boolean recordOnly, boolean touched, boolean replaced) {
    this.resource = resource;
    this.recordOnly = recordOnly;
    this.touched = touched;
    this.replaced = replaced;
    this.before = before;
    this.after = after;
    this.connectionsBefore = connectionsBefore;
    this.connectionsAfter = connectionsAfter;
    this.outBefore = outBefore;
    this.outAfter = outAfter;
    this.pending = pending;
  }

  public ResourceId resource() {
    return resource;
  }

  public Optional<Resource> before() {
    return Optional.ofNullable(before);
  }

  public Optional<Resource> after() {
    return Optional.ofNullable(after);
  }

  /** Every connection touching the resource (incoming and outgoing) in the before state. */
  public SortedSet<Connection> connectionsBefore() {
    SortedSet<Connection> set = connectionsBefore;
    if (set == null) {
      synchronized (this) {
        if (connectionsBefore == null) {
          connectionsBefore = touching(before, outBefore);
          outBefore = null;
        }
        set = connectionsBefore;
      }
    }
    return set;
  }

  /** Every connection touching the resource (incoming and outgoing) in the after state. */
  public SortedSet<Connection> connectionsAfter() {
    SortedSet<Connection> set = connectionsAfter;
    if (set == null) {
      synchronized (this) {
        if (connectionsAfter == null) {
          connectionsAfter = touching(after, outAfter);
          outAfter = null;
        }
        set = connectionsAfter;
      }
    }
    return set;
  }

  /** A side's incoming connections with those it emits, sorted (the two never overlap: nothing feeds itself). */
  private static SortedSet<Connection> touching(Resource side, Collection<Connection> out) {
    if (side == null) {
      return ImmutableSortedSet.of();
    }
    // two sorted runs: the sort merges them
    return ImmutableSortedSet.<Connection>naturalOrder().addAll(side.incoming()).addAll(out).build();
  }

  /**
   * True if the resource was marked pending when the diff was made: an earlier apply committed a
   * change it takes while its own action was left out or failed, so it is planned again until it is
   * applied. Not part of the change itself: equality and commits leave it out.
   */
  public boolean pending() {
    return pending;
  }

  /**
   * True if the resource's change is only recorded, without running its handler: an import
   * ({@link Action#IMPORT}), a forget ({@link Action#FORGET}) or an adoption ({@link Action#ADOPT}).
   */
  public boolean recordOnly() {
    return recordOnly;
  }

  /**
   * True if an UPDATE of the resource was asked for ({@link Edit#touch}): it is an UPDATE even when
   * nothing of it changes.
   */
  public boolean touched() {
    return touched;
  }

  /**
   * True if the resource is replaced ({@link Edit#replace}): present on both sides, it is removed and
   * run again, a {@link Action#REPLACE}, whether or not it changes.
   */
  public boolean replaced() {
    return replaced;
  }

  /** The kind after the change, or before it for a removal. */
  public String kind() {
    return after != null ? after.kind() : before != null ? before.kind() : "";
  }

  /**
   * RUN, UPDATE or REMOVE (IMPORT, FORGET or ADOPT for a {@link #recordOnly()} creation, removal or
   * update; REPLACE for a {@link #replaced()} one); absent when nothing the handler sees changed.
   */
  public Optional<Action> action() {
    Optional<Action> a = action;
    if (a == null) {
      a = before == null ? (after != null ? Optional.of(recordOnly ? Action.IMPORT : Action.RUN) : Optional.empty())
          : after == null ? Optional.of(recordOnly ? Action.FORGET : Action.REMOVE)
          : recordOnly ? Optional.of(Action.ADOPT)
          : replaced ? Optional.of(Action.REPLACE)
          : before.equals(after) && !touched ? Optional.empty() : Optional.of(Action.UPDATE);
      action = a;
    }
    return a;
  }

  /**
   * Changes of the resolved inputs, by input name; an input fed from an output that its emitter
   * returns only in the apply changes to {@code (known after apply)}.
   */
  public List<Change> changes() {
    List<Change> c = changes;
    if (c == null) {
      c = changes(before().map(Resource::resolvedInputs), after().map(Resource::resolvedInputs), this::isSensitive);
      if (after != null && !after.unknownInputs().isEmpty()) {
        List<Change> all = new ArrayList<>(c);
        all.removeIf(change -> after.unknownInputs().contains(change.input()));
        for (String input : after.unknownInputs()) {
          Optional<io.stagehand.core.model.Value> was = before().flatMap(r -> r.resolved(input));
          all.add(new Change(input, was, Optional.empty(), isSensitive(input), true));
        }
        all.sort(java.util.Comparator.comparing(Change::input));
        c = List.copyOf(all);
      }
      changes = c;
    }
    return c;
  }

  /** Changes of the inputs set by hand, by input name. */
  public List<Change> ownChanges() {
    List<Change> c = ownChanges;
    if (c == null) {
      c = changes(before().map(Resource::ownInputs), after().map(Resource::ownInputs), this::isSensitive);
      ownChanges = c;
    }
    return c;
  }

  /** Incoming connections that the change adds or drops. */
  public SortedSet<Connection> connectionChanges() {
    SortedSet<Connection> found = connectionChanges;
    if (found != null) {
      return found;
    }
    SortedSet<Connection> b = before().map(Resource::incoming).orElse(new TreeSet<>());
    SortedSet<Connection> a = after().map(Resource::incoming).orElse(new TreeSet<>());
    TreeSet<Connection> out = new TreeSet<>();
    for (Connection c : b) {
      if (!a.contains(c)) {
        out.add(c);
      }
    }
    for (Connection c : a) {
      if (!b.contains(c)) {
        out.add(c);
      }
    }
    found = ImmutableSortedSet.copyOfSorted(out);
    connectionChanges = found;
    return found;
  }

  /**
   * Changes of what is not an input: outputs, location, labels, protection and events, as lines such
   * as {@code out.ip: None -> "10.0.0.9"}, {@code @location: None -> node1}, {@code @labels: [] -> [web]}, {@code @protected: false -> true}
   * and {@code @event: + config UPDATE -> service restart}.
   */
  public List<String> otherChanges() {
    List<String> found = otherChanges;
    if (found != null) {
      return found;
    }
    List<String> out = new ArrayList<>();
    for (Change c : changes(before().map(Resource::outputs), after().map(Resource::outputs),
        name -> before().map(r -> r.isSensitiveOutput(name)).orElse(false)
            || after().map(r -> r.isSensitiveOutput(name)).orElse(false))) {
      out.add("out." + c);
    }
    Optional<ResourceId> lb = before().flatMap(Resource::location);
    Optional<ResourceId> la = after().flatMap(Resource::location);
    if (!lb.equals(la)) {
      out.add("@location: " + lb.map(ResourceId::name).orElse("None") + " -> " + la.map(ResourceId::name).orElse("None"));
    }
    SortedSet<String> bl = before().map(Resource::labels).orElse(new TreeSet<>());
    SortedSet<String> al = after().map(Resource::labels).orElse(new TreeSet<>());
    if (!bl.equals(al)) {
      out.add("@labels: " + bl + " -> " + al);
    }
    boolean pb = before().map(Resource::isProtected).orElse(false);
    boolean pa = after().map(Resource::isProtected).orElse(false);
    if (pb != pa) {
      out.add("@protected: " + pb + " -> " + pa);
    }
    SortedSet<Event> be = before().map(Resource::events).orElse(new TreeSet<>());
    SortedSet<Event> ae = after().map(Resource::events).orElse(new TreeSet<>());
    for (Event e : be) {
      if (!ae.contains(e)) {
        out.add("@event: - " + e);
      }
    }
    for (Event e : ae) {
      if (!be.contains(e)) {
        out.add("@event: + " + e);
      }
    }
    found = List.copyOf(out);
    otherChanges = found;
    return found;
  }

  /** True if {@code input} is sensitive on either side, marked by hand or fed from a sensitive input. */
  public boolean isSensitive(String input) {
    return before().map(r -> r.isSensitive(input)).orElse(false)
        || after().map(r -> r.isSensitive(input)).orElse(false);
  }

  /** The diff that undoes this one. */
  public Diff inverse() {
    return new Diff(resource, after, before, connectionsAfter(), connectionsBefore(), null, null, false, recordOnly, touched,
        replaced);
  }

  /** The changes from {@code before} to {@code after}, by name, those {@code sensitive} marked so. */
  private static List<Change> changes(
      Optional<SortedMap<String, io.stagehand.core.model.Value>> before,
      Optional<SortedMap<String, io.stagehand.core.model.Value>> after,
      java.util.function.Predicate<String> sensitive) {
    SortedMap<String, io.stagehand.core.model.Value> b = before.orElse(java.util.Collections.emptySortedMap());
    SortedMap<String, io.stagehand.core.model.Value> a = after.orElse(java.util.Collections.emptySortedMap());
    java.util.TreeSet<String> names = new java.util.TreeSet<>(b.keySet());
    names.addAll(a.keySet());
    List<Change> out = new ArrayList<>();
    for (String name : names) {
      Optional<io.stagehand.core.model.Value> from = Optional.ofNullable(b.get(name));
      Optional<io.stagehand.core.model.Value> to = Optional.ofNullable(a.get(name));
      if (!from.equals(to)) {
        out.add(new Change(name, from, to, sensitive.test(name)));
      }
    }
    return List.copyOf(out);
  }

  /** Renders one change, printing {@code (sensitive)} for sensitive inputs. */
  public String render(Change change) {
    return change.sensitive() || !isSensitive(change.input()) ? change.toString()
        : new Change(change.input(), change.from(), change.to(), true).toString();
  }

  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof Diff d
        && resource.equals(d.resource)
        && recordOnly == d.recordOnly
        && touched == d.touched
        && replaced == d.replaced
        && Objects.equals(before, d.before)
        && Objects.equals(after, d.after)
        && connectionsBefore().equals(d.connectionsBefore())
        && connectionsAfter().equals(d.connectionsAfter());
  }

  @Override
  public int hashCode() {
    int h = 5381;
    h += (h << 5) + resource.hashCode();
    h += (h << 5) + Objects.hashCode(before);
    h += (h << 5) + Objects.hashCode(after);
    h += (h << 5) + connectionsBefore().hashCode();
    h += (h << 5) + connectionsAfter().hashCode();
    h += (h << 5) + Boolean.hashCode(recordOnly);
    h += (h << 5) + Boolean.hashCode(touched);
    h += (h << 5) + Boolean.hashCode(replaced);
    return h;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper("Diff")
        .omitNullValues()
        .add("resource", resource)
        .add("before", before)
        .add("after", after)
        .add("connectionsBefore", connectionsBefore())
        .add("connectionsAfter", connectionsAfter())
        .add("recordOnly", recordOnly ? Boolean.TRUE : null)
        .add("touched", touched ? Boolean.TRUE : null)
        .add("replaced", replaced ? Boolean.TRUE : null)
        .toString();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Diff}; the resource is required, everything else is absent or empty unless set. */
  public static final class Builder {
    private ResourceId resource;
    private Resource before;
    private Resource after;
    private final TreeSet<Connection> connectionsBefore = new TreeSet<>();
    private final TreeSet<Connection> connectionsAfter = new TreeSet<>();
    private boolean pending;
    private boolean recordOnly;
    private boolean touched;
    private boolean replaced;

    Builder() {}

    /** Sets every attribute from {@code diff}. */
    public Builder from(Diff diff) {
      resource = diff.resource;
      before = diff.before;
      after = diff.after;
      connectionsBefore(diff.connectionsBefore());
      connectionsAfter(diff.connectionsAfter());
      pending = diff.pending;
      recordOnly = diff.recordOnly;
      touched = diff.touched;
      replaced = diff.replaced;
      return this;
    }

    public Builder resource(ResourceId resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    public Builder before(Resource before) {
      this.before = Objects.requireNonNull(before, "before");
      return this;
    }

    public Builder before(Optional<? extends Resource> before) {
      this.before = before.orElse(null);
      return this;
    }

    public Builder after(Resource after) {
      this.after = Objects.requireNonNull(after, "after");
      return this;
    }

    public Builder after(Optional<? extends Resource> after) {
      this.after = after.orElse(null);
      return this;
    }

    /** Replaces the connections before with {@code connections}. */
    public Builder connectionsBefore(Iterable<? extends Connection> connections) {
      connectionsBefore.clear();
      connections.forEach(c -> connectionsBefore.add(Objects.requireNonNull(c, "connectionsBefore element")));
      return this;
    }

    public Builder addConnectionsBefore(Connection... connections) {
      for (Connection c : connections) {
        connectionsBefore.add(Objects.requireNonNull(c, "connectionsBefore element"));
      }
      return this;
    }

    /** Replaces the connections after with {@code connections}. */
    public Builder connectionsAfter(Iterable<? extends Connection> connections) {
      connectionsAfter.clear();
      connections.forEach(c -> connectionsAfter.add(Objects.requireNonNull(c, "connectionsAfter element")));
      return this;
    }

    public Builder addConnectionsAfter(Connection... connections) {
      for (Connection c : connections) {
        connectionsAfter.add(Objects.requireNonNull(c, "connectionsAfter element"));
      }
      return this;
    }

    public Builder pending(boolean pending) {
      this.pending = pending;
      return this;
    }

    /** Makes the diff an UPDATE even if nothing changes ({@link Diff#touched()}). */
    public Builder touched(boolean touched) {
      this.touched = touched;
      return this;
    }

    /** Makes the diff a REPLACE ({@link Diff#replaced()}). */
    public Builder replaced(boolean replaced) {
      this.replaced = replaced;
      return this;
    }

    /** Marks a creation as an import, a removal as a forget ({@link Diff#recordOnly()}). */
    public Builder recordOnly(boolean recordOnly) {
      this.recordOnly = recordOnly;
      return this;
    }

    /** The diff; throws {@link IllegalStateException} if the resource was not set. */
    public Diff build() {
      if (resource == null) {
        throw new IllegalStateException("Cannot build Diff, some of required attributes are not set [resource]");
      }
      return new Diff(resource, before, after, ImmutableSortedSet.copyOfSorted(connectionsBefore),
          ImmutableSortedSet.copyOfSorted(connectionsAfter), null, null, pending, recordOnly,
          touched, replaced);
    }
  }
}
