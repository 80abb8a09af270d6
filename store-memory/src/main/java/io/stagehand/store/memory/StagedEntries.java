package io.stagehand.store.memory;

import io.stagehand.core.spi.StagedEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The staged log of the memory store: entries in sequence order in two parallel arrays, the
 * sequences and the entries, where a removed entry leaves a hole until the holes are half the log.
 * Appending and reading in order cost what an array list does; removing one entry is a binary search
 * over primitive longs. A tree map of boxed sequences cost a node and a boxed key per entry, and an
 * apply of a first deployment removes every entry one by one.
 */
final class StagedEntries {
  private long[] sequences = new long[64];
  private StagedEntry[] entries = new StagedEntry[64];
  private int length;
  private int holes;
  /** Holes are closed once there are more than this many and they are half the log. */
  private final int minHoles;

  StagedEntries() {
    this(512);
  }

  StagedEntries(int minHoles) {
    this.minHoles = minHoles;
  }

  /** Appends {@code e}, whose sequence must be greater than every sequence held. */
  void append(StagedEntry e) {
    if (length > 0 && e.sequence() <= sequences[length - 1]) {
      throw new IllegalArgumentException("staged entry " + e.sequence() + " is not after " + sequences[length - 1]);
    }
    growIfFull();
    sequences[length] = e.sequence();
    entries[length] = e;
    length++;
  }

  /** Removes the entry of {@code sequence} and returns it, or returns null if there is none. */
  StagedEntry remove(long sequence) {
    int i = Arrays.binarySearch(sequences, 0, length, sequence);
    if (i < 0 || entries[i] == null) {
      return null;
    }
    StagedEntry e = entries[i];
    entries[i] = null;
    holes++;
    if (holes > minHoles && holes * 2 > length) {
      compact();
    }
    return e;
  }

  /** Puts back an entry removed earlier (undo), wherever its sequence belongs. */
  void restore(StagedEntry e) {
    int i = Arrays.binarySearch(sequences, 0, length, e.sequence());
    if (i >= 0) {
      if (entries[i] == null) {
        entries[i] = e;
        holes--;
      }
      return;
    }
    int at = -i - 1;
    growIfFull();
    System.arraycopy(sequences, at, sequences, at + 1, length - at);
    System.arraycopy(entries, at, entries, at + 1, length - at);
    sequences[at] = e.sequence();
    entries[at] = e;
    length++;
  }

  /** Drops every entry after {@code sequence} (undo of an append). */
  void truncateAfter(long sequence) {
    int i = Arrays.binarySearch(sequences, 0, length, sequence);
    int keep = i >= 0 ? i + 1 : -i - 1;
    for (int j = keep; j < length; j++) {
      if (entries[j] == null) {
        holes--;
      }
      entries[j] = null;
    }
    length = keep;
  }

  /** The entries in sequence order. */
  List<StagedEntry> list() {
    List<StagedEntry> out = new ArrayList<>(length - holes);
    for (int i = 0; i < length; i++) {
      if (entries[i] != null) {
        out.add(entries[i]);
      }
    }
    return Collections.unmodifiableList(out);
  }

  private void growIfFull() {
    if (length == sequences.length) {
      sequences = Arrays.copyOf(sequences, length * 2);
      entries = Arrays.copyOf(entries, length * 2);
    }
  }

  private void compact() {
    int to = 0;
    for (int from = 0; from < length; from++) {
      if (entries[from] != null) {
        sequences[to] = sequences[from];
        entries[to] = entries[from];
        to++;
      }
    }
    Arrays.fill(entries, to, length, null);
    length = to;
    holes = 0;
  }
}
