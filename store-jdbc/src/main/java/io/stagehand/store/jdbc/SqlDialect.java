package io.stagehand.store.jdbc;

import io.stagehand.core.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What differs between the databases Stagehand supports: the JSON column type, how a JSON parameter
 * is bound, how writers are serialised, and how the apply lease is held. Small singletons, one per
 * database.
 */
public abstract class SqlDialect {
  /** H2 2.x: JSON as text; writers serialised by a row lock; the apply lease as a row with expiry. */
  public static final SqlDialect H2 = new SqlDialect("H2") {
    @Override
    String jsonType() {
      return "CHARACTER VARYING";
    }

    @Override
    String jsonParam() {
      return "?";
    }

    @Override
    void lockWriters(Connection c, Statements sql) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql.lockWriterRow())) {
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new StoreException("the writer lock row is missing from " + sql.meta() + "; was the schema created?");
          }
        }
      }
    }

    @Override
    boolean usesAdvisoryLease() {
      return false;
    }
  };

  /**
   * PostgreSQL 14 or newer: JSON as {@code jsonb}; writers serialised by a transaction-scoped
   * advisory lock; the apply lease as a session advisory lock, which dies with its holder.
   */
  public static final SqlDialect POSTGRES = new SqlDialect("PostgreSQL") {
    @Override
    String jsonType() {
      return "jsonb";
    }

    @Override
    String jsonParam() {
      return "CAST(? AS jsonb)";
    }

    @Override
    void lockWriters(Connection c, Statements sql) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        ps.setLong(1, sql.writerLockKey());
        ps.executeQuery().close();
      }
    }

    @Override
    boolean usesAdvisoryLease() {
      return true;
    }
  };

  private final String name;

  private SqlDialect(String name) {
    this.name = name;
  }

  abstract String jsonType();

  /** The SQL for a JSON parameter. */
  abstract String jsonParam();

  /** Blocks until no other writer holds the store; released when the transaction ends. */
  abstract void lockWriters(Connection c, Statements sql) throws SQLException;

  abstract boolean usesAdvisoryLease();

  /** Picks the dialect from the database's product name. */
  static SqlDialect detect(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("h2")) {
      return H2;
    }
    if (product.contains("postgres")) {
      return POSTGRES;
    }
    throw new StoreException("unsupported database " + c.getMetaData().getDatabaseProductName()
        + ": Stagehand's JDBC store supports H2 and PostgreSQL");
  }

  @Override
  public String toString() {
    return name;
  }
}
