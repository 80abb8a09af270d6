package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.store.jdbc.WriteBuffer.RowStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema's SQL: the tables of the current version, the migration steps from older versions, the
 * schema's bookkeeping rows ({@code meta}), the writers' lock and the SQLite pragmas the store reads.
 */
final class SchemaStatements extends TableStatements {
  /** The SQLite pragmas a store relies on: {@code journal_mode=wal}, its sync level and a busy timeout. */
  static final List<String> SQLITE_PRAGMAS = List.of("journal_mode", "synchronous", "busy_timeout");

  SchemaStatements(Statements root) {
    super(root);
  }

  String meta() {
    return p + "meta";
  }

  String schemaVersionTable() {
    return p + "schema_version";
  }

  String readSchemaVersion() {
    return "SELECT version, variant FROM " + p + "schema_version";
  }

  /** The tables of the current version, created in one transaction (DDL is transactional on both dialects). */
  List<String> createSchema() {
    String json = dialect.jsonType();
    String commits = variant == CommitLogVariant.GLOBAL
        ? "CREATE TABLE " + p + "commits (seq BIGINT PRIMARY KEY, tag VARCHAR(200) NOT NULL, idx INT NOT NULL, "
            + "resource VARCHAR(200) NOT NULL, body " + json + " NOT NULL)"
        : "CREATE TABLE " + p + "commits (resource VARCHAR(200) NOT NULL, version BIGINT NOT NULL, "
            + "tag VARCHAR(200) NOT NULL, idx INT NOT NULL, body " + json + " NOT NULL, PRIMARY KEY (resource, version))";
    List<String> ddl = new ArrayList<>(List.of(
        "CREATE TABLE " + p + "schema_version (version INT NOT NULL, variant VARCHAR(20) NOT NULL)",
        "CREATE TABLE " + p + "meta (name VARCHAR(50) PRIMARY KEY, val BIGINT NOT NULL)",
        "CREATE TABLE " + p + "resources (id VARCHAR(200) PRIMARY KEY, body " + json + " NOT NULL, "
            + "location VARCHAR(200))",
        indexResourceLocation(),
        createConnections("connections"),
        "CREATE TABLE " + p + "events (target VARCHAR(200) NOT NULL, source VARCHAR(200) NOT NULL, "
            + "trigger_name VARCHAR(100) NOT NULL, reaction VARCHAR(100) NOT NULL, "
            + "PRIMARY KEY (target, source, trigger_name, reaction))",
        "CREATE INDEX " + p + "events_source ON " + p + "events (source)",
        "CREATE TABLE " + p + "staged (seq BIGINT PRIMARY KEY, owner VARCHAR(200) NOT NULL, edit " + json
            + " NOT NULL, revert_of VARCHAR(200))",
        "CREATE TABLE " + p + "pending (id VARCHAR(200) PRIMARY KEY)",
        createPendingReactions(),
        createConsumed(),
        "CREATE TABLE " + p + "lease (name VARCHAR(20) PRIMARY KEY, holder VARCHAR(1000) NOT NULL, "
            + "token VARCHAR(100) NOT NULL, expires_at BIGINT NOT NULL, session_pid BIGINT, acquired_at BIGINT)",
        "CREATE TABLE " + p + "tags (tag VARCHAR(200) PRIMARY KEY, ordinal BIGINT NOT NULL, size INT NOT NULL)",
        "CREATE UNIQUE INDEX " + p + "tags_ordinal ON " + p + "tags (ordinal)",
        commits,
        "CREATE UNIQUE INDEX " + p + "commits_tag ON " + p + "commits (tag, idx)"));
    if (variant == CommitLogVariant.GLOBAL) {
      ddl.add("CREATE INDEX " + p + "commits_resource ON " + p + "commits (resource, seq)");
    }
    ddl.addAll(createApplies());
    ddl.add("INSERT INTO " + p + "meta (name, val) VALUES ('staged_position', 0)");
    ddl.add("INSERT INTO " + p + "meta (name, val) VALUES ('commit_count', 0)");
    ddl.add(addChangeCount());
    ddl.add(addLeaseEpoch());
    ddl.add("INSERT INTO " + p + "schema_version (version, variant) VALUES (" + Migrations.CURRENT + ", '"
        + variant.name() + "')");
    return ddl;
  }

  /**
   * The index of connections, keyed by emitter first: planning asks which connections leave a
   * resource. A receiver's own connections are in its resource row, so its old ones are deleted by
   * key; an index by receiver would be one more entry to write per connection (version 2).
   */
  private String createConnections(String table) {
    return "CREATE TABLE IF NOT EXISTS " + p + table + " (emitter VARCHAR(200) NOT NULL, emitter_input VARCHAR(100) "
        + "NOT NULL, receiver VARCHAR(200) NOT NULL, receiver_input VARCHAR(100) NOT NULL, receiver_key VARCHAR(100) "
        + "NOT NULL, collecting BOOLEAN NOT NULL, PRIMARY KEY (emitter, emitter_input, receiver, receiver_input, "
        + "receiver_key))";
  }

  /**
   * Version 2: a committed action's consumed entries, as a mark per owner: its entries up to
   * {@code upto} are gone for every read, and are deleted in bulk when the apply lease ends.
   */
  String createConsumed() {
    return "CREATE TABLE IF NOT EXISTS " + p + "consumed (owner VARCHAR(200) PRIMARY KEY, upto BIGINT NOT NULL)";
  }

  // ---------------------------------------------------------------- migrations

  /** The record of migration steps done: one row per step, written in the step's own transaction. */
  String createMigrations() {
    return "CREATE TABLE IF NOT EXISTS " + p + "migrations (step VARCHAR(100) PRIMARY KEY)";
  }

  String migrationDone() {
    return "SELECT 1 FROM " + p + "migrations WHERE step = ?";
  }

  String recordMigration() {
    return "INSERT INTO " + p + "migrations (step) VALUES (?)";
  }

  /** Version 2's meta row: how many units of work have written to this schema (if it is not there yet). */
  String addChangeCount() {
    return "INSERT INTO " + p + "meta (name, val) SELECT 'change_count', 0 WHERE NOT EXISTS (SELECT 1 FROM " + p
        + "meta WHERE name = 'change_count')";
  }

  /**
   * Version 1 to 2: the connections move to a table keyed by emitter, and the old one goes. Safe to
   * run again from any point: a copy left by an earlier try is emptied first, and the old table is
   * dropped only in the same transaction as the rename.
   */
  List<String> rekeyConnections() {
    return List.of(createConnections("connections2"),
        "DELETE FROM " + p + "connections2",
        "INSERT INTO " + p + "connections2 (emitter, emitter_input, receiver, receiver_input, receiver_key, collecting) "
            + "SELECT emitter, emitter_input, receiver, receiver_input, receiver_key, collecting FROM " + p + "connections",
        "DROP TABLE " + p + "connections",
        "ALTER TABLE " + p + "connections2 RENAME TO " + p + "connections");
  }

  /** Version 3's meta row: the apply lease's fencing epoch (if it is not there yet). */
  String addLeaseEpoch() {
    return "INSERT INTO " + p + "meta (name, val) SELECT 'lease_epoch', 0 WHERE NOT EXISTS (SELECT 1 FROM " + p
        + "meta WHERE name = 'lease_epoch')";
  }

  /** Version 3: PostgreSQL's lease row names the session that holds the advisory lock. */
  String addLeaseSession() {
    return "ALTER TABLE " + p + "lease ADD COLUMN session_pid BIGINT";
  }

  /** Version 3: the lease row says when it was taken, for the message a refused apply gets. */
  String addLeaseAcquired() {
    return "ALTER TABLE " + p + "lease ADD COLUMN acquired_at BIGINT";
  }

  /** Version 4: each resource's location in a column of its own, indexed, for residents lookups. */
  List<String> addResourceLocation() {
    return List.of(
        "ALTER TABLE " + p + "resources ADD COLUMN location VARCHAR(200)",
        "UPDATE " + p + "resources SET location = " + dialect.jsonField("body", "location"),
        indexResourceLocation());
  }

  private String indexResourceLocation() {
    return "CREATE INDEX IF NOT EXISTS " + p + "resources_location ON " + p + "resources (location)";
  }

  /** Version 5: the reactions owed, recorded by the trigger's commit and cleared by the target's. */
  String createPendingReactions() {
    return "CREATE TABLE IF NOT EXISTS " + p + "pending_reactions (target VARCHAR(200) NOT NULL, "
        + "reaction VARCHAR(100) NOT NULL, reason VARCHAR(1000) NOT NULL, PRIMARY KEY (target, reaction))";
  }

  /**
   * Version 6: the record of each apply, by tag, in the order the applies started; {@code is_open} (1
   * or 0) marks those an apply must look at as it starts.
   */
  List<String> createApplies() {
    return List.of("CREATE TABLE IF NOT EXISTS " + p + "applies (tag VARCHAR(200) PRIMARY KEY, seq BIGINT NOT NULL, "
        + "is_open SMALLINT NOT NULL, body TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS " + p + "applies_open ON " + p + "applies (is_open)");
  }

  String readApplies() {
    return "SELECT body FROM " + p + "applies ORDER BY seq";
  }

  String readApply() {
    return "SELECT body FROM " + p + "applies WHERE tag = ?";
  }

  String readOpenApplies() {
    return "SELECT body FROM " + p + "applies WHERE is_open = 1 ORDER BY seq";
  }

  String updateApply() {
    return "UPDATE " + p + "applies SET is_open = ?, body = ? WHERE tag = ?";
  }

  String insertApply() {
    return "INSERT INTO " + p + "applies (tag, seq, is_open, body) "
        + "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ? FROM " + p + "applies";
  }

  String setSchemaVersion(int version) {
    return "UPDATE " + p + "schema_version SET version = " + version;
  }

  // ---------------------------------------------------------------- bookkeeping

  /** PostgreSQL: the transaction-scoped advisory lock that serialises this prefix's writers. */
  String lockWriters() {
    return "SELECT pg_advisory_xact_lock(?)";
  }

  String readPragma(String pragma) {
    if (!SQLITE_PRAGMAS.contains(pragma)) {
      throw new IllegalArgumentException("not a pragma Stagehand reads: " + pragma);
    }
    return "PRAGMA " + pragma;
  }

  /** SQLite: rebuilds the file, leaving no deleted text in free pages. */
  String vacuum() {
    return "VACUUM";
  }

  /** SQLite: copies the WAL into the file and empties it; its first column is 1 if readers kept it from finishing. */
  String truncateWal() {
    return "PRAGMA wal_checkpoint(TRUNCATE)";
  }

  RowStatement bumpChangeCount() {
    return one("meta", "UPDATE " + p + "meta SET val = val + 1 WHERE name = 'change_count'");
  }

  String readMeta() {
    return "SELECT val FROM " + p + "meta WHERE name = ?";
  }

  RowStatement writeMeta() {
    return one("meta", "UPDATE " + p + "meta SET val = ? WHERE name = ?");
  }
}
