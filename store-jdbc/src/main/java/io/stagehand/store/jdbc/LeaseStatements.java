package io.stagehand.store.jdbc;


/** The apply lease's SQL: the row that names the holder (SQLite: and holds the lease), on the database's clock. */
final class LeaseStatements extends TableStatements {
  LeaseStatements(Statements root) {
    super(root);
  }

  /** The lease row, locked where the database locks rows, with the database's clock. */
  String readLease() {
    return "SELECT holder, token, expires_at, " + dialect.nowMillis() + " FROM " + p + "lease WHERE name = 'apply'"
        + dialect.forUpdate();
  }

  /** The holder and expiry of the lease, and the database's clock. */
  String peekLease() {
    return "SELECT holder, expires_at, " + dialect.nowMillis() + ", acquired_at FROM " + p
        + "lease WHERE name = 'apply'";
  }

  /** Inserts the lease row: holder, token, and how many milliseconds from the database's now it lasts. */
  String insertLease() {
    return "INSERT INTO " + p + "lease (name, holder, token, expires_at, acquired_at) VALUES ('apply', ?, ?, "
        + dialect.nowMillis() + " + ?, " + dialect.nowMillis() + ")";
  }

  String deleteLease() {
    return "DELETE FROM " + p + "lease WHERE name = 'apply'";
  }

  /** Takes over an expired lease row: holder, token, and its duration in milliseconds. */
  String takeLease() {
    return "UPDATE " + p + "lease SET holder = ?, token = ?, expires_at = " + dialect.nowMillis()
        + " + ?, acquired_at = " + dialect.nowMillis() + " WHERE name = 'apply'";
  }

  /** Extends the lease to a duration from the database's now, if the token still holds it. */
  String renewLease() {
    return "UPDATE " + p + "lease SET expires_at = " + dialect.nowMillis() + " + ? WHERE name = 'apply' AND token = ?";
  }

  String releaseLease() {
    return "DELETE FROM " + p + "lease WHERE name = 'apply' AND token = ?";
  }

  /** PostgreSQL: takes the lease's session advisory lock if it is free; true if taken. */
  String tryAdvisoryLock() {
    return "SELECT pg_try_advisory_lock(?)";
  }

  String advisoryUnlock() {
    return "SELECT pg_advisory_unlock(?)";
  }

  /** Raises the fencing epoch: at every acquisition of the lease, and at a forced release. */
  String raiseEpoch() {
    return "UPDATE " + p + "meta SET val = val + 1 WHERE name = 'lease_epoch'";
  }

  String readEpoch() {
    return "SELECT val FROM " + p + "meta WHERE name = 'lease_epoch'";
  }

  /** PostgreSQL: records the backend that holds the advisory lock in the lease row of a token. */
  String recordSession() {
    return "UPDATE " + p + "lease SET session_pid = ? WHERE name = 'apply' AND token = ?";
  }

  String readSession() {
    return "SELECT session_pid FROM " + p + "lease WHERE name = 'apply'";
  }

  String backendPid() {
    return "SELECT pg_backend_pid()";
  }

  /**
   * PostgreSQL: ends a session, and with it the advisory locks it holds, waiting up to 10 s for it to
   * be gone (the signal alone returns before the lock is free).
   */
  String terminateSession() {
    return "SELECT pg_terminate_backend(CAST(? AS INTEGER), 10000)";
  }
}
