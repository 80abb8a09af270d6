package io.stagehand.store.jdbc;

import static io.stagehand.store.jdbc.UnitOfWork.NO_PARAMETERS;
import static io.stagehand.store.jdbc.UnitOfWork.nonEmpty;

import io.stagehand.core.StoreException;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.PendingReaction;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.StagedLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The staged log in one transaction: the {@code staged} entries less those a consumed mark covers,
 * the marks themselves, and the pending resources.
 */
final class StagedTable implements StagedLog {
  /**
   * The staged entries the last read of the log decoded, by sequence, shared by a store's
   * transactions. Staging, planning and applying each read the whole log, and decoding its JSON was
   * about a third of an apply's plan; an entry is decoded again only if its row's text differs from
   * the one it was decoded from. Dropped when an apply lease ends, as the apply consumed most of it.
   */
  static final class DecodedEntries {
    private volatile Map<Long, Decoded> bySequence = Map.of();

    void clear() {
      bySequence = Map.of();
    }
  }

  private record Decoded(String edit, String revertOf, StagedEntry entry) {}

  private final UnitOfWork uow;
  private final StagedStatements sql;
  private final DecodedEntries decoded;

  StagedTable(UnitOfWork uow, DecodedEntries decoded) {
    this.uow = uow;
    this.sql = uow.sql.staged;
    this.decoded = decoded;
  }

  @Override
  public long position() {
    return uow.meta("staged_position");
  }

  @Override
  public List<StagedEntry> entries() {
    Map<Long, Decoded> known = decoded.bySequence;
    Map<Long, Decoded> seen = new HashMap<>();
    List<StagedEntry> out = uow.rows(sql.stagedEntries(), NO_PARAMETERS, rs -> {
      long seq = rs.getLong(1);
      String edit = rs.getString(2);
      String revertOf = rs.getString(3);
      Decoded d = known.get(seq);
      if (d == null || !d.edit().equals(edit) || !Objects.equals(d.revertOf(), revertOf)) {
        d = new Decoded(edit, revertOf, new StagedEntry(seq, uow.json.readEdit(edit),
            nonEmpty(revertOf).map(Tag::of)));
      }
      seen.put(seq, d);
      return d.entry();
    });
    decoded.bySequence = seen; // only what is staged now, so the cache never outgrows the log
    uow.resources.readAhead(out.stream().map(StagedEntry::owner).toList());
    return out;
  }

  @Override
  public Set<ResourceId> pending() {
    Set<ResourceId> ids = new LinkedHashSet<>(
        uow.rows(sql.pending(), NO_PARAMETERS, rs -> ResourceId.of(rs.getString(1))));
    uow.resources.readAhead(ids);
    return ids;
  }

  // ---------------------------------------------------------------- writes

  void append(List<StagedEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    long position = position();
    long expect = position;
    for (StagedEntry e : entries) {
      if (e.sequence() != ++expect) {
        throw new StoreException("staged entry " + e.sequence() + " does not continue the log at " + (expect - 1));
      }
    }
    for (StagedEntry e : entries) {
      uow.buffer.add(sql.insertStaged(), Long.toString(e.sequence()), e.sequence(), e.owner().name(),
          uow.json.write(e.edit()), e.revertOf().map(Tag::name).orElse(null));
    }
    uow.setMeta("staged_position", expect);
  }

  void remove(Collection<Long> sequences) {
    // a resource's entries often follow each other in the log: one statement per run of them
    long[] seqs = sequences.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
    for (int from = 0, to; from < seqs.length; from = to) {
      to = from + 1;
      while (to < seqs.length && seqs[to] == seqs[to - 1] + 1) {
        to++;
      }
      if (to - from == 1) {
        uow.buffer.add(sql.deleteStaged(), Long.toString(seqs[from]), seqs[from]);
      } else {
        List<String> keys = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          keys.add(Long.toString(seqs[i]));
        }
        uow.buffer.add(sql.deleteStagedRange(), keys, seqs[from], seqs[to - 1]);
      }
    }
  }

  /**
   * One small row instead of deleting the entries one action at a time: each delete rewrites pages
   * of large edit bodies, all over the log; {@link #deleteConsumed} deletes them in one statement.
   */
  void consume(ResourceId owner, long upTo) {
    uow.buffer.add(sql.markConsumed(), owner.name(), owner.name(), upTo);
  }

  void addPending(Collection<ResourceId> ids) {
    for (ResourceId id : new LinkedHashSet<>(ids)) {
      String key = id.name();
      uow.buffer.add(sql.insertPendingIfAbsent(), key, key, key);
    }
  }

  @Override
  public List<PendingReaction> pendingReactions() {
    return uow.rows(sql.pendingReactions(), NO_PARAMETERS,
        rs -> new PendingReaction(ResourceId.of(rs.getString(1)), rs.getString(2), rs.getString(3)));
  }

  void addPendingReactions(Collection<PendingReaction> reactions) {
    for (PendingReaction r : reactions) {
      String target = r.target().name();
      uow.buffer.add(sql.insertPendingReactionIfAbsent(), target, target, r.reaction(), r.reason(), target,
          r.reaction());
    }
  }

  void removePendingReactions(ResourceId target, Collection<String> reactions) {
    String key = target.name();
    if (reactions.isEmpty()) {
      uow.buffer.add(sql.deletePendingReactions(), key, key);
    }
    for (String reaction : reactions) {
      uow.buffer.add(sql.deletePendingReaction(), key, key, reaction);
    }
  }

  void removePending(Collection<ResourceId> ids) {
    for (ResourceId id : ids) {
      String key = id.name();
      uow.buffer.add(sql.deletePending(), key, key);
    }
  }

  /**
   * Rewrites every staged row, consumed ones included, that holds a value sealed under another key
   * than the codec's current one or a sensitive value in clear; returns how many.
   */
  int reseal() {
    return uow.reseal(sql.resealPage(), 0L, (ps, after) -> {
      ps.setLong(1, after);
      return 2;
    }, rs -> new UnitOfWork.KeyedBody<>(rs.getLong(1), rs.getString(2)), uow.json::resealEdit,
        (seq, body) -> uow.buffer.add(sql.updateStaged(), Long.toString(seq), body, seq));
  }


  /** Deletes the entries that consumed marks cover, then the marks; returns how many entries went. */
  int deleteConsumed() throws java.sql.SQLException {
    uow.flush();
    int entries = uow.update(sql.deleteConsumedEntries(), NO_PARAMETERS);
    uow.update(sql.deleteConsumedMarks(), NO_PARAMETERS);
    return entries;
  }
}
