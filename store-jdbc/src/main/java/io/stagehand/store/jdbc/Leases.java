package io.stagehand.store.jdbc;

import io.stagehand.core.StagehandException;
import io.stagehand.core.spi.ApplyLease;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one dialect holds a store's apply lease: {@link RowLeases} on SQLite (a row whose expiry is on
 * the database's clock, renewed by a heartbeat), {@link AdvisoryLeases} on PostgreSQL (a session
 * advisory lock, which dies with its holder's connection). Either way the lease table has a row that
 * names the holder, for the message a refused apply gets.
 */
abstract class Leases implements AutoCloseable {
  static final Logger LOG = LoggerFactory.getLogger(Leases.class);
  final Transactions tx;
  final LeaseStatements sql;
  /** What ending an apply lease does besides releasing it: fold the consumed entries, drop caches. */
  final Runnable onEnd;

  Leases(Transactions tx, Statements sql, Runnable onEnd) {
    this.tx = tx;
    this.sql = sql.leases;
    this.onEnd = onEnd;
  }

  static Leases of(SqlDialect dialect, Transactions tx, Statements sql, Duration duration, Runnable onEnd) {
    return dialect.usesAdvisoryLease() ? new AdvisoryLeases(tx, sql, onEnd) : new RowLeases(tx, sql, duration, onEnd);
  }

  /** Takes the lease, or returns empty if another holder has it. */
  abstract Optional<ApplyLease> tryLease(String holder);

  /** Whether a lease row whose expiry is {@code expiresAt} and read at {@code now} still holds. */
  abstract boolean holds(long expiresAt, long now);

  /** Who holds the lease now, if anyone does. */
  Optional<String> holder() {
    try {
      return tx.read("reading the lease", c -> {
        try (PreparedStatement ps = c.prepareStatement(sql.peekLease()); ResultSet rs = ps.executeQuery()) {
          if (rs.next() && holds(rs.getLong(2), rs.getLong(3))) {
            return Optional.of(rs.getString(1));
          }
          return Optional.empty();
        }
      });
    } catch (StagehandException e) {
      return Optional.empty();
    }
  }

  /** Deletes the lease row of {@code token}, if it is still there. */
  void deleteRow(String token) {
    try {
      tx.write("releasing the lease", c -> {
        try (PreparedStatement ps = c.prepareStatement(sql.releaseLease())) {
          ps.setString(1, token);
          return ps.executeUpdate();
        }
      });
    } catch (StagehandException e) {
      LOG.warn("could not delete the lease row; it expires by itself", e);
    }
  }

  /** Releases every lease still held and stops any thread of this object. */
  @Override
  public abstract void close();
}
