package io.stagehand.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.immutables.value.Value.Immutable;
import org.immutables.value.Value.Lazy;
import org.immutables.value.Value.NaturalOrder;

/**
 * The change of one resource between two states: the resource before and after (each absent when
 * the resource does not exist there), and every connection touching it before and after. The action
 * and the input changes are derived from these.
 */
@Immutable
public abstract class Diff {
  Diff() {}

  public abstract ResourceId resource();

  public abstract Optional<Resource> before();

  public abstract Optional<Resource> after();

  /** Every connection touching the resource (incoming and outgoing) in the before state. */
  @NaturalOrder
  public abstract SortedSet<Connection> connectionsBefore();

  /** Every connection touching the resource (incoming and outgoing) in the after state. */
  @NaturalOrder
  public abstract SortedSet<Connection> connectionsAfter();

  /**
   * True if the resource was marked pending when the diff was made: an earlier apply committed a
   * change it takes while its own action was left out or failed, so it is planned again until it is
   * applied. Not part of the change itself: equality and commits leave it out.
   */
  @org.immutables.value.Value.Default
  @org.immutables.value.Value.Auxiliary
  public boolean pending() {
    return false;
  }

  /** The kind after the change, or before it for a removal. */
  @Lazy
  public String kind() {
    return after().or(this::before).map(Resource::kind).orElse("");
  }

  /** RUN, UPDATE or REMOVE; absent when nothing the handler sees changed. */
  @Lazy
  public Optional<Action> action() {
    if (before().isEmpty()) {
      return after().isPresent() ? Optional.of(Action.RUN) : Optional.empty();
    }
    if (after().isEmpty()) {
      return Optional.of(Action.REMOVE);
    }
    return before().equals(after()) ? Optional.empty() : Optional.of(Action.UPDATE);
  }

  /** Changes of the resolved inputs, by input name. */
  @Lazy
  public List<Change> changes() {
    return changes(before().map(Resource::resolvedInputs), after().map(Resource::resolvedInputs), this);
  }

  /** Changes of the inputs set by hand, by input name. */
  @Lazy
  public List<Change> ownChanges() {
    return changes(before().map(Resource::ownInputs), after().map(Resource::ownInputs), this);
  }

  /** Incoming connections that the change adds or drops. */
  @Lazy
  public SortedSet<Connection> connectionChanges() {
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
    return out;
  }

  /**
   * Changes of what is not an input: location, labels and events, as lines such as
   * {@code @location: None -> node1}, {@code @labels: [] -> [web]} and
   * {@code @event: + config UPDATE -> service restart}.
   */
  @Lazy
  public List<String> otherChanges() {
    List<String> out = new ArrayList<>();
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
    SortedSet<Event> be = before().map(Resource::events).orElse(new TreeSet<>());
    SortedSet<Event> ae = after().map(Resource::events).orElse(new TreeSet<>());
    be.stream().filter(e -> !ae.contains(e)).forEach(e -> out.add("@event: - " + e));
    ae.stream().filter(e -> !be.contains(e)).forEach(e -> out.add("@event: + " + e));
    return List.copyOf(out);
  }

  /** True if {@code input} is sensitive on either side, marked by hand or fed from a sensitive input. */
  public boolean isSensitive(String input) {
    return before().map(r -> r.isSensitive(input)).orElse(false)
        || after().map(r -> r.isSensitive(input)).orElse(false);
  }

  /** The diff that undoes this one. */
  public Diff inverse() {
    return builder()
        .resource(resource())
        .before(after())
        .after(before())
        .connectionsBefore(connectionsAfter())
        .connectionsAfter(connectionsBefore())
        .build();
  }

  private static List<Change> changes(
      Optional<SortedMap<String, io.stagehand.core.model.Value>> before,
      Optional<SortedMap<String, io.stagehand.core.model.Value>> after, Diff diff) {
    SortedMap<String, io.stagehand.core.model.Value> b = before.orElse(java.util.Collections.emptySortedMap());
    SortedMap<String, io.stagehand.core.model.Value> a = after.orElse(java.util.Collections.emptySortedMap());
    java.util.TreeSet<String> names = new java.util.TreeSet<>(b.keySet());
    names.addAll(a.keySet());
    List<Change> out = new ArrayList<>();
    for (String name : names) {
      Optional<io.stagehand.core.model.Value> from = Optional.ofNullable(b.get(name));
      Optional<io.stagehand.core.model.Value> to = Optional.ofNullable(a.get(name));
      if (!from.equals(to)) {
        out.add(new Change(name, from, to, diff.isSensitive(name)));
      }
    }
    return List.copyOf(out);
  }

  /** Renders one change, printing {@code (sensitive)} for sensitive inputs. */
  public String render(Change change) {
    return change.sensitive() || !isSensitive(change.input()) ? change.toString()
        : new Change(change.input(), change.from(), change.to(), true).toString();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Diff}. */
  public static final class Builder extends ImmutableDiff.Builder {
    Builder() {}
  }

}
