package io.stagehand.store.jdbc;

import io.stagehand.core.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What differs between the databases Stagehand supports: column types, how a transaction starts,
 * how writers are serialised, the database's clock, and how the apply lease is held. Small
 * singletons, one per database, in the manner of Axon's per-dialect table factories.
 */
public abstract class SqlDialect {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqlDialect.class);

  /**
   * SQLite 3.35 or newer (the embedded default): JSON as text; a writer starts with {@code BEGIN
   * IMMEDIATE}, which takes the database's one write lock up front (so no read-to-write upgrade can
   * deadlock, and writers are serialised); a reader with a deferred {@code BEGIN}, which in WAL mode
   * sees one snapshot of every table; the apply lease as a row whose expiry is read from SQLite's
   * clock.
   */
  public static final SqlDialect SQLITE = new SqlDialect("SQLite") {
    @Override
    String jsonType() {
      return "TEXT";
    }

    @Override
    String jsonParam() {
      return "?";
    }

    @Override
    String jsonField(String column, String field) {
      return "json_extract(" + column + ", '$." + field + "')";
    }

    @Override
    String nowMillis() {
      return "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
    }

    @Override
    String forUpdate() {
      return "";
    }

    @Override
    String greatest() {
      return "MAX";
    }

    @Override
    void begin(Connection c, boolean write) throws SQLException {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true); // the transaction is ours to open: SQLite's driver would open it deferred
      }
      try (Statement st = c.createStatement()) {
        try {
          st.execute(write ? "BEGIN IMMEDIATE" : "BEGIN");
        } catch (SQLException e) {
          if (e.getMessage() == null || !e.getMessage().contains("within a transaction")) {
            throw e;
          }
          // a pool knows nothing of a transaction opened by a statement: a connection whose last
          // user could not end its transaction (its session cut off mid-way) comes back with it open
          LOG.warn("a connection came from the pool inside a transaction that its last user left open; "
              + "rolling that transaction back");
          st.execute("ROLLBACK");
          st.execute(write ? "BEGIN IMMEDIATE" : "BEGIN");
        }
      }
    }

    @Override
    void commit(Connection c) throws SQLException {
      try (Statement st = c.createStatement()) {
        st.execute("COMMIT");
      }
    }

    @Override
    void rollback(Connection c) throws SQLException {
      try (Statement st = c.createStatement()) {
        st.execute("ROLLBACK");
      }
    }

    @Override
    void end(Connection c) {
      // the connection was left in auto-commit mode, as it was found or as a pool expects it
    }

    @Override
    void lockWriters(Connection c, Statements sql) {
      // BEGIN IMMEDIATE holds SQLite's write lock already
    }

    @Override
    boolean usesAdvisoryLease() {
      return false;
    }
  };

  /**
   * PostgreSQL 14 or newer: JSON as {@code jsonb}; writers serialised by a transaction-scoped
   * advisory lock; reads in one REPEATABLE READ snapshot; the apply lease as a session advisory lock,
   * which dies with its holder.
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
    String jsonField(String column, String field) {
      return column + "->>'" + field + "'";
    }

    @Override
    String nowMillis() {
      return "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    }

    @Override
    String forUpdate() {
      return " FOR UPDATE";
    }

    @Override
    String greatest() {
      return "GREATEST";
    }

    @Override
    void begin(Connection c, boolean write) throws SQLException {
      int isolation = write ? Connection.TRANSACTION_READ_COMMITTED : Connection.TRANSACTION_REPEATABLE_READ;
      if (c.getTransactionIsolation() != isolation) {
        c.setTransactionIsolation(isolation);
      }
      c.setAutoCommit(false);
    }

    @Override
    void commit(Connection c) throws SQLException {
      c.commit();
    }

    @Override
    void rollback(Connection c) throws SQLException {
      c.rollback();
    }

    @Override
    void end(Connection c) throws SQLException {
      c.setAutoCommit(true);
    }

    @Override
    void lockWriters(Connection c, Statements sql) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql.schema.lockWriters())) {
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

  /** The text of a top-level string field of a JSON column, for a migration that copies it out. */
  abstract String jsonField(String column, String field);

  /** An SQL expression for the database's clock, in milliseconds since the epoch. */
  abstract String nowMillis();

  /** What a SELECT that locks the rows it reads ends with, if the database locks rows. */
  abstract String forUpdate();

  /** The function that takes the larger of two values. */
  abstract String greatest();

  /**
   * Opens a transaction on {@code c}: a writer's ({@code write}) or a reader's, which sees one
   * snapshot until it ends.
   */
  abstract void begin(Connection c, boolean write) throws SQLException;

  abstract void commit(Connection c) throws SQLException;

  abstract void rollback(Connection c) throws SQLException;

  /** Leaves {@code c} as a pool expects it back, after a commit or a rollback. */
  abstract void end(Connection c) throws SQLException;

  /** Blocks until no other writer holds the store; released when the transaction ends. */
  abstract void lockWriters(Connection c, Statements sql) throws SQLException;

  abstract boolean usesAdvisoryLease();

  /** Picks the dialect from the database's product name. */
  static SqlDialect detect(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName();
    String lower = product.toLowerCase(Locale.ROOT);
    if (lower.contains("sqlite")) {
      return SQLITE;
    }
    if (lower.contains("postgres")) {
      return POSTGRES;
    }
    throw new StoreException("unsupported database " + product
        + ": Stagehand's JDBC store supports SQLite and PostgreSQL");
  }

  @Override
  public String toString() {
    return name;
  }
}
