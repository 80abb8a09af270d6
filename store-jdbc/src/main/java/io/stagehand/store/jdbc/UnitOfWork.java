package io.stagehand.store.jdbc;

import io.stagehand.core.LeaseLostException;
import io.stagehand.core.StoreException;
import io.stagehand.core.history.ApplyRecord;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.CommitDraft;
import io.stagehand.core.spi.CommitLog;
import io.stagehand.core.spi.PendingReaction;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.StagedLog;
import io.stagehand.core.spi.StateStore;
import io.stagehand.core.spi.StoreWriter;
import io.stagehand.store.jdbc.Transactions.SqlFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One transaction's view of the store, for a read or a unit of work: the tables by concern
 * ({@link ResourceTable}, {@link StagedTable}, {@link CommitTable}) over one connection, with the
 * writes that need no answer held back in a {@link WriteBuffer} and sent before every read and
 * before the commit.
 */
final class UnitOfWork implements StoreWriter {
  /** How many ids one {@code IN (...)} list binds at most. */
  static final int IN_LIST = 500;

  /** Binds a prepared statement's parameters. */
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Turns the current row into a value. */
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  static final Binder NO_PARAMETERS = ps -> { };

  /** Binds the key a page starts after; returns the index of the next parameter. */
  interface KeyBinder<K> {
    int bind(PreparedStatement ps, K after) throws SQLException;
  }

  /** A row of a re-sealing scan: its key and its stored JSON. */
  record KeyedBody<K>(K key, String body) {}

  /**
   * Re-seals one table: reads the rows that may hold a sensitive value ({@code query} pages them by
   * key after {@code first}, then takes the LIKE pattern and the page size), re-seals each body with
   * {@code reseal}, and writes the ones that changed through {@code update}; returns how many.
   */
  <K> int reseal(String query, K first, KeyBinder<K> after, RowMapper<KeyedBody<K>> row,
      java.util.function.Function<String, java.util.Optional<String>> reseal,
      java.util.function.BiConsumer<K, String> update) {
    int rewritten = 0;
    K last = first;
    while (true) {
      K from = last;
      List<KeyedBody<K>> page = rows(query, ps -> {
        int i = after.bind(ps, from);
        ps.setString(i, TableStatements.MAY_HOLD_SENSITIVE);
        ps.setInt(i + 1, TableStatements.RESEAL_PAGE);
      }, row);
      for (KeyedBody<K> r : page) {
        java.util.Optional<String> resealed = reseal.apply(r.body());
        if (resealed.isPresent()) {
          update.accept(r.key(), resealed.get());
          rewritten++;
        }
      }
      if (page.size() < TableStatements.RESEAL_PAGE) {
        return rewritten;
      }
      last = page.get(page.size() - 1).key();
    }
  }

  private final Connection c;
  final Statements sql;
  /** The stored JSON, with the store's {@link SecretCodec} if it has one. */
  final JsonCodec json;
  final WriteBuffer buffer = new WriteBuffer();
  final ResourceTable resources;
  final StagedTable staged;
  final CommitTable commits;
  /** The change counter as this unit of work found it, read once. */
  private Long changeCount;

  UnitOfWork(Connection c, Statements sql, JsonCodec json, StagedTable.DecodedEntries decoded) {
    this.c = c;
    this.sql = sql;
    this.json = json;
    this.resources = new ResourceTable(this);
    this.staged = new StagedTable(this, decoded);
    this.commits = new CommitTable(this);
  }

  /** Every row of one query, mapped: the one place where reads meet JDBC. */
  <T> List<T> rows(String statement, Binder binder, RowMapper<T> mapper) {
    try {
      flush();
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      binder.bind(ps);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  /** Runs one statement now (not through the buffer) and returns how many rows it changed. */
  int update(String statement, Binder binder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      binder.bind(ps);
      return ps.executeUpdate();
    }
  }

  /** One number read now, without sending held-back writes first (for the flush itself). */
  long scalar(String statement) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Sends every held-back write: before each read, and before the transaction commits. */
  void flush() throws SQLException {
    commits.flushCounters();
    buffer.flush(c);
  }

  long meta(String name) {
    return rows(sql.schema.readMeta(), ps -> ps.setString(1, name), rs -> rs.getLong(1)).stream().findFirst()
        .orElseThrow(() -> new StoreException("the row " + name + " is missing from " + sql.schema.meta()
            + ": the schema is damaged"));
  }

  void setMeta(String name, long value) {
    buffer.add(sql.schema.writeMeta(), name, value, name);
  }

  /** Counts this unit of work as a change: kept replays are checked against this number. */
  void countChange() {
    buffer.add(sql.schema.bumpChangeCount(), "change_count");
  }

  static <T> List<List<T>> chunks(List<T> all) {
    List<List<T>> out = new ArrayList<>();
    for (int from = 0; from < all.size(); from += IN_LIST) {
      out.add(all.subList(from, Math.min(all.size(), from + IN_LIST)));
    }
    return out;
  }

  static Binder bindNames(List<ResourceId> ids) {
    return ps -> {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i).name());
      }
    };
  }

  static Optional<String> nonEmpty(String s) {
    return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  // ---------------------------------------------------------------- StoreWriter

  @Override
  public OptionalLong changeCount() {
    if (changeCount == null) {
      changeCount = meta("change_count");
    }
    return OptionalLong.of(changeCount);
  }

  @Override
  public void requireLease(long epoch) {
    long current = meta("lease_epoch");
    if (current != epoch) {
      throw new LeaseLostException("the apply lease of epoch " + epoch + " is no longer this store's (now " + current
          + "): another apply took it, or it was released by force; nothing was written");
    }
  }

  @Override
  public StateStore state() {
    return resources;
  }

  @Override
  public StagedLog staged() {
    return staged;
  }

  @Override
  public CommitLog commits() {
    return commits;
  }

  @Override
  public void putResource(Resource resource) {
    resources.put(resource);
  }

  @Override
  public void deleteResource(ResourceId id) {
    resources.delete(id);
  }

  @Override
  public void appendStaged(List<StagedEntry> entries) {
    staged.append(entries);
  }

  @Override
  public void removeStaged(Collection<Long> sequences) {
    staged.remove(sequences);
  }

  @Override
  public void consumeStaged(ResourceId owner, long upTo, Collection<Long> sequences) {
    staged.consume(owner, upTo);
  }

  @Override
  public void addPendingReactions(Collection<io.stagehand.core.spi.PendingReaction> reactions) {
    staged.addPendingReactions(reactions);
  }

  @Override
  public void removePendingReactions(ResourceId target, Collection<String> reactions) {
    staged.removePendingReactions(target, reactions);
  }

  @Override
  public void addPending(Collection<ResourceId> ids) {
    staged.addPending(ids);
  }

  @Override
  public void removePending(Collection<ResourceId> ids) {
    staged.removePending(ids);
  }

  @Override
  public List<ApplyRecord> applies() {
    return rows(sql.schema.readApplies(), NO_PARAMETERS, rs -> json.readApplyRecord(rs.getString(1)));
  }

  @Override
  public Optional<ApplyRecord> applyRecord(Tag tag) {
    return rows(sql.schema.readApply(), ps -> ps.setString(1, tag.name()), rs -> json.readApplyRecord(rs.getString(1)))
        .stream().findFirst();
  }

  @Override
  public List<ApplyRecord> openApplies() {
    return rows(sql.schema.readOpenApplies(), NO_PARAMETERS, rs -> json.readApplyRecord(rs.getString(1)));
  }

  @Override
  public void putApply(ApplyRecord record) {
    String body = json.write(record);
    String tag = record.tag().name();
    int open = record.isOpen() ? 1 : 0;
    try {
      flush();
      if (update(sql.schema.updateApply(), ps -> {
        ps.setInt(1, open);
        ps.setString(2, body);
        ps.setString(3, tag);
      }) == 0) {
        update(sql.schema.insertApply(), ps -> {
          ps.setString(1, tag);
          ps.setInt(2, open);
          ps.setString(3, body);
        });
      }
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
    countChange();
  }

  @Override
  public Commit appendCommit(CommitDraft draft) {
    return commits.append(List.of(draft)).get(0);
  }

  @Override
  public List<Commit> appendCommits(List<CommitDraft> drafts) {
    return commits.append(drafts);
  }
}
