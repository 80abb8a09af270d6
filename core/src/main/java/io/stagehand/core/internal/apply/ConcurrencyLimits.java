package io.stagehand.core.internal.apply;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.model.ResourceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The per-location and per-kind limits of an apply ({@link ApplyOptions#maxPerLocation()},
 * {@link ApplyOptions#maxPerKind()}). A ready action whose location or kind is at its limit is parked
 * on that constraint and goes back to the ready queue when an action holding it ends.
 *
 * @param <T> the scheduler's action
 */
public final class ConcurrencyLimits<T> {
  private final Collection<T> ready;
  private final ApplyOptions options;
  private final Function<T, Optional<ResourceId>> locationOf;
  private final Function<T, String> kindOf;
  private final Map<String, Integer> running = new HashMap<>();
  private final Map<String, List<T>> parked = new HashMap<>();

  /** Limits that put released actions back into {@code ready}. */
  public ConcurrencyLimits(Collection<T> ready, ApplyOptions options, Function<T, Optional<ResourceId>> locationOf,
      Function<T, String> kindOf) {
    this.ready = ready;
    this.options = options;
    this.locationOf = locationOf;
    this.kindOf = kindOf;
  }

  private Optional<String> location(T t) {
    return locationOf.apply(t).map(l -> "location " + l);
  }

  private Optional<String> kind(T t) {
    String k = kindOf.apply(t);
    return options.maxPerKind().containsKey(k) ? Optional.of("kind " + k) : Optional.empty();
  }

  private int limit(String key) {
    return key.startsWith("location ") ? options.maxPerLocation()
        : options.maxPerKind().get(key.substring("kind ".length()));
  }

  /** Parks {@code t} if one of its constraints is full; returns true if parked. */
  public boolean park(T t) {
    for (Optional<String> key : List.of(location(t), kind(t))) {
      if (key.isPresent() && running.getOrDefault(key.get(), 0) >= limit(key.get())) {
        parked.computeIfAbsent(key.get(), k -> new ArrayList<>()).add(t);
        return true;
      }
    }
    return false;
  }

  /** {@code t} starts: it holds a slot of its location and of its kind. */
  public void acquire(T t) {
    location(t).ifPresent(k -> running.merge(k, 1, Integer::sum));
    kind(t).ifPresent(k -> running.merge(k, 1, Integer::sum));
  }

  /** {@code t}'s handler returned: its slots free up, and what was parked on them is ready again. */
  public void release(T t) {
    for (Optional<String> key : List.of(location(t), kind(t))) {
      key.ifPresent(k -> {
        running.merge(k, -1, Integer::sum);
        List<T> waiting = parked.remove(k);
        if (waiting != null) {
          ready.addAll(waiting);
        }
      });
    }
  }

  public boolean hasParked() {
    return !parked.isEmpty();
  }

  @Override
  public String toString() {
    return "running " + running + ", parked " + parked.keySet();
  }
}
