package io.stagehand.store.jdbc;

import static io.stagehand.store.jdbc.UnitOfWork.NO_PARAMETERS;
import static io.stagehand.store.jdbc.UnitOfWork.bindNames;
import static io.stagehand.store.jdbc.UnitOfWork.chunks;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.CommitDraft;
import io.stagehand.core.spi.CommitLog;
import io.stagehand.store.jdbc.UnitOfWork.Binder;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commit log in one transaction: the {@code commits} table in the variant's layout, and the
 * {@code tags} table that orders applies. The commit counter and the tags' sizes are read at most
 * once and written once, when the unit of work flushes.
 */
final class CommitTable implements CommitLog {
  private final UnitOfWork uow;
  private final CommitStatements sql;
  private final CommitLogVariant variant;
  private Long commitCount;
  private boolean commitCountChanged;
  private final Map<Tag, Integer> tagGrowth = new LinkedHashMap<>();
  /** Per-resource log: the last version of each resource this unit of work has asked about. */
  private final Map<ResourceId, Long> lastVersion = new HashMap<>();

  CommitTable(UnitOfWork uow) {
    this.uow = uow;
    this.sql = uow.sql.commits;
    this.variant = uow.sql.variant();
  }

  @Override
  public CommitLogVariant variant() {
    return variant;
  }

  @Override
  public List<Tag> tags() {
    return uow.rows(sql.tags(), NO_PARAMETERS, rs -> Tag.of(rs.getString(1)));
  }

  @Override
  public List<Commit> ofTag(Tag tag) {
    return commitRows(sql.ofTag(), ps -> ps.setString(1, tag.name()));
  }

  @Override
  public List<Commit> ofResource(ResourceId id) {
    return commitRows(sql.ofResource(), ps -> ps.setString(1, id.name()));
  }

  @Override
  public List<Commit> page(long offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    return commitRows(sql.page(), ps -> {
      ps.setInt(1, limit);
      ps.setLong(2, offset);
    });
  }

  @Override
  public Optional<Commit> get(CommitPosition position) {
    List<Commit> found;
    if (position instanceof CommitPosition.Global g && variant == CommitLogVariant.GLOBAL) {
      found = commitRows(sql.getCommit(), ps -> ps.setLong(1, g.sequence()));
    } else if (position instanceof CommitPosition.PerResource r && variant == CommitLogVariant.PER_RESOURCE) {
      found = commitRows(sql.getCommit(), ps -> {
        ps.setString(1, r.resource().name());
        ps.setLong(2, r.version());
      });
    } else {
      found = List.of();
    }
    return found.stream().findFirst();
  }

  @Override
  public long size() {
    return commitCount();
  }

  private long commitCount() {
    if (commitCount == null) {
      commitCount = uow.meta("commit_count");
    }
    return commitCount;
  }

  private List<Commit> commitRows(String statement, Binder binder) {
    return uow.rows(statement, binder, rs -> {
      long pos = rs.getLong(1);
      ResourceId resource = ResourceId.of(rs.getString(4));
      CommitPosition position = variant == CommitLogVariant.GLOBAL
          ? CommitPosition.global(pos) : CommitPosition.of(resource, pos);
      return uow.json.readCommit(rs.getString(5), Tag.of(rs.getString(2)), rs.getInt(3), position);
    });
  }

  // ---------------------------------------------------------------- writes

  List<Commit> append(List<CommitDraft> drafts) {
    if (variant == CommitLogVariant.PER_RESOURCE) {
      readLastVersions(drafts.stream().map(CommitDraft::resource).toList());
    }
    List<Commit> out = new ArrayList<>(drafts.size());
    for (CommitDraft draft : drafts) {
      long count = commitCount();
      long pos = variant == CommitLogVariant.GLOBAL ? count + 1 : lastVersion.merge(draft.resource(), 1L, Long::sum);
      uow.buffer.add(sql.insertCommit(), draft.resource().name() + "@" + pos, pos, draft.tag().name(), draft.index(),
          draft.resource().name(), uow.json.write(draft));
      tagGrowth.merge(draft.tag(), 1, Integer::sum);
      commitCount = count + 1;
      commitCountChanged = true;
      out.add(Commit.of(draft, variant == CommitLogVariant.GLOBAL
          ? CommitPosition.global(pos) : CommitPosition.of(draft.resource(), pos)));
    }
    return out;
  }

  /** Where a commit sits, as re-sealing pages through the log. */
  private record Key(long position, String resource) {}

  /**
   * Rewrites every commit whose body holds a value sealed under another key than the codec's
   * current one or a sensitive value in clear; returns how many.
   */
  int reseal() {
    return uow.reseal(sql.resealPage(), new Key(0, ""), (ps, from) -> {
      int i = 1;
      if (variant == CommitLogVariant.GLOBAL) {
        ps.setLong(i++, from.position());
      } else {
        ps.setString(i++, from.resource());
        ps.setString(i++, from.resource());
        ps.setLong(i++, from.position());
      }
      return i;
    }, rs -> new UnitOfWork.KeyedBody<>(new Key(rs.getLong(1), rs.getString(2)), rs.getString(3)),
        uow.json::resealCommit, (key, body) -> {
          String bufferKey = key.resource() + "@" + key.position();
          if (variant == CommitLogVariant.GLOBAL) {
            uow.buffer.add(sql.updateBody(), bufferKey, body, key.position());
          } else {
            uow.buffer.add(sql.updateBody(), bufferKey, body, key.resource(), key.position());
          }
        });
  }


  /** Fills {@link #lastVersion} for {@code ids}, one query per {@value UnitOfWork#IN_LIST} unknown ones. */
  private void readLastVersions(List<ResourceId> ids) {
    List<ResourceId> unknown = ids.stream().distinct().filter(id -> !lastVersion.containsKey(id)).toList();
    for (List<ResourceId> chunk : chunks(unknown)) {
      chunk.forEach(id -> lastVersion.put(id, 0L));
      uow.rows(sql.lastVersions(chunk.size()), bindNames(chunk),
          rs -> lastVersion.put(ResourceId.of(rs.getString(1)), rs.getLong(2)));
    }
  }

  /** Writes the tags' growth and the commit counter; part of the unit of work's flush. */
  void flushCounters() throws SQLException {
    for (Map.Entry<Tag, Integer> grown : tagGrowth.entrySet()) {
      recordTag(grown.getKey(), grown.getValue());
    }
    tagGrowth.clear();
    if (commitCountChanged) {
      uow.setMeta("commit_count", commitCount);
      commitCountChanged = false;
    }
  }

  private void recordTag(Tag tag, int added) throws SQLException {
    if (uow.update(sql.growTag(), ps -> {
      ps.setInt(1, added);
      ps.setString(2, tag.name());
    }) == 1) {
      return;
    }
    long ordinal = uow.scalar(sql.maxTagOrdinal()) + 1;
    uow.update(sql.insertTag(), ps -> {
      ps.setString(1, tag.name());
      ps.setLong(2, ordinal);
      ps.setInt(3, added);
    });
  }
}
