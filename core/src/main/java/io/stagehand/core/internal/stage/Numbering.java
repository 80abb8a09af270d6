package io.stagehand.core.internal.stage;

import io.stagehand.core.model.ResourceId;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Dense numbers for resources: 0, 1, 2, … in the order they are added. Resolution and planning keep
 * what they know of each resource in arrays indexed by its number, so a resource is hashed once, when
 * it is numbered or looked up, instead of once per map it is a key of. The table is open addressing
 * on an {@code int[]}: no entry objects and no boxed numbers.
 *
 * <p>An {@link #extend() extension} numbers more resources after this one's, without changing it:
 * the planner adds the targets of reactions to the numbering of a desired state that outlives the plan.
 */
public final class Numbering {
  private final Numbering base;
  private final int offset;
  private ResourceId[] ids;
  private int size;
  /**
   * Pairs of (number + 1, hash) per slot; 0 is an empty slot. The hash sits beside the number so
   * that a probe reads one place in memory and looks at an id only when the hashes match.
   */
  private int[] slots;

  /** An empty numbering. */
  public Numbering() {
    this(null, 0, 16);
  }

  private Numbering(Numbering base, int offset, int capacity) {
    this.base = base;
    this.offset = offset;
    this.ids = new ResourceId[capacity];
    this.slots = new int[2 * tableSize(capacity)];
  }

  /** A numbering that numbers what this one has alike, and further resources after them. */
  public Numbering extend() {
    return new Numbering(this, size(), 16);
  }

  /** How many resources are numbered. */
  public int size() {
    return offset + size;
  }

  /** The number of {@code id}, or -1 if it has none. */
  public int number(ResourceId id) {
    if (base != null) {
      int n = base.number(id);
      if (n >= 0) {
        return n;
      }
    }
    int h = id.hashCode();
    int mask = slots.length / 2 - 1;
    for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
      int s = slots[2 * i];
      if (s == 0) {
        return -1;
      }
      if (slots[2 * i + 1] == h) {
        ResourceId known = ids[s - 1];
        if (known == id || known.equals(id)) {
          return offset + s - 1;
        }
      }
    }
  }

  /** True if {@code id} has a number. */
  public boolean contains(ResourceId id) {
    return number(id) >= 0;
  }

  /** The number of {@code id}, given the next one if it had none. */
  public int add(ResourceId id) {
    int known = number(id);
    if (known >= 0) {
      return known;
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
    }
    ids[size++] = id;
    if (size * 2 > slots.length / 2) {
      rehash(); // places the new id too
    } else {
      place(slots, size);
    }
    return offset + size - 1;
  }

  /** The resource numbered {@code n}. */
  public ResourceId id(int n) {
    return n < offset ? base.id(n) : ids[n - offset];
  }

  /** The numbered resources as a set, in number order; it follows later additions. */
  public Set<ResourceId> asSet() {
    return new AbstractSet<>() {
      @Override
      public boolean contains(Object o) {
        return o instanceof ResourceId id && number(id) >= 0;
      }

      @Override
      public int size() {
        return Numbering.this.size();
      }

      @Override
      public Iterator<ResourceId> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < Numbering.this.size();
          }

          @Override
          public ResourceId next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return id(next++);
          }
        };
      }
    };
  }

  private void rehash() {
    int[] table = new int[2 * tableSize(ids.length)];
    for (int s = 1; s <= size; s++) {
      place(table, s);
    }
    slots = table;
  }

  /** Puts the own entry {@code s} (number + 1 within this numbering) into {@code table}. */
  private void place(int[] table, int s) {
    int h = ids[s - 1].hashCode();
    int mask = table.length / 2 - 1;
    int i = spread(h) & mask;
    while (table[2 * i] != 0) {
      i = (i + 1) & mask;
    }
    table[2 * i] = s;
    table[2 * i + 1] = h;
  }

  /** A power of two with room for {@code capacity} entries at a load of at most one half. */
  private static int tableSize(int capacity) {
    return Integer.highestOneBit(Math.max(capacity, 8) * 4 - 1);
  }

  /** Spreads a string's hash over the table's low bits (the golden-ratio multiplier of Fibonacci hashing). */
  private static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }
}
