package io.stagehand.store.api;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.LeaseLostException;
import io.stagehand.core.StoreException;
import io.stagehand.core.apply.LeaseInfo;
import io.stagehand.core.history.ApplyRecord;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The simplest store that could pass the kit, for the kit's own tests (as micrometer-test checks
 * itself on a simple registry): one immutable snapshot of everything, every unit of work on a copy
 * swapped in when it returns, every question answered by a scan. Slow by design and short enough to
 * read; it shares no code with the real stores, so a kit test that only passes on them is a kit bug.
 */
final class ReferenceStore implements Store {
  /** Everything the store holds; never changed once published. */
  private record Data(TreeMap<ResourceId, Resource> resources, long position, TreeMap<Long, StagedEntry> staged,
      Set<ResourceId> pending, List<PendingReaction> reactions, List<Commit> commits, List<ApplyRecord> applies) {
    Data copy() {
      return new Data(new TreeMap<>(resources), position, new TreeMap<>(staged), new LinkedHashSet<>(pending),
          new ArrayList<>(reactions), new ArrayList<>(commits), new ArrayList<>(applies));
    }
  }

  private final CommitLogVariant variant;
  private volatile Data data = new Data(new TreeMap<>(), 0, new TreeMap<>(), new LinkedHashSet<>(), new ArrayList<>(),
      new ArrayList<>(), new ArrayList<>());
  private long epoch;
  private Lease lease;

  ReferenceStore(CommitLogVariant variant) {
    this.variant = variant;
  }

  @Override
  public CommitLogVariant commitLogVariant() {
    return variant;
  }

  @Override
  public <T> T read(Function<? super StoreReader, ? extends T> work) {
    return work.apply(new View(data));
  }

  @Override
  public synchronized <T> T write(Function<? super StoreWriter, ? extends T> work) {
    Writer w = new Writer(data.copy());
    try {
      T result = work.apply(w);
      data = w.d;
      return result;
    } finally {
      w.ended = true;
    }
  }

  @Override
  public synchronized Optional<ApplyLease> tryLease(String holder) {
    if (lease != null && lease.isValid()) {
      return Optional.empty();
    }
    lease = new Lease(holder, ++epoch);
    return Optional.of(lease);
  }

  @Override
  public synchronized void forceReleaseLease() {
    if (lease != null) {
      lease.closed = true;
      lease = null;
    }
    epoch++;
  }

  @Override
  public synchronized Optional<LeaseInfo> leaseHolder() {
    return lease != null && lease.isValid()
        ? Optional.of(new LeaseInfo(lease.holder, lease.since, Optional.empty())) : Optional.empty();
  }

  private synchronized long epoch() {
    return epoch;
  }

  private final class Lease implements ApplyLease {
    final String holder;
    final long leaseEpoch;
    final java.time.Instant since = java.time.Instant.now();
    volatile boolean closed;

    Lease(String holder, long leaseEpoch) {
      this.holder = holder;
      this.leaseEpoch = leaseEpoch;
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
    public long epoch() {
      return leaseEpoch;
    }

    @Override
    public void close() {
      synchronized (ReferenceStore.this) {
        closed = true;
        if (lease == this) {
          lease = null;
        }
      }
    }
  }

  /** Reads of one snapshot, all by scanning. */
  private class View implements StoreReader, StateStore, StagedLog, CommitLog {
    Data d;

    View(Data d) {
      this.d = d;
    }

    @Override
    public StateStore state() {
      return this;
    }

    @Override
    public StagedLog staged() {
      return this;
    }

    @Override
    public CommitLog commits() {
      return this;
    }

    @Override
    public List<ApplyRecord> applies() {
      return List.copyOf(d.applies);
    }

    @Override
    public Optional<ApplyRecord> applyRecord(Tag tag) {
      return d.applies.stream().filter(r -> r.tag().equals(tag)).findFirst();
    }

    @Override
    public List<ApplyRecord> openApplies() {
      return d.applies.stream().filter(ApplyRecord::isOpen).toList();
    }

    @Override
    public Optional<Resource> get(ResourceId id) {
      return Optional.ofNullable(d.resources.get(id));
    }

    @Override
    public SortedSet<Connection> outgoing(ResourceId emitter) {
      TreeSet<Connection> out = new TreeSet<>();
      d.resources.values().forEach(r -> r.incoming().stream()
          .filter(c -> c.emitter().resource().equals(emitter)).forEach(out::add));
      return out;
    }

    @Override
    public SortedSet<Event> eventsFrom(ResourceId source) {
      TreeSet<Event> out = new TreeSet<>();
      d.resources.values().forEach(r -> r.events().stream().filter(e -> e.source().equals(source)).forEach(out::add));
      return out;
    }

    @Override
    public List<Resource> all() {
      return List.copyOf(d.resources.values());
    }

    @Override
    public long count() {
      return d.resources.size();
    }

    @Override
    public long position() {
      return d.position;
    }

    @Override
    public List<StagedEntry> entries() {
      return List.copyOf(d.staged.values());
    }

    @Override
    public Set<ResourceId> pending() {
      return Set.copyOf(d.pending);
    }

    @Override
    public List<PendingReaction> pendingReactions() {
      List<PendingReaction> out = new ArrayList<>(d.reactions);
      out.sort(Comparator.comparing(PendingReaction::target).thenComparing(PendingReaction::reaction));
      return out;
    }

    @Override
    public CommitLogVariant variant() {
      return variant;
    }

    @Override
    public List<Tag> tags() {
      List<Tag> out = new ArrayList<>();
      d.commits.forEach(c -> {
        if (!out.contains(c.tag())) {
          out.add(c.tag());
        }
      });
      return out;
    }

    @Override
    public List<Commit> ofTag(Tag tag) {
      return d.commits.stream().filter(c -> c.tag().equals(tag)).sorted(Comparator.comparingInt(Commit::index))
          .toList();
    }

    @Override
    public List<Commit> ofResource(ResourceId id) {
      return d.commits.stream().filter(c -> c.resource().equals(id)).toList();
    }

    @Override
    public List<Commit> page(long offset, int limit) {
      if (offset < 0 || limit < 0) {
        throw new IllegalArgumentException("offset and limit must not be negative");
      }
      List<Commit> inOrder = new ArrayList<>();
      tags().forEach(t -> inOrder.addAll(ofTag(t)));
      return List.copyOf(inOrder.subList((int) Math.min(offset, inOrder.size()),
          (int) Math.min(offset + limit, inOrder.size())));
    }

    @Override
    public Optional<Commit> get(CommitPosition position) {
      return d.commits.stream().filter(c -> c.position().equals(position)).findFirst();
    }

    @Override
    public long size() {
      return d.commits.size();
    }
  }

  /** Writes on a copy; the store publishes it when the unit of work returns. */
  private final class Writer extends View implements StoreWriter {
    boolean ended;

    Writer(Data d) {
      super(d);
    }

    private void check() {
      if (ended) {
        throw new IllegalStateException("this unit of work has ended");
      }
    }

    @Override
    public void requireLease(long leaseEpoch) {
      check();
      long now = epoch();
      if (now != leaseEpoch) {
        throw new LeaseLostException("the apply lease of epoch " + leaseEpoch + " is no longer this store's (now "
            + now + "); nothing was written");
      }
    }

    @Override
    public void putApply(ApplyRecord record) {
      check();
      for (int i = 0; i < d.applies.size(); i++) {
        if (d.applies.get(i).tag().equals(record.tag())) {
          d.applies.set(i, record);
          return;
        }
      }
      d.applies.add(record);
    }

    @Override
    public void putResource(Resource resource) {
      check();
      d.resources.put(resource.id(), resource);
    }

    @Override
    public void deleteResource(ResourceId id) {
      check();
      d.resources.remove(id);
    }

    @Override
    public void appendStaged(List<StagedEntry> entries) {
      check();
      long expect = d.position;
      for (StagedEntry e : entries) {
        if (e.sequence() != ++expect) {
          throw new StoreException("staged entry " + e.sequence() + " does not continue the log at " + (expect - 1));
        }
      }
      entries.forEach(e -> d.staged.put(e.sequence(), e));
      d = new Data(d.resources, expect, d.staged, d.pending, d.reactions, d.commits, d.applies);
    }

    @Override
    public void removeStaged(Collection<Long> sequences) {
      check();
      sequences.forEach(d.staged::remove);
    }

    @Override
    public void addPending(Collection<ResourceId> ids) {
      check();
      d.pending.addAll(ids);
    }

    @Override
    public void removePending(Collection<ResourceId> ids) {
      check();
      d.pending.removeAll(ids);
    }

    @Override
    public void addPendingReactions(Collection<PendingReaction> reactions) {
      check();
      for (PendingReaction r : reactions) {
        boolean owed = d.reactions.stream().anyMatch(o -> o.target().equals(r.target()) && o.reaction().equals(r.reaction()));
        if (!owed) {
          d.reactions.add(r);
        }
      }
    }

    @Override
    public void removePendingReactions(ResourceId target, Collection<String> reactions) {
      check();
      d.reactions.removeIf(r -> r.target().equals(target) && (reactions.isEmpty() || reactions.contains(r.reaction())));
    }

    @Override
    public Commit appendCommit(CommitDraft draft) {
      check();
      CommitPosition at = variant == CommitLogVariant.GLOBAL
          ? CommitPosition.global(d.commits.size() + 1L)
          : CommitPosition.of(draft.resource(), ofResource(draft.resource()).size() + 1L);
      Commit c = Commit.of(draft, at);
      d.commits.add(c);
      return c;
    }
  }
}
