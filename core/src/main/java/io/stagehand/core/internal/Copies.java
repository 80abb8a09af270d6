package io.stagehand.core.internal;

import com.google.common.collect.ImmutableSortedSet;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Copy-on-write for the sorted collections a resource is built from while edits are replayed. */
public final class Copies {
  private Copies() {}

  /** {@code m} if it is a map the engine made to change, else a changeable copy. */
  public static <K, V> SortedMap<K, V> writable(SortedMap<K, V> m) {
    return m instanceof TreeMap<K, V> ? m : new TreeMap<>(m);
  }

  /** {@code s} if it is a set the engine made to change, else a changeable copy. */
  public static <T> SortedSet<T> writable(SortedSet<T> s) {
    return s instanceof TreeSet<T> ? s : new TreeSet<>(s);
  }

  /** {@code into} with {@code more} added: {@code more} itself if {@code into} is empty, else a changeable copy. */
  public static <K, V> SortedMap<K, V> merged(SortedMap<K, V> into, SortedMap<K, V> more) {
    if (into.isEmpty()) {
      return more;
    }
    SortedMap<K, V> out = writable(into);
    out.putAll(more);
    return out;
  }

  /** {@code into} with {@code more} added: {@code more} itself if {@code into} is empty, else a changeable copy. */
  public static <T> SortedSet<T> merged(SortedSet<T> into, SortedSet<T> more) {
    if (into.isEmpty()) {
      return more;
    }
    SortedSet<T> out = writable(into);
    out.addAll(more);
    return out;
  }

  /**
   * {@code s} as an immutable set: itself if it is one already. Guava's {@code copyOfSorted} would
   * make a new set and leave the old one keeping a list view of itself.
   */
  public static <T> ImmutableSortedSet<T> immutable(SortedSet<T> s) {
    return s instanceof ImmutableSortedSet<T> i ? i : ImmutableSortedSet.copyOfSorted(s);
  }
}
