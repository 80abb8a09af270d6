package io.stagehand.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The writes of one unit of work that need no answer, held back and sent as JDBC batches: one round
 * trip per statement instead of one per row, which is most of the cost of a group of commits.
 *
 * <p>A write joins the latest batch of the same statement unless a batch after that one touches the
 * same row (same table and key), so two writes of one row keep their order; writes of different rows
 * or tables commute, as the schema has no triggers or foreign keys. The owner flushes before every
 * read, so that reads see the unit's own writes, and before the transaction commits.
 */
final class WriteBuffer {
  /** Binds a prepared statement's parameters. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private static final class Batch {
    final String statement;
    final String table;
    final Set<String> keys = new HashSet<>();
    final List<Binder> rows = new ArrayList<>();

    Batch(String statement, String table) {
      this.statement = statement;
      this.table = table;
    }
  }

  private final List<Batch> batches = new ArrayList<>();

  /**
   * Queues one execution of {@code statement}, which writes the rows of {@code table} named by
   * {@code key} only; {@code binder} must capture its values now.
   */
  void add(String statement, String table, String key, Binder binder) {
    Batch target = null;
    for (int i = batches.size() - 1; i >= 0; i--) {
      Batch b = batches.get(i);
      if (b.statement.equals(statement)) {
        target = b;
        break;
      }
      if (b.table.equals(table) && b.keys.contains(key)) {
        break; // an earlier write of this row must stay before this one
      }
    }
    if (target == null) {
      target = new Batch(statement, table);
      batches.add(target);
    }
    target.keys.add(key);
    target.rows.add(binder);
  }

  boolean isEmpty() {
    return batches.isEmpty();
  }

  /** Sends every queued write, in order, one batch per statement. */
  void flush(Connection c) throws SQLException {
    try {
      for (Batch b : batches) {
        try (PreparedStatement ps = c.prepareStatement(b.statement)) {
          if (b.rows.size() == 1) {
            b.rows.get(0).bind(ps);
            ps.executeUpdate();
            continue;
          }
          for (Binder row : b.rows) {
            row.bind(ps);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
    } finally {
      batches.clear();
    }
  }
}
