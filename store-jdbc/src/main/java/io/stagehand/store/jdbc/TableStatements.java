package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.store.jdbc.WriteBuffer.RowStatement;
import java.util.Collections;

/**
 * The SQL of one concern of the store (its tables), with what every statement class needs: the
 * validated table prefix, the dialect and the commit-log variant. Values are always {@code ?}.
 */
abstract class TableStatements {
  final String p;
  final SqlDialect dialect;
  final CommitLogVariant variant;

  TableStatements(Statements root) {
    this.p = root.prefix();
    this.dialect = root.dialect();
    this.variant = root.variant();
  }

  /** {@code statement}, which writes rows of {@code table} (without the prefix) named by one key. */
  static RowStatement one(String table, String statement) {
    return new RowStatement(table, statement);
  }

  RowStatement insert(String table, String columns, String row) {
    return one(table, "INSERT INTO " + p + table + " (" + columns + ") VALUES " + row);
  }

  RowStatement deleteBy(String table, String column) {
    return one(table, "DELETE FROM " + p + table + " WHERE " + column + " = ?");
  }

  /**
   * A LIKE pattern that every stored document holding a sensitive value matches, sealed or not: a
   * resource that has one names it under {@code "sensitive"} or {@code "sensitiveFed"}, a create
   * always has {@code "sensitive"}, and a set that marks its input says {@code "sensitive": true}. So
   * re-sealing reads only the rows that may need it (a value that merely contains the word is read
   * in vain, nothing worse).
   */
  static final String MAY_HOLD_SENSITIVE = "%\"sensitive%";

  /** How many rows re-sealing reads at a time. */
  static final int RESEAL_PAGE = 500;

  /** {@code n} parameters, for an {@code IN (...)} list. */
  static String parameters(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
