package io.stagehand.store.jdbc;

import io.stagehand.core.spi.ApplyLease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * PostgreSQL's apply lease: a session advisory lock on a connection kept for the lease, which ends
 * with its holder's connection (so a killed holder frees it at once), plus a row naming the holder.
 */
final class AdvisoryLeases extends Leases {
  /** How often a lease's holder asks whether the session that holds the lock is still there. */
  static final long SESSION_CHECK_MILLIS = 200;

  /** How long the row that names an advisory lease's holder claims to last: it is only a label. */
  private static final Duration LABEL = Duration.ofDays(365 * 100);

  private final long key;
  /** The leases held through this object, released when the store closes. */
  private final Set<ApplyLease> live = new HashSet<>();

  AdvisoryLeases(Transactions tx, Statements sql, Runnable onEnd) {
    super(tx, sql, onEnd);
    this.key = sql.leaseLockKey();
  }

  @Override
  Optional<java.time.Instant> expiry(long expiresAt) {
    return Optional.empty(); // a session lock ends with its session, not at a time
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
    long epoch;
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
      long pid;
      try (PreparedStatement ps = c.prepareStatement(sql.backendPid()); ResultSet rs = ps.executeQuery()) {
        rs.next();
        pid = rs.getLong(1);
      }
      epoch = writeLabel(holder, token, pid);
    } catch (SQLException e) {
      release(c);
      throw SqlErrors.translate(e, "taking the apply lease", statements);
    } catch (RuntimeException | Error e) {
      // the lock (if taken) and its connection go back, or every later apply would be refused
      release(c);
      throw e;
    }
    long fence = epoch;
    ApplyLease lease = new ApplyLease() {
      private volatile boolean closed;
      private boolean sessionAlive = true;
      private long checked = System.nanoTime();

      @Override
      public long epoch() {
        return fence;
      }

      @Override
      public String holder() {
        return holder;
      }

      /**
       * False once closed, or once the session that holds the lock is gone (an idle timeout, a
       * terminated backend, a proxy): the lock went with it. The session is asked at most every
       * {@value AdvisoryLeases#SESSION_CHECK_MILLIS} ms, and once lost stays lost.
       */
      @Override
      public synchronized boolean isValid() {
        if (closed || !sessionAlive) {
          return false;
        }
        long now = System.nanoTime();
        if (now - checked >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(SESSION_CHECK_MILLIS)) {
          checked = now;
          try {
            sessionAlive = c.isValid(5);
          } catch (SQLException e) {
            sessionAlive = false;
          }
          if (!sessionAlive) {
            LOG.error("the session that holds the apply lease of {} is gone, and the lease with it", holder);
          }
        }
        return sessionAlive;
      }

      @Override
      public void close() {
        if (closed) {
          return;
        }
        closed = true;
        synchronized (live) {
          live.remove(this);
        }
        onEnd.run();
        deleteRow(token);
        release(c);
      }
    };
    synchronized (live) {
      live.add(lease);
    }
    return Optional.of(lease);
  }

  /**
   * Records the holder and the session that holds the lock, and raises the epoch, under the writers'
   * lock so that no commit runs between; returns the lease's epoch.
   */
  private long writeLabel(String holder, String token, long pid) {
    return tx.write("recording the lease holder", w -> {
      statements.dialect().lockWriters(w, statements);
      try (PreparedStatement del = w.prepareStatement(sql.deleteLease())) {
        del.executeUpdate();
      }
      try (PreparedStatement ps = w.prepareStatement(sql.insertLease())) {
        ps.setString(1, holder);
        ps.setString(2, token);
        ps.setLong(3, LABEL.toMillis());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = w.prepareStatement(sql.recordSession())) {
        ps.setLong(1, pid);
        ps.setString(2, token);
        ps.executeUpdate();
      }
      return raiseEpoch(w);
    });
  }

  /**
   * Ends the session that holds the advisory lock, if the row names one: a dead holder's lock is gone
   * already, and a live one's must go for the next apply to get in.
   */
  @Override
  void beforeForcedRelease(Connection c) throws SQLException {
    Long pid = null;
    try (PreparedStatement ps = c.prepareStatement(sql.readSession()); ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        long value = rs.getLong(1);
        pid = rs.wasNull() ? null : value;
      }
    }
    if (pid != null) {
      try (PreparedStatement ps = c.prepareStatement(sql.terminateSession())) {
        ps.setLong(1, pid);
        ps.executeQuery().close();
      }
    }
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
    List<ApplyLease> held;
    synchronized (live) {
      held = new ArrayList<>(live);
    }
    held.forEach(ApplyLease::close);
  }
}
