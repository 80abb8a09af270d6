package io.stagehand.store.memory;

import com.google.common.collect.ImmutableSortedSet;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.LeaseLostException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.StoreException;
import io.stagehand.core.apply.LeaseInfo;
import io.stagehand.core.history.ApplyRecord;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.CommitDraft;
import io.stagehand.core.spi.CommitLog;
import io.stagehand.core.spi.PendingReaction;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.StagedLog;
import io.stagehand.core.spi.StateStore;
import io.stagehand.core.spi.Store;
import io.stagehand.core.spi.StoreReader;
import io.stagehand.core.spi.StoreWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A store that keeps everything in memory. Reads share a read lock; a unit of work holds the write
 * lock, writes in place and keeps an undo log, so that a unit that throws leaves no trace.
 */
public final class MemoryStore implements Store {
  /** Past this many receivers an emitter's outgoing set is a tree set (see {@link #outgoing}). */
  private static final int WIDE = 256;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Units of work committed so far; read and written under {@link #lock}. */
  private long changes;
  /** By id in a hash map: lookups stay flat at a million resources; {@code all()} sorts. */
  private final Map<ResourceId, Resource> resources = new HashMap<>();
  /**
   * The connections out of each emitter. Most emitters feed a few receivers: theirs is an immutable
   * sorted set, replaced when it changes and handed to readers as it is. An emitter that feeds more
   * than {@value #WIDE} keeps a tree set instead, which readers get a copy of.
   */
  private final Map<ResourceId, SortedSet<Connection>> outgoing = new HashMap<>();
  private final Map<ResourceId, TreeSet<Event>> eventsFrom = new HashMap<>();
  /** The applied resources placed on each location. */
  private final Map<ResourceId, TreeSet<ResourceId>> residents = new HashMap<>();
  private final StagedEntries staged = new StagedEntries();
  private final Set<ResourceId> pending = new LinkedHashSet<>();
  /** The reactions owed, by target and reaction name. */
  private final TreeMap<ResourceId, TreeMap<String, PendingReaction>> pendingReactions = new TreeMap<>();
  private long stagedPosition;
  /** The apply records by tag, in the order the applies started. */
  private final Map<Tag, ApplyRecord> applies = new LinkedHashMap<>();
  private final MemoryCommitLog commits;
  private final Object leaseMonitor = new Object();
  private MemoryLease lease;
  /** The fencing epoch: raised at every acquisition of the lease and at a forced release. */
  private long leaseEpoch;

  private final StateStore stateView = new StateView();
  private final StagedLog stagedView = new StagedView();
  private final StoreReader reader = new Reader();

  private MemoryStore(CommitLogVariant variant) {
    this.commits = variant == CommitLogVariant.GLOBAL
        ? new GlobalCommitLog()
        : new PerResourceCommitLog();
  }

  /** A new, empty in-memory store with a global commit log. */
  public static MemoryStore create() {
    return create(CommitLogVariant.GLOBAL);
  }

  /** A new, empty in-memory store with the given commit-log variant. */
  public static MemoryStore create(CommitLogVariant variant) {
    return new MemoryStore(Objects.requireNonNull(variant, "variant"));
  }

  /** The one-liner for tests: an orchestrator over a new in-memory store. */
  public static Orchestrator orchestrator() {
    return Orchestrator.of(create());
  }

  @Override
  public CommitLogVariant commitLogVariant() {
    return commits.variant();
  }

  @Override
  public <T> T read(Function<? super StoreReader, ? extends T> work) {
    lock.readLock().lock();
    try {
      return work.apply(reader);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public <T> T write(Function<? super StoreWriter, ? extends T> work) {
    lock.writeLock().lock();
    Writer writer = new Writer();
    try {
      T result = work.apply(writer);
      writer.done = true;
      changes++;
      return result;
    } catch (RuntimeException | Error e) {
      writer.rollback();
      throw e;
    } finally {
      writer.done = true;
      lock.writeLock().unlock();
    }
  }

  @Override
  public Optional<ApplyLease> tryLease(String holder) {
    synchronized (leaseMonitor) {
      if (lease != null && lease.isValid()) {
        return Optional.empty();
      }
      lease = new MemoryLease(holder, ++leaseEpoch);
      return Optional.of(lease);
    }
  }

  @Override
  public void forceReleaseLease() {
    synchronized (leaseMonitor) {
      if (lease != null) {
        lease.closed = true;
        lease = null;
      }
      leaseEpoch++;
    }
  }

  private long currentLeaseEpoch() {
    synchronized (leaseMonitor) {
      return leaseEpoch;
    }
  }

  @Override
  public Optional<LeaseInfo> leaseHolder() {
    synchronized (leaseMonitor) {
      return lease != null && lease.isValid()
          ? Optional.of(new LeaseInfo(lease.holder(), lease.since, Optional.empty())) : Optional.empty();
    }
  }

  private final class MemoryLease implements ApplyLease {
    private final String holder;
    private final long epoch;
    private final java.time.Instant since = java.time.Instant.now();
    private volatile boolean closed;

    MemoryLease(String holder, long epoch) {
      this.holder = holder;
      this.epoch = epoch;
    }

    @Override
    public long epoch() {
      return epoch;
    }

    @Override
    public String holder() {
      return holder;
    }

    @Override
    public boolean isValid() {
      return !closed;
    }

    @Override
    public void close() {
      synchronized (leaseMonitor) {
        closed = true;
        if (lease == this) {
          lease = null;
        }
      }
    }
  }

  // ---------------------------------------------------------------- views

  private class Reader implements StoreReader {
    @Override
    public StateStore state() {
      return stateView;
    }

    @Override
    public StagedLog staged() {
      return stagedView;
    }

    @Override
    public CommitLog commits() {
      return commits;
    }

    @Override
    public List<ApplyRecord> applies() {
      return List.copyOf(applies.values());
    }

    @Override
    public Optional<ApplyRecord> applyRecord(Tag tag) {
      return Optional.ofNullable(applies.get(tag));
    }

    @Override
    public List<ApplyRecord> openApplies() {
      List<ApplyRecord> out = new ArrayList<>();
      for (ApplyRecord r : applies.values()) {
        if (r.isOpen()) {
          out.add(r);
        }
      }
      return out;
    }

    @Override
    public OptionalLong changeCount() {
      return OptionalLong.of(changes);
    }
  }

  private final class StateView implements StateStore {
    @Override
    public Optional<Resource> get(ResourceId id) {
      return Optional.ofNullable(resources.get(id));
    }

    @Override
    public SortedSet<Connection> outgoing(ResourceId emitter) {
      SortedSet<Connection> out = outgoing.get(emitter);
      if (out == null) {
        return ImmutableSortedSet.of();
      }
      return out instanceof TreeSet<Connection> wide ? Collections.unmodifiableSortedSet(new TreeSet<>(wide)) : out;
    }

    @Override
    public SortedSet<Event> eventsFrom(ResourceId source) {
      TreeSet<Event> out = eventsFrom.get(source);
      return out == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(out));
    }

    @Override
    public SortedSet<ResourceId> residents(ResourceId location) {
      TreeSet<ResourceId> out = residents.get(location);
      return out == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(out));
    }

    @Override
    public List<Resource> all() {
      Resource[] all = resources.values().toArray(new Resource[0]);
      Arrays.sort(all, Comparator.comparing(Resource::id));
      return List.of(all);
    }

    @Override
    public long count() {
      return resources.size();
    }
  }

  private final class StagedView implements StagedLog {
    @Override
    public long position() {
      return stagedPosition;
    }

    @Override
    public List<StagedEntry> entries() {
      return staged.list();
    }

    @Override
    public List<PendingReaction> pendingReactions() {
      List<PendingReaction> out = new ArrayList<>();
      pendingReactions.values().forEach(m -> out.addAll(m.values()));
      return out;
    }

    @Override
    public Set<ResourceId> pending() {
      return Set.copyOf(pending);
    }
  }

  // ---------------------------------------------------------------- writes with undo

  private final class Writer extends Reader implements StoreWriter {
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private boolean done;

    private void check() {
      if (done) {
        throw new IllegalStateException("this unit of work has ended");
      }
    }

    @Override
    public void requireLease(long epoch) {
      check();
      long current = currentLeaseEpoch();
      if (current != epoch) {
        throw new LeaseLostException("the apply lease of epoch " + epoch + " is no longer this store's (now "
            + current + "): another apply took it, or it was released by force; nothing was written");
      }
    }

    @Override
    public void putApply(ApplyRecord record) {
      check();
      ApplyRecord old = applies.get(record.tag());
      applies.put(record.tag(), record);
      undo.push(() -> {
        if (old == null) {
          applies.remove(record.tag());
        } else {
          applies.put(record.tag(), old);
        }
      });
    }

    void rollback() {
      while (!undo.isEmpty()) {
        undo.pop().run();
      }
    }

    @Override
    public void putResource(Resource resource) {
      check();
      Resource old = resources.put(resource.id(), resource);
      unindex(old);
      index(resource);
      undo.push(() -> {
        unindex(resource);
        if (old == null) {
          resources.remove(resource.id());
        } else {
          resources.put(old.id(), old);
          index(old);
        }
      });
    }

    @Override
    public void deleteResource(ResourceId id) {
      check();
      Resource old = resources.remove(id);
      if (old != null) {
        unindex(old);
        undo.push(() -> {
          resources.put(old.id(), old);
          index(old);
        });
      }
    }

    @Override
    public void appendStaged(List<StagedEntry> entries) {
      check();
      long before = stagedPosition;
      long expect = stagedPosition;
      for (StagedEntry e : entries) {
        if (e.sequence() != ++expect) {
          throw new StoreException("staged entry " + e.sequence() + " does not continue the log at "
              + (expect - 1));
        }
      }
      for (StagedEntry e : entries) {
        staged.append(e);
        stagedPosition = e.sequence();
      }
      undo.push(() -> {
        staged.truncateAfter(before);
        stagedPosition = before;
      });
    }

    @Override
    public void removeStaged(Collection<Long> sequences) {
      check();
      if (sequences.isEmpty()) {
        return; // the commit of most actions in an apply voids nothing: no list, no undo step
      }
      List<StagedEntry> removed = new ArrayList<>(sequences.size());
      for (Long s : sequences) {
        StagedEntry e = staged.remove(s);
        if (e != null) {
          removed.add(e);
        }
      }
      undo.push(() -> removed.forEach(staged::restore));
    }

    @Override
    public void addPending(Collection<ResourceId> ids) {
      check();
      List<ResourceId> added = new ArrayList<>();
      for (ResourceId id : ids) {
        if (pending.add(id)) {
          added.add(id);
        }
      }
      undo.push(() -> added.forEach(pending::remove));
    }

    @Override
    public void addPendingReactions(Collection<PendingReaction> reactions) {
      check();
      List<PendingReaction> added = new ArrayList<>();
      for (PendingReaction r : reactions) {
        if (pendingReactions.computeIfAbsent(r.target(), k -> new TreeMap<>()).putIfAbsent(r.reaction(), r) == null) {
          added.add(r);
        }
      }
      undo.push(() -> added.forEach(r -> drop(r.target(), r.reaction())));
    }

    @Override
    public void removePendingReactions(ResourceId target, Collection<String> reactions) {
      check();
      TreeMap<String, PendingReaction> owed = pendingReactions.get(target);
      if (owed == null) {
        return;
      }
      List<PendingReaction> removed = new ArrayList<>();
      for (PendingReaction r : List.copyOf(owed.values())) {
        if (reactions.isEmpty() || reactions.contains(r.reaction())) {
          drop(target, r.reaction());
          removed.add(r);
        }
      }
      undo.push(() -> removed.forEach(r -> pendingReactions.computeIfAbsent(r.target(), k -> new TreeMap<>())
          .put(r.reaction(), r)));
    }

    private void drop(ResourceId target, String reaction) {
      TreeMap<String, PendingReaction> owed = pendingReactions.get(target);
      if (owed != null && owed.remove(reaction) != null && owed.isEmpty()) {
        pendingReactions.remove(target);
      }
    }

    @Override
    public void removePending(Collection<ResourceId> ids) {
      check();
      List<ResourceId> removed = new ArrayList<>();
      for (ResourceId id : ids) {
        if (pending.remove(id)) {
          removed.add(id);
        }
      }
      undo.push(() -> pending.addAll(removed));
    }

    @Override
    public Commit appendCommit(CommitDraft draft) {
      check();
      Commit c = commits.append(draft);
      undo.push(() -> commits.removeLast(c));
      return c;
    }
  }

  private void index(Resource r) {
    if (r == null) {
      return;
    }
    r.location().ifPresent(l -> residents.computeIfAbsent(l, k -> new TreeSet<>()).add(r.id()));
    for (Connection c : r.incoming()) {
      ResourceId e = c.emitter().resource();
      SortedSet<Connection> set = outgoing.get(e);
      if (set == null) {
        outgoing.put(e, ImmutableSortedSet.of(c));
      } else if (set instanceof TreeSet<Connection> wide) {
        wide.add(c);
      } else if (set.size() >= WIDE) {
        TreeSet<Connection> wide = new TreeSet<>(set);
        wide.add(c);
        outgoing.put(e, wide);
      } else {
        outgoing.put(e, plus(set, c));
      }
    }
    for (Event e : r.events()) {
      eventsFrom.computeIfAbsent(e.source(), k -> new TreeSet<>()).add(e);
    }
  }

  /**
   * {@code set} with {@code c} put in its place, or {@code set} itself if it has {@code c}: one pass
   * into one array, which is then in order already, where a builder would gather, grow and sort again
   * (an apply of a first deployment does this for every connection it commits), and which finds
   * {@code c} on the way rather than in a search of its own.
   */
  private static SortedSet<Connection> plus(SortedSet<Connection> set, Connection c) {
    Connection[] grown = new Connection[set.size() + 1];
    int i = 0;
    boolean placed = false;
    for (Connection other : set) {
      if (!placed) {
        int order = c.compareTo(other);
        if (order == 0) {
          return set;
        }
        if (order < 0) {
          grown[i++] = c;
          placed = true;
        }
      }
      grown[i++] = other;
    }
    if (!placed) {
      grown[i] = c;
    }
    return ImmutableSortedSet.copyOf(grown);
  }

  private void unindex(Resource r) {
    if (r == null) {
      return;
    }
    r.location().ifPresent(l -> {
      TreeSet<ResourceId> set = residents.get(l);
      if (set != null && set.remove(r.id()) && set.isEmpty()) {
        residents.remove(l);
      }
    });
    for (Connection c : r.incoming()) {
      ResourceId e = c.emitter().resource();
      SortedSet<Connection> set = outgoing.get(e);
      if (set == null || !set.contains(c)) {
        continue;
      }
      if (set.size() == 1) {
        outgoing.remove(e);
      } else if (set instanceof TreeSet<Connection> wide) {
        wide.remove(c);
      } else {
        ImmutableSortedSet.Builder<Connection> rest = ImmutableSortedSet.naturalOrder();
        for (Connection other : set) {
          if (!other.equals(c)) {
            rest.add(other);
          }
        }
        outgoing.put(e, rest.build());
      }
    }
    for (Event e : r.events()) {
      TreeSet<Event> set = eventsFrom.get(e.source());
      if (set != null) {
        set.remove(e);
        if (set.isEmpty()) {
          eventsFrom.remove(e.source());
        }
      }
    }
  }
}
