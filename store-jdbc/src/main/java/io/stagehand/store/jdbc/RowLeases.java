package io.stagehand.store.jdbc;

import io.stagehand.core.StagehandException;
import io.stagehand.core.spi.ApplyLease;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * SQLite's apply lease (and that of any database without session locks): a row whose expiry is set
 * and checked on the database's clock, renewed by a heartbeat thread every third of the lease's
 * duration. A holder that dies stops renewing, and the next apply takes the row over once it
 * expired. The heartbeat thread exists while a lease is held and stops when the store closes.
 */
final class RowLeases extends Leases {
  private final Duration duration;
  private final ScheduledExecutorService heartbeats;
  /** The leases held through this object, released when the store closes. */
  private final Set<RowLease> live = new HashSet<>();

  RowLeases(Transactions tx, Statements sql, Duration duration, Runnable onEnd) {
    super(tx, sql, onEnd);
    this.duration = duration;
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "stagehand-lease-heartbeat");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  boolean holds(long expiresAt, long now) {
    return expiresAt > now;
  }

  @Override
  Optional<java.time.Instant> expiry(long expiresAt) {
    return Optional.of(java.time.Instant.ofEpochMilli(expiresAt));
  }

  @Override
  Optional<ApplyLease> tryLease(String holder) {
    String token = UUID.randomUUID().toString();
    long millis = duration.toMillis();
    long asked = System.nanoTime();
    Long epoch = tx.write("taking the apply lease", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.readLease()); ResultSet rs = ps.executeQuery()) {
        String statement = sql.insertLease();
        if (rs.next()) {
          if (holds(rs.getLong(3), rs.getLong(4))) {
            return null;
          }
          LOG.warn("taking over the apply lease of {}, which expired without being released", rs.getString(1));
          statement = sql.takeLease();
        }
        try (PreparedStatement write = c.prepareStatement(statement)) {
          write.setString(1, holder);
          write.setString(2, token);
          write.setLong(3, millis);
          write.executeUpdate();
        }
        return raiseEpoch(c);
      }
    });
    if (epoch == null) {
      return Optional.empty();
    }
    // the row expires a lease duration after the database's clock read it, which was after we asked
    RowLease lease = new RowLease(holder, token, epoch, asked + TimeUnit.MILLISECONDS.toNanos(millis));
    long period = Math.max(100, millis / 3);
    synchronized (live) {
      live.add(lease);
    }
    lease.heartbeat = heartbeats.scheduleAtFixedRate(lease::renew, period, period, TimeUnit.MILLISECONDS);
    return Optional.of(lease);
  }

  @Override
  public void close() {
    List<RowLease> held;
    synchronized (live) {
      held = new ArrayList<>(live);
    }
    held.forEach(RowLease::close);
    heartbeats.shutdownNow();
    try {
      if (!heartbeats.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the lease heartbeat did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class RowLease implements ApplyLease {
    private final String holder;
    private final String token;
    private final long epoch;
    /** A local deadline ({@link System#nanoTime}) no later than the row's expiry on the database's clock. */
    private volatile long validUntil;
    private volatile boolean closed;
    private volatile boolean lost;
    private ScheduledFuture<?> heartbeat;

    RowLease(String holder, String token, long epoch, long validUntil) {
      this.holder = holder;
      this.token = token;
      this.epoch = epoch;
      this.validUntil = validUntil;
    }

    void renew() {
      if (closed || lost) {
        return;
      }
      long millis = duration.toMillis();
      long asked = System.nanoTime();
      try {
        int updated = tx.write("renewing the apply lease", c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.renewLease())) {
            ps.setLong(1, millis);
            ps.setString(2, token);
            return ps.executeUpdate();
          }
        });
        if (updated == 1) {
          validUntil = asked + TimeUnit.MILLISECONDS.toNanos(millis);
        } else {
          lost = true;
          LOG.error("the apply lease of {} was taken over by another holder", holder);
        }
      } catch (StagehandException e) {
        if (mayHaveExpired()) {
          LOG.warn("could not renew the apply lease, and it may have expired: another apply may take it over, "
              + "and its epoch would then refuse this apply's commits", e);
        } else {
          LOG.warn("could not renew the apply lease; it stays valid for {} ms more",
              TimeUnit.NANOSECONDS.toMillis(validUntil - System.nanoTime()), e);
        }
      }
    }

    @Override
    public String holder() {
      return holder;
    }

    @Override
    public long epoch() {
      return epoch;
    }

    /**
     * False once closed, or once a renewal found the row taken by another holder. A lease whose
     * renewals stall past its expiry is not given up by the clock alone (a busy machine would stop
     * applies that nobody took over); if another apply does take the row, its epoch fences every
     * later commit of this one, and the next renewal marks this lease lost.
     */
    @Override
    public boolean isValid() {
      return !closed && !lost;
    }

    /** Whether the row may have expired: no renewal came through within a lease's duration. */
    boolean mayHaveExpired() {
      return System.nanoTime() - validUntil >= 0;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (heartbeat != null) {
        heartbeat.cancel(false);
      }
      synchronized (live) {
        live.remove(this);
      }
      onEnd.run();
      deleteRow(token);
    }
  }
}
