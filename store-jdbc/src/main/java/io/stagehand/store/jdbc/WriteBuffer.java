package io.stagehand.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
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
  /** A statement that writes the rows of {@code table} named by one key. */
  record RowStatement(String table, String sql) {}

  private static final class Batch {
    final RowStatement statement;
    final Set<String> keys = new HashSet<>();
    final List<Object[]> rows = new ArrayList<>();

    Batch(RowStatement statement) {
      this.statement = statement;
    }
  }

  private final List<Batch> batches = new ArrayList<>();

  /**
   * Queues one execution of {@code statement} with {@code values} (String, Long, Integer, Boolean or
   * null), writing the rows named by {@code key} only.
   */
  void add(RowStatement statement, String key, Object... values) {
    add(statement, List.of(key), values);
  }

  /** Queues one execution of {@code statement} that writes the rows named by {@code keys}. */
  void add(RowStatement statement, List<String> keys, Object... values) {
    Batch target = null;
    for (int i = batches.size() - 1; i >= 0 && target == null; i--) {
      Batch b = batches.get(i);
      if (b.statement.sql().equals(statement.sql())) {
        target = b;
      } else if (b.statement.table().equals(statement.table()) && touches(b, keys)) {
        break; // an earlier write of one of these rows must stay before this one
      }
    }
    if (target == null) {
      target = new Batch(statement);
      batches.add(target);
    }
    target.keys.addAll(keys);
    target.rows.add(values);
  }

  private static boolean touches(Batch b, List<String> keys) {
    for (String key : keys) {
      if (b.keys.contains(key)) {
        return true;
      }
    }
    return false;
  }

  /** Sends every queued write, in order, one batch per statement. */
  void flush(Connection c) throws SQLException {
    try {
      for (Batch b : batches) {
        send(c, b);
      }
    } finally {
      batches.clear();
    }
  }

  private static void send(Connection c, Batch b) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(b.statement.sql())) {
      for (Object[] row : b.rows) {
        for (int i = 0; i < row.length; i++) {
          bind(ps, i + 1, row[i]);
        }
        if (b.rows.size() > 1) {
          ps.addBatch();
        }
      }
      if (b.rows.size() > 1) {
        ps.executeBatch();
      } else {
        ps.executeUpdate();
      }
    }
  }

  private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else if (value instanceof String s) {
      ps.setString(index, s);
    } else if (value instanceof Long l) {
      ps.setLong(index, l);
    } else if (value instanceof Integer n) {
      ps.setInt(index, n);
    } else if (value instanceof Boolean flag) {
      ps.setBoolean(index, flag);
    } else {
      throw new IllegalArgumentException("cannot bind a " + value.getClass().getName());
    }
  }
}
