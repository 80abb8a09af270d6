package io.stagehand.store.jdbc;

import io.stagehand.core.spi.Backoff;
import io.stagehand.core.spi.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one transaction runner of a store, in the manner of Jdbi's {@code inTransaction}: opens a
 * reader's or a writer's transaction as the dialect does it, commits when the work returns, rolls
 * back when it throws, and hands the connection back with the auto-commit mode and isolation level
 * it came with, on every path.
 *
 * <p>A serialization failure or deadlock (SQLState 40001, 40P01) runs the whole work again, up to
 * {@value #MAX_ATTEMPTS} times, after the delays of {@link Backoff#STORE_RETRY}; that is allowed because every unit of work may run more than once
 * ({@link io.stagehand.core.spi.Store#write}). Nothing else is retried.
 */
final class Transactions {
  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
  private static final int MAX_ATTEMPTS = 3;

  /** SQL work that may throw SQLException. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /** An SQLException carried through core's callbacks to the transaction boundary. */
  static final class SqlFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlFailure(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  private final DataSource dataSource;
  private final SqlDialect dialect;
  private final Statements sql;
  /**
   * SQLite has one write lock per file, and a writer that finds it taken sleeps in SQLite's busy
   * handler (in steps of up to 100 ms); writers of this process queue here instead, and only writers
   * of other processes meet the busy handler.
   */
  private final ReentrantLock localWriters = new ReentrantLock(true);

  Transactions(DataSource dataSource, SqlDialect dialect, Statements sql) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.sql = sql;
  }

  /** A reader's transaction: one snapshot of every table until it ends. */
  <T> T read(String doing, SqlWork<T> work) {
    return run(doing, false, work);
  }

  /**
   * A writer's transaction, serialised with every other writer of this prefix (the dialect's writer
   * lock, taken by {@code work} or by the transaction's start).
   */
  <T> T write(String doing, SqlWork<T> work) {
    if (dialect != SqlDialect.SQLITE) {
      return run(doing, true, work);
    }
    localWriters.lock();
    try {
      return run(doing, true, work);
    } finally {
      localWriters.unlock();
    }
  }

  /**
   * Runs {@code work} in auto-commit mode, outside any transaction (for statements that cannot run in
   * one, such as PostgreSQL's VACUUM), and hands the connection back in the mode it came in.
   */
  <T> T outside(String doing, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(true);
      try {
        return work.run(c);
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(e, doing, sql);
    }
  }

  /** A connection outside any transaction of ours, for work that manages its own (a session lock). */
  Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  private <T> T run(String doing, boolean write, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        try {
          dialect.begin(c, write);
          try {
            T result = work.run(c);
            dialect.commit(c);
            return result;
          } catch (SQLException | RuntimeException | Error e) {
            rollbackQuietly(c);
            throw e;
          }
        } finally {
          dialect.end(c);
          if (c.getTransactionIsolation() != isolation) {
            c.setTransactionIsolation(isolation);
          }
          if (c.getAutoCommit() != autoCommit) {
            c.setAutoCommit(autoCommit);
          }
        }
      } catch (SQLException | SqlFailure e) {
        SQLException cause = e instanceof SqlFailure f ? f.getCause() : (SQLException) e;
        if (SqlErrors.isRetryable(cause) && attempt < MAX_ATTEMPTS && pause(attempt)) {
          LOG.debug("retrying {} after {}", doing, cause.getMessage());
          continue;
        }
        throw SqlErrors.translate(cause, doing, sql);
      }
    }
  }

  /**
   * Waits {@link Backoff#STORE_RETRY}'s delay before another attempt, so that two writers that
   * deadlocked do not meet again at once; false if interrupted (the interrupt is kept, no retry).
   */
  private static boolean pause(int attempt) {
    try {
      Thread.sleep(Backoff.STORE_RETRY.delay(attempt).toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void rollbackQuietly(Connection c) {
    try {
      dialect.rollback(c);
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it and the database rolls back
    }
  }
}
