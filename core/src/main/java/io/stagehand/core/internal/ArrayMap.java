package io.stagehand.core.internal;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiConsumer;

/**
 * An immutable map from strings to values, sorted by key, kept in one array of alternating keys and
 * values: the inputs of every resource a store holds, and the entries of map values. Guava's
 * {@code ImmutableSortedMap} takes about 170 bytes for three entries (a key set, two lists and
 * their arrays, and the views it keeps once made); this takes 56. Views ({@link #entrySet},
 * {@link #keySet}, {@link #values}) are made afresh on each call and never kept. Sub-maps are
 * copies, which an immutable map cannot tell from views.
 */
public final class ArrayMap<V> extends AbstractMap<String, V> implements SortedMap<String, V> {
  private static final ArrayMap<Object> EMPTY = new ArrayMap<>(new Object[0]);

  /** Keys at even positions, ascending, each followed by its value; no nulls. */
  private final Object[] kv;

  private ArrayMap(Object[] kv) {
    this.kv = kv;
  }

  @SuppressWarnings("unchecked")
  public static <V> ArrayMap<V> of() {
    return (ArrayMap<V>) EMPTY;
  }

  /**
   * {@code m} itself if it is one of these, else a sorted copy. Null keys or values are rejected
   * with a {@link NullPointerException}; callers check them first with their own messages.
   */
  @SuppressWarnings("unchecked")
  public static <V> ArrayMap<V> copyOf(Map<String, ? extends V> m) {
    if (m instanceof ArrayMap<?> a) {
      return (ArrayMap<V>) a;
    }
    if (m.isEmpty()) {
      return of();
    }
    Object[] kv = new Object[m.size() * 2];
    int i = 0;
    for (Map.Entry<String, ? extends V> e : m.entrySet()) {
      kv[i++] = checkNotNull(e.getKey());
      kv[i++] = checkNotNull(e.getValue());
    }
    if (!(m instanceof SortedMap<?, ?> s && s.comparator() == null) && !sorted(kv)) {
      kv = sortedPairs(kv);
    }
    return new ArrayMap<>(kv);
  }

  private static Object checkNotNull(Object o) {
    if (o == null) {
      throw new NullPointerException("ArrayMap holds no null key or value");
    }
    return o;
  }

  private static boolean sorted(Object[] kv) {
    for (int i = 2; i < kv.length; i += 2) {
      if (((String) kv[i - 2]).compareTo((String) kv[i]) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Sorts the pairs by key; a repeated key (from a map with a strange key order) keeps its last value. */
  private static Object[] sortedPairs(Object[] kv) {
    Integer[] order = new Integer[kv.length / 2];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(i -> (String) kv[2 * i]));
    Object[] out = new Object[kv.length];
    int n = 0;
    for (int i : order) {
      if (n > 0 && out[n - 2].equals(kv[2 * i])) {
        n -= 2;
      }
      out[n++] = kv[2 * i];
      out[n++] = kv[2 * i + 1];
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  private int indexOf(Object key) {
    if (!(key instanceof String k)) {
      return -1;
    }
    int lo = 0;
    int hi = kv.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = ((String) kv[2 * mid]).compareTo(k);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  /** The position of the first key at or after {@code key}. */
  private int lowerBound(String key) {
    int i = indexOf(key);
    return i >= 0 ? i : -(i + 1);
  }

  @Override
  public int size() {
    return kv.length / 2;
  }

  @Override
  public boolean isEmpty() {
    return kv.length == 0;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    int i = indexOf(key);
    return i >= 0 ? (V) kv[2 * i + 1] : null;
  }

  /** The key at position {@code i} in key order. */
  public String keyAt(int i) {
    return (String) kv[2 * i];
  }

  /** The value at position {@code i} in key order. */
  @SuppressWarnings("unchecked")
  public V valueAt(int i) {
    return (V) kv[2 * i + 1];
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(BiConsumer<? super String, ? super V> action) {
    for (int i = 0; i < kv.length; i += 2) {
      action.accept((String) kv[i], (V) kv[i + 1]);
    }
  }

  @Override
  public Comparator<? super String> comparator() {
    return null;
  }

  @Override
  public String firstKey() {
    if (kv.length == 0) {
      throw new NoSuchElementException();
    }
    return (String) kv[0];
  }

  @Override
  public String lastKey() {
    if (kv.length == 0) {
      throw new NoSuchElementException();
    }
    return (String) kv[kv.length - 2];
  }

  @Override
  public SortedMap<String, V> subMap(String fromKey, String toKey) {
    if (fromKey.compareTo(toKey) > 0) {
      throw new IllegalArgumentException("fromKey > toKey");
    }
    return range(lowerBound(fromKey), lowerBound(toKey));
  }

  @Override
  public SortedMap<String, V> headMap(String toKey) {
    return range(0, lowerBound(toKey));
  }

  @Override
  public SortedMap<String, V> tailMap(String fromKey) {
    return range(lowerBound(fromKey), size());
  }

  private SortedMap<String, V> range(int from, int to) {
    return from == 0 && to == size() ? this : new ArrayMap<>(Arrays.copyOfRange(kv, 2 * from, 2 * to));
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, V>> iterator() {
        return new Walk<>() {
          @Override
          Map.Entry<String, V> at(int i) {
            return new AbstractMap.SimpleImmutableEntry<>(keyAt(i), valueAt(i));
          }
        };
      }

      @Override
      public int size() {
        return ArrayMap.this.size();
      }
    };
  }

  @Override
  public Set<String> keySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<String> iterator() {
        return new Walk<>() {
          @Override
          String at(int i) {
            return keyAt(i);
          }
        };
      }

      @Override
      public boolean contains(Object o) {
        return containsKey(o);
      }

      @Override
      public int size() {
        return ArrayMap.this.size();
      }
    };
  }

  @Override
  public Collection<V> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<V> iterator() {
        return new Walk<>() {
          @Override
          V at(int i) {
            return valueAt(i);
          }
        };
      }

      @Override
      public int size() {
        return ArrayMap.this.size();
      }
    };
  }

  /** An iterator over the positions, in key order; it removes nothing. */
  private abstract class Walk<T> implements Iterator<T> {
    private int next;

    abstract T at(int i);

    @Override
    public boolean hasNext() {
      return next < size();
    }

    @Override
    public T next() {
      if (next >= size()) {
        throw new NoSuchElementException();
      }
      return at(next++);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (o instanceof ArrayMap<?> a) {
      return Arrays.equals(kv, a.kv);
    }
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < kv.length; i += 2) {
      h += kv[i].hashCode() ^ kv[i + 1].hashCode();
    }
    return h;
  }
}
