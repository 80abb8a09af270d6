package io.stagehand.store.jdbc;

import io.stagehand.core.StagehandException;
import io.stagehand.core.StoreException;
import io.stagehand.core.apply.LeaseInfo;
import io.stagehand.core.spi.ApplyLease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
  final Statements statements;
  /** What ending an apply lease does besides releasing it: fold the consumed entries, drop caches. */
  final Runnable onEnd;

  Leases(Transactions tx, Statements sql, Runnable onEnd) {
    this.tx = tx;
    this.sql = sql.leases;
    this.statements = sql;
    this.onEnd = onEnd;
  }

  static Leases of(SqlDialect dialect, Transactions tx, Statements sql, Duration duration, Runnable onEnd) {
    return dialect.usesAdvisoryLease() ? new AdvisoryLeases(tx, sql, onEnd) : new RowLeases(tx, sql, duration, onEnd);
  }

  /** Takes the lease, or returns empty if another holder has it. */
  abstract Optional<ApplyLease> tryLease(String holder);

  /** Whether a lease row whose expiry is {@code expiresAt} and read at {@code now} still holds. */
  abstract boolean holds(long expiresAt, long now);

  /** When a lease row whose expiry is {@code expiresAt} ends, if it ends by expiring. */
  abstract Optional<Instant> expiry(long expiresAt);

  /** Who holds the lease now, since when and until when, if anyone holds it. */
  Optional<LeaseInfo> holder() {
    try {
      return tx.read("reading the lease", c -> {
        try (PreparedStatement ps = c.prepareStatement(sql.peekLease()); ResultSet rs = ps.executeQuery()) {
          if (rs.next() && holds(rs.getLong(2), rs.getLong(3))) {
            long acquired = rs.getLong(4);
            return Optional.of(new LeaseInfo(rs.getString(1), Instant.ofEpochMilli(acquired),
                expiry(rs.getLong(2))));
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

  /** Raises the fencing epoch in the transaction of {@code c} and returns its new value. */
  long raiseEpoch(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(sql.raiseEpoch());
      try (ResultSet rs = st.executeQuery(sql.readEpoch())) {
        if (!rs.next()) {
          throw new StoreException("the row lease_epoch is missing from " + statements.prefix() + "meta: the schema "
              + "is damaged");
        }
        return rs.getLong(1);
      }
    }
  }

  /**
   * Frees the lease whoever holds it: the row goes and the epoch moves on, in one unit of work under
   * the writers' lock, so a holder that is still alive can no longer commit.
   */
  void forceRelease() {
    tx.write("releasing the apply lease by force", c -> {
      statements.dialect().lockWriters(c, statements);
      beforeForcedRelease(c);
      try (Statement st = c.createStatement()) {
        st.executeUpdate(sql.deleteLease());
      }
      long epoch = raiseEpoch(c);
      LOG.warn("the apply lease of {}* was released by force; its epoch is now {}", statements.prefix(), epoch);
      return null;
    });
  }

  /** What a forced release must do besides deleting the row, in its transaction. */
  void beforeForcedRelease(Connection c) throws SQLException {
    // a row lease is nothing but its row
  }

  /** Releases every lease still held and stops any thread of this object. */
  @Override
  public abstract void close();
}
