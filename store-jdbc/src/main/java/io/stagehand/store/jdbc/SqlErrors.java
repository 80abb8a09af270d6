package io.stagehand.store.jdbc;

import io.stagehand.core.StoreException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Turns SQL failures into {@link StoreException}s a person can act on. Classified by SQLState, walking
 * the cause chain, never by exception class: drivers differ in the classes they throw.
 */
final class SqlErrors {
  private SqlErrors() {}

  /**
   * SQLite reports no SQLState, only its result code as the vendor code (an extended code keeps the
   * primary one in its low byte), and only when the dialect is SQLite is that code read.
   */
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_NOTADB = 26;

  /** The first SQLState found along the cause chain. */
  static Optional<String> sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException next = s; next != null; next = next.getNextException()) {
          if (next.getSQLState() != null) {
            return Optional.of(next.getSQLState());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Serialization failure or deadlock: the whole transaction may be retried. */
  static boolean isRetryable(Throwable e) {
    return sqlState(e).map(s -> s.equals("40001") || s.equals("40P01")).orElse(false);
  }

  /** The SQLite result code of the first SQLException along the cause chain, or -1. */
  static int sqliteCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getErrorCode() > 0) {
        return s.getErrorCode() & 0xff;
      }
    }
    return -1;
  }

  static StoreException translate(Throwable e, String doing, Statements sql) {
    String state = sqlState(e).orElse("");
    String detail = detail(e);
    if (sql.dialect() == SqlDialect.SQLITE && state.isEmpty()) {
      String message = sqliteMessage(sqliteCode(e), detail, doing, sql);
      if (message != null) {
        return new StoreException(message, e);
      }
    }
    String message;
    if (state.startsWith("08")) {
      message = "cannot reach the database while " + doing + ": " + detail;
    } else if (state.startsWith("28")) {
      message = "the database refused the credentials while " + doing + ": " + detail;
    } else if (state.equals("3D000")) {
      message = "the database does not exist (" + detail + ")";
    } else if (state.equals("42P01") || state.equals("42S02") || state.equals("42S04") || state.equals("42102")
        || state.equals("42104")) {
      message = "the Stagehand schema (tables " + sql.prefix() + "*) is missing or incomplete while " + doing
          + "; call JdbcStore.createSchema() or build the store with createSchemaIfMissing(true) (" + detail + ")";
    } else if (state.equals("25006") || state.equals("25000") && detail.contains("read-only")) {
      message = "the database is read-only; nothing was written while " + doing + " (" + detail + ")";
    } else if (state.equals("23505")) {
      message = "conflict while " + doing + ": a row with the same key was written concurrently (" + detail + ")";
    } else {
      message = "database error while " + doing + (state.isEmpty() ? "" : " [SQLState " + state + "]") + ": " + detail;
    }
    return new StoreException(message, e);
  }

  /** What a SQLite result code means to a person, or null for the generic message. */
  private static String sqliteMessage(int code, String detail, String doing, Statements sql) {
    switch (code) {
      case SQLITE_BUSY:
        return "the SQLite database stayed locked by another process's write for longer than the busy timeout "
            + "while " + doing + "; nothing was written (" + detail + ")";
      case SQLITE_READONLY:
        return "the database is read-only; nothing was written while " + doing + " (" + detail + ")";
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return "the SQLite database file is damaged or is not a database (" + detail + ", while " + doing
            + "); Stagehand cannot repair it: restore the file from a backup, or try the sqlite3 shell's .recover";
      case SQLITE_FULL:
        return "the disk is full; nothing was written while " + doing + " (" + detail + ")";
      case SQLITE_CANTOPEN:
        return "cannot open the SQLite database file while " + doing + " (" + detail + ")";
      default:
        if (detail.contains("no such table")) {
          return "the Stagehand schema (tables " + sql.prefix() + "*) is missing or incomplete while " + doing
              + "; call JdbcStore.createSchema() or build the store with createSchemaIfMissing(true) (" + detail + ")";
        }
        return null;
    }
  }

  /**
   * The database's own words, without the statement: a driver may put the statement with its
   * parameters (input values, possibly secrets) into a batch failure's message, so the innermost
   * chained exception is used, cut to its first line and a readable length.
   */
  private static String detail(Throwable e) {
    Throwable inner = e;
    while (inner instanceof SQLException s && s.getNextException() != null) {
      inner = s.getNextException();
    }
    String m = inner.getMessage();
    if (m == null || m.isBlank()) {
      return inner.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    String line = nl < 0 ? m : m.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 297) + "..." : line;
  }
}
