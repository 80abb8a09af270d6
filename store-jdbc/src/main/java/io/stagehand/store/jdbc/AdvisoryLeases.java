package io.stagehand.store.jdbc;

import io.stagehand.core.spi.ApplyLease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * PostgreSQL's apply lease: a session advisory lock on a connection kept for the lease, which ends
 * with its holder's connection (so a killed holder frees it at once), plus a row naming the holder.
 */
final class AdvisoryLeases extends Leases {
  /** How long the row that names an advisory lease's holder claims to last: it is only a label. */
  private static final Duration LABEL = Duration.ofDays(365 * 100);

  private final long key;
  private final Statements statements;

  AdvisoryLeases(Transactions tx, Statements sql, Runnable onEnd) {
    super(tx, sql, onEnd);
    this.key = sql.leaseLockKey();
    this.statements = sql;
  }

  @Override
  boolean holds(long expiresAt, long now) {
    return true; // the row is there while the lock is held, and deleted when it is released
  }

  @Override
  Optional<ApplyLease> tryLease(String holder) {
    Connection c;
    try {
      c = tx.connection();
    } catch (SQLException e) {
      throw SqlErrors.translate(e, "taking the apply lease", statements);
    }
    String token = UUID.randomUUID().toString();
    try {
      c.setAutoCommit(true);
      boolean locked;
      try (PreparedStatement ps = c.prepareStatement(sql.tryAdvisoryLock())) {
        ps.setLong(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          locked = rs.getBoolean(1);
        }
      }
      if (!locked) {
        c.close();
        return Optional.empty();
      }
      writeLabel(holder, token);
    } catch (SQLException e) {
      release(c);
      throw SqlErrors.translate(e, "taking the apply lease", statements);
    } catch (RuntimeException | Error e) {
      // the lock (if taken) and its connection go back, or every later apply would be refused
      release(c);
      throw e;
    }
    return Optional.of(new ApplyLease() {
      private volatile boolean closed;

      @Override
      public String holder() {
        return holder;
      }

      @Override
      public boolean isValid() {
        try {
          return !closed && !c.isClosed();
        } catch (SQLException e) {
          return false;
        }
      }

      @Override
      public void close() {
        if (closed) {
          return;
        }
        closed = true;
        onEnd.run();
        deleteRow(token);
        release(c);
      }
    });
  }

  private void writeLabel(String holder, String token) {
    tx.write("recording the lease holder", w -> {
      try (PreparedStatement del = w.prepareStatement(sql.deleteLease())) {
        del.executeUpdate();
      }
      try (PreparedStatement ps = w.prepareStatement(sql.insertLease())) {
        ps.setString(1, holder);
        ps.setString(2, token);
        ps.setLong(3, LABEL.toMillis());
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** Unlocks and closes the lease's connection; closing alone would end the lock with the session. */
  private void release(Connection c) {
    try (PreparedStatement ps = c.prepareStatement(sql.advisoryUnlock())) {
      ps.setLong(1, key);
      ps.executeQuery().close();
    } catch (SQLException e) {
      LOG.warn("could not release the apply lease explicitly; it ends with its connection", e);
    } finally {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the session, and with it the lock, ends either way
      }
    }
  }

  @Override
  public void close() {
    // each lease holds its own connection and is closed by its holder; no thread to stop
  }
}
