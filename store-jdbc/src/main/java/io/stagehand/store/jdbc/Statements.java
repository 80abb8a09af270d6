package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.InvalidInputException;
import io.stagehand.store.jdbc.WriteBuffer.RowStatement;
import java.util.List;
import java.util.regex.Pattern;

/** All SQL of the JDBC store in one place: table names carry the validated prefix, values are {@code ?}. */
final class Statements {
  /**
   * The schema version this library writes and reads; version 2 added the change counter, the
   * consumed marks and the connection index keyed by emitter.
   */
  static final int SCHEMA_VERSION = 2;

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,29}");

  private final String p;
  private final SqlDialect dialect;
  private final CommitLogVariant variant;

  Statements(String prefix, SqlDialect dialect, CommitLogVariant variant) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new InvalidInputException("invalid table prefix " + (prefix == null ? "null" : "\"" + prefix + "\"")
          + ": use 1-30 lower-case ASCII letters, digits and '_', starting with a letter");
    }
    this.p = prefix;
    this.dialect = dialect;
    this.variant = variant;
  }

  String prefix() {
    return p;
  }

  SqlDialect dialect() {
    return dialect;
  }

  String meta() {
    return p + "meta";
  }

  /** A lock key unique to this prefix, for PostgreSQL's advisory locks. */
  long writerLockKey() {
    return 0x5374_6167_0000_0000L ^ (p.hashCode() & 0xffff_ffffL);
  }

  long leaseLockKey() {
    return 0x4c65_6173_0000_0000L ^ (p.hashCode() & 0xffff_ffffL);
  }

  // ---------------------------------------------------------------- schema

  String schemaVersionTable() {
    return p + "schema_version";
  }

  String readSchemaVersion() {
    return "SELECT version, variant FROM " + p + "schema_version";
  }

  List<String> createSchema() {
    String json = dialect.jsonType();
    String commits = variant == CommitLogVariant.GLOBAL
        ? "CREATE TABLE " + p + "commits (seq BIGINT PRIMARY KEY, tag VARCHAR(200) NOT NULL, idx INT NOT NULL, "
            + "resource VARCHAR(200) NOT NULL, body " + json + " NOT NULL)"
        : "CREATE TABLE " + p + "commits (resource VARCHAR(200) NOT NULL, version BIGINT NOT NULL, "
            + "tag VARCHAR(200) NOT NULL, idx INT NOT NULL, body " + json + " NOT NULL, PRIMARY KEY (resource, version))";
    String byResource = variant == CommitLogVariant.GLOBAL
        ? "CREATE INDEX " + p + "commits_resource ON " + p + "commits (resource, seq)"
        : null;
    List<String> ddl = new java.util.ArrayList<>(List.of(
        "CREATE TABLE " + p + "schema_version (version INT NOT NULL, variant VARCHAR(20) NOT NULL)",
        "CREATE TABLE " + p + "meta (name VARCHAR(50) PRIMARY KEY, val BIGINT NOT NULL)",
        "CREATE TABLE " + p + "resources (id VARCHAR(200) PRIMARY KEY, body " + json + " NOT NULL)",
        createConnections(p + "connections"),
        "CREATE TABLE " + p + "events (target VARCHAR(200) NOT NULL, source VARCHAR(200) NOT NULL, "
            + "trigger_name VARCHAR(100) NOT NULL, reaction VARCHAR(100) NOT NULL, "
            + "PRIMARY KEY (target, source, trigger_name, reaction))",
        "CREATE INDEX " + p + "events_source ON " + p + "events (source)",
        "CREATE TABLE " + p + "staged (seq BIGINT PRIMARY KEY, owner VARCHAR(200) NOT NULL, edit " + json
            + " NOT NULL, revert_of VARCHAR(200))",
        "CREATE TABLE " + p + "pending (id VARCHAR(200) PRIMARY KEY)",
        createConsumed(),
        "CREATE TABLE " + p + "lease (name VARCHAR(20) PRIMARY KEY, holder VARCHAR(1000) NOT NULL, "
            + "token VARCHAR(100) NOT NULL, expires_at BIGINT NOT NULL)",
        "CREATE TABLE " + p + "tags (tag VARCHAR(200) PRIMARY KEY, ordinal BIGINT NOT NULL, size INT NOT NULL)",
        "CREATE UNIQUE INDEX " + p + "tags_ordinal ON " + p + "tags (ordinal)",
        commits,
        "CREATE UNIQUE INDEX " + p + "commits_tag ON " + p + "commits (tag, idx)"));
    if (byResource != null) {
      ddl.add(byResource);
    }
    ddl.add("INSERT INTO " + p + "meta (name, val) VALUES ('staged_position', 0)");
    ddl.add("INSERT INTO " + p + "meta (name, val) VALUES ('commit_count', 0)");
    ddl.add(addChangeCount());
    ddl.add("INSERT INTO " + p + "schema_version (version, variant) VALUES (" + SCHEMA_VERSION + ", '"
        + variant.name() + "')");
    return ddl;
  }

  /** The SQLite pragmas a store relies on: {@code journal_mode=wal} and a busy timeout. */
  static final List<String> SQLITE_PRAGMAS = List.of("journal_mode", "synchronous", "busy_timeout");

  String readPragma(String pragma) {
    if (!SQLITE_PRAGMAS.contains(pragma)) {
      throw new IllegalArgumentException("not a pragma Stagehand reads: " + pragma);
    }
    return "PRAGMA " + pragma;
  }

  // ---------------------------------------------------------------- meta

  /** PostgreSQL: the transaction-scoped advisory lock that serialises this prefix's writers. */
  String lockWriters() {
    return "SELECT pg_advisory_xact_lock(?)";
  }

  /** Version 2's meta row: how many units of work have written to this schema. */
  String addChangeCount() {
    return "INSERT INTO " + p + "meta (name, val) VALUES ('change_count', 0)";
  }

  String setSchemaVersion(int version) {
    return "UPDATE " + p + "schema_version SET version = " + version;
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

  // ---------------------------------------------------------------- writes a WriteBuffer may combine

  /** {@code statement}, which writes rows of {@code table} (without the prefix) named by one key. */
  private static RowStatement one(String table, String statement) {
    return new RowStatement(table, statement);
  }

  private RowStatement insert(String table, String columns, String row) {
    return one(table, "INSERT INTO " + p + table + " (" + columns + ") VALUES " + row);
  }

  private RowStatement deleteBy(String table, String column) {
    return one(table, "DELETE FROM " + p + table + " WHERE " + column + " = ?");
  }

  // ---------------------------------------------------------------- applied state

  String getResource() {
    return "SELECT body FROM " + p + "resources WHERE id = ?";
  }

  /** The resources among {@code n} ids. */
  String getResources(int n) {
    return "SELECT body FROM " + p + "resources WHERE id IN (" + parameters(n) + ")";
  }

  private static String parameters(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  String allResources() {
    return "SELECT body FROM " + p + "resources ORDER BY id";
  }

  String countResources() {
    return "SELECT COUNT(*) FROM " + p + "resources";
  }

  RowStatement insertResource() {
    return insert("resources", "id, body", "(?, " + dialect.jsonParam() + ")");
  }

  RowStatement updateResource() {
    return one("resources", "UPDATE " + p + "resources SET body = " + dialect.jsonParam() + " WHERE id = ?");
  }

  RowStatement deleteResource() {
    return deleteBy("resources", "id");
  }

  /** The connections out of {@code n} emitters. */
  String outgoing(int n) {
    return "SELECT emitter, emitter_input, receiver, receiver_input, collecting, receiver_key FROM " + p
        + "connections WHERE emitter IN (" + parameters(n) + ")";
  }

  /** The events from {@code n} sources. */
  String eventsFrom(int n) {
    return "SELECT source, trigger_name, target, reaction FROM " + p + "events WHERE source IN (" + parameters(n) + ")";
  }

  RowStatement deleteEvents() {
    return deleteBy("events", "target");
  }

  RowStatement insertEvent() {
    return insert("events", "target, source, trigger_name, reaction", "(?, ?, ?, ?)");
  }

  /**
   * The index of connections, keyed by emitter first: planning asks which connections leave a
   * resource. A receiver's own connections are in its resource row, so its old ones are deleted by
   * key; an index by receiver would be one more entry to write per connection (version 2).
   */
  String createConnections(String table) {
    return "CREATE TABLE " + table + " (emitter VARCHAR(200) NOT NULL, emitter_input VARCHAR(100) NOT NULL, "
        + "receiver VARCHAR(200) NOT NULL, receiver_input VARCHAR(100) NOT NULL, receiver_key VARCHAR(100) NOT NULL, "
        + "collecting BOOLEAN NOT NULL, PRIMARY KEY (emitter, emitter_input, receiver, receiver_input, receiver_key))";
  }

  /** Version 1 to 2: the connections move to a table keyed by emitter, and the old one goes. */
  List<String> rekeyConnections() {
    return List.of(createConnections(p + "connections2"),
        "INSERT INTO " + p + "connections2 (emitter, emitter_input, receiver, receiver_input, receiver_key, collecting) "
            + "SELECT emitter, emitter_input, receiver, receiver_input, receiver_key, collecting FROM " + p + "connections",
        "DROP TABLE " + p + "connections",
        "ALTER TABLE " + p + "connections2 RENAME TO " + p + "connections");
  }

  RowStatement deleteConnection() {
    return one("connections", "DELETE FROM " + p + "connections WHERE emitter = ? AND emitter_input = ? AND "
        + "receiver = ? AND receiver_input = ? AND receiver_key = ?");
  }

  RowStatement insertConnection() {
    return insert("connections", "receiver, receiver_input, emitter, emitter_input, collecting, receiver_key",
        "(?, ?, ?, ?, ?, ?)");
  }

  // ---------------------------------------------------------------- staged log

  /** The staged entries that no consumed mark covers, in order. */
  String stagedEntries() {
    return "SELECT seq, edit, revert_of FROM " + p + "staged s WHERE NOT EXISTS (SELECT 1 FROM " + p
        + "consumed c WHERE c.owner = s.owner AND s.seq <= c.upto) ORDER BY seq";
  }

  /**
   * Version 2: a committed action's consumed entries, as a mark per owner: its entries up to
   * {@code upto} are gone for every read, and are deleted in bulk when the apply lease ends.
   */
  String createConsumed() {
    return "CREATE TABLE " + p + "consumed (owner VARCHAR(200) PRIMARY KEY, upto BIGINT NOT NULL)";
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

  // ---------------------------------------------------------------- commit log

  String tags() {
    return "SELECT tag FROM " + p + "tags ORDER BY ordinal";
  }

  String maxTagOrdinal() {
    return "SELECT COALESCE(MAX(ordinal), 0) FROM " + p + "tags";
  }

  String insertTag() {
    return "INSERT INTO " + p + "tags (tag, ordinal, size) VALUES (?, ?, ?)";
  }

  String growTag() {
    return "UPDATE " + p + "tags SET size = size + ? WHERE tag = ?";
  }

  private String commitColumns() {
    return variant == CommitLogVariant.GLOBAL ? "c.seq, c.tag, c.idx, c.resource, c.body"
        : "c.version, c.tag, c.idx, c.resource, c.body";
  }

  String ofTag() {
    return "SELECT " + commitColumns() + " FROM " + p + "commits c WHERE c.tag = ? ORDER BY c.idx";
  }

  String ofResource() {
    return "SELECT " + commitColumns() + " FROM " + p + "commits c WHERE c.resource = ? ORDER BY "
        + (variant == CommitLogVariant.GLOBAL ? "c.seq" : "c.version");
  }

  String page() {
    return variant == CommitLogVariant.GLOBAL
        ? "SELECT " + commitColumns() + " FROM " + p + "commits c ORDER BY c.seq LIMIT ? OFFSET ?"
        : "SELECT " + commitColumns() + " FROM " + p + "commits c JOIN " + p + "tags t ON t.tag = c.tag "
            + "ORDER BY t.ordinal, c.idx LIMIT ? OFFSET ?";
  }

  String getCommit() {
    return variant == CommitLogVariant.GLOBAL
        ? "SELECT " + commitColumns() + " FROM " + p + "commits c WHERE c.seq = ?"
        : "SELECT " + commitColumns() + " FROM " + p + "commits c WHERE c.resource = ? AND c.version = ?";
  }

  /** The last version of each of {@code n} resources that has one (per-resource log only). */
  String lastVersions(int n) {
    return "SELECT resource, MAX(version) FROM " + p + "commits WHERE resource IN (" + parameters(n)
        + ") GROUP BY resource";
  }

  RowStatement insertCommit() {
    return insert("commits", (variant == CommitLogVariant.GLOBAL ? "seq" : "version") + ", tag, idx, resource, body",
        "(?, ?, ?, ?, " + dialect.jsonParam() + ")");
  }

  // ---------------------------------------------------------------- lease rows

  /** The lease row, locked where the database locks rows, with the database's clock. */
  String readLease() {
    return "SELECT holder, token, expires_at, " + dialect.nowMillis() + " FROM " + p + "lease WHERE name = 'apply'"
        + dialect.forUpdate();
  }

  /** The holder and expiry of the lease, and the database's clock. */
  String peekLease() {
    return "SELECT holder, expires_at, " + dialect.nowMillis() + " FROM " + p + "lease WHERE name = 'apply'";
  }

  /** Inserts the lease row: holder, token, and how many milliseconds from the database's now it lasts. */
  String insertLease() {
    return "INSERT INTO " + p + "lease (name, holder, token, expires_at) VALUES ('apply', ?, ?, "
        + dialect.nowMillis() + " + ?)";
  }

  String deleteLease() {
    return "DELETE FROM " + p + "lease WHERE name = 'apply'";
  }

  /** Takes over an expired lease row: holder, token, and its duration in milliseconds. */
  String takeLease() {
    return "UPDATE " + p + "lease SET holder = ?, token = ?, expires_at = " + dialect.nowMillis()
        + " + ? WHERE name = 'apply'";
  }

  /** Extends the lease to a duration from the database's now, if the token still holds it. */
  String renewLease() {
    return "UPDATE " + p + "lease SET expires_at = " + dialect.nowMillis() + " + ? WHERE name = 'apply' AND token = ?";
  }

  String releaseLease() {
    return "DELETE FROM " + p + "lease WHERE name = 'apply' AND token = ?";
  }
}
