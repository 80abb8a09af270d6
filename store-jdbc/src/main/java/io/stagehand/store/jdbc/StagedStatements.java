package io.stagehand.store.jdbc;

import io.stagehand.store.jdbc.WriteBuffer.RowStatement;

/** The staged log's SQL: staged entries, consumed marks and pending resources. */
final class StagedStatements extends TableStatements {
  StagedStatements(Statements root) {
    super(root);
  }

  /** The staged entries that no consumed mark covers, in order. */
  String stagedEntries() {
    return "SELECT seq, edit, revert_of FROM " + p + "staged s WHERE NOT EXISTS (SELECT 1 FROM " + p
        + "consumed c WHERE c.owner = s.owner AND s.seq <= c.upto) ORDER BY seq";
  }

  /** Records {@code (owner, upto)}; a mark never moves back. */
  RowStatement markConsumed() {
    return one("consumed", "INSERT INTO " + p + "consumed (owner, upto) VALUES (?, ?) ON CONFLICT (owner) DO UPDATE "
        + "SET upto = " + dialect.greatest() + "(" + p + "consumed.upto, excluded.upto)");
  }

  /** Deletes the staged entries the consumed marks cover; then the marks go. */
  String deleteConsumedEntries() {
    return "DELETE FROM " + p + "staged WHERE EXISTS (SELECT 1 FROM " + p + "consumed c WHERE c.owner = "
        + p + "staged.owner AND " + p + "staged.seq <= c.upto)";
  }

  String deleteConsumedMarks() {
    return "DELETE FROM " + p + "consumed";
  }

  RowStatement insertStaged() {
    return insert("staged", "seq, owner, edit, revert_of", "(?, ?, " + dialect.jsonParam() + ", ?)");
  }

  /**
   * Up to {@code ?} staged rows after sequence {@code ?} that may hold a sensitive value, consumed
   * ones too, in order; for re-sealing. Parameters: after, pattern, limit.
   */
  String resealPage() {
    return "SELECT seq, edit FROM " + p + "staged WHERE seq > ? AND CAST(edit AS TEXT) LIKE ? ORDER BY seq LIMIT ?";
  }

  RowStatement updateStaged() {
    return one("staged", "UPDATE " + p + "staged SET edit = " + dialect.jsonParam() + " WHERE seq = ?");
  }

  RowStatement deleteStaged() {
    return deleteBy("staged", "seq");
  }

  /** Deletes the staged entries from one sequence to another, both included. */
  RowStatement deleteStagedRange() {
    return one("staged", "DELETE FROM " + p + "staged WHERE seq BETWEEN ? AND ?");
  }

  String pending() {
    return "SELECT id FROM " + p + "pending";
  }

  RowStatement insertPendingIfAbsent() {
    return one("pending", "INSERT INTO " + p + "pending (id) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM " + p
        + "pending WHERE id = ?)");
  }

  RowStatement deletePending() {
    return deleteBy("pending", "id");
  }

  String pendingReactions() {
    return "SELECT target, reaction, reason FROM " + p + "pending_reactions ORDER BY target, reaction";
  }

  RowStatement insertPendingReactionIfAbsent() {
    return one("pending_reactions", "INSERT INTO " + p + "pending_reactions (target, reaction, reason) SELECT ?, ?, ? "
        + "WHERE NOT EXISTS (SELECT 1 FROM " + p + "pending_reactions WHERE target = ? AND reaction = ?)");
  }

  RowStatement deletePendingReaction() {
    return one("pending_reactions", "DELETE FROM " + p + "pending_reactions WHERE target = ? AND reaction = ?");
  }

  RowStatement deletePendingReactions() {
    return deleteBy("pending_reactions", "target");
  }

  /** PostgreSQL: reclaims the rows of deleted entries, so that reads of the log stop scanning them. */
  String vacuum() {
    return "VACUUM (ANALYZE) " + p + "staged";
  }
}
