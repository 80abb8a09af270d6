package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's schema: whether it is there and of which version and commit log, creating it, and
 * upgrading it through {@link Migrations}.
 */
final class Schema {
  private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

  private final Transactions tx;
  private final Statements sql;
  private final CommitLogVariant variant;
  private final Consumer<String> beforeMigrationStep;

  Schema(Transactions tx, Statements sql, Consumer<String> beforeMigrationStep) {
    this.tx = tx;
    this.sql = sql;
    this.variant = sql.variant();
    this.beforeMigrationStep = beforeMigrationStep;
  }

  /** Checks the schema, creating it if it is missing and {@code create} is set, and upgrades an old one. */
  void open(boolean create) {
    Optional<Integer> version = version();
    if (version.isEmpty()) {
      if (!create) {
        throw new StoreException("the Stagehand schema (tables " + sql.prefix() + "*) is missing; call createSchema() "
            + "or build the store with createSchemaIfMissing(true)");
      }
      create();
      return;
    }
    int found = version.get();
    if (found > Migrations.CURRENT) {
      throw new StoreException("the Stagehand schema " + sql.prefix() + "* is at version " + found
          + ", newer than this library reads (" + Migrations.CURRENT + "); upgrade Stagehand");
    }
    if (found < Migrations.CURRENT) {
      new Migrations(tx, sql, beforeMigrationStep).upgrade(found);
    }
  }

  /**
   * The schema version, or empty if there is no schema with this prefix. Also checks that the stored
   * commit-log variant is this store's.
   */
  Optional<Integer> version() {
    return tx.read("reading the schema version", c -> {
      if (!tableExists(c, sql.schema.schemaVersionTable())) {
        return Optional.empty();
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.schema.readSchemaVersion())) {
        if (!rs.next()) {
          throw new StoreException("the table " + sql.schema.schemaVersionTable() + " is empty: the schema is damaged");
        }
        int version = rs.getInt(1);
        String stored = rs.getString(2);
        if (!stored.equals(variant.name())) {
          throw new StoreException("the commit log with prefix " + sql.prefix() + " is " + stored
              + ", but this store was built for " + variant + "; build it with variant(" + stored + ")");
        }
        return Optional.of(version);
      }
    });
  }

  private static boolean tableExists(Connection c, String table) throws SQLException {
    var meta = c.getMetaData();
    for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
      try (ResultSet rs = meta.getTables(null, null, name, null)) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Creates the tables of this prefix and variant, in one transaction, if they are not there yet. */
  void create() {
    tx.write("creating the schema", c -> {
      sql.dialect().lockWriters(c, sql);
      if (tableExists(c, sql.schema.schemaVersionTable())) {
        return null;
      }
      try (Statement st = c.createStatement()) {
        for (String ddl : sql.schema.createSchema()) {
          st.execute(ddl);
        }
      }
      LOG.info("created the Stagehand schema {}* ({}, {} commit log)", sql.prefix(), sql.dialect(), variant);
      return null;
    });
  }

  /** SQLite: the pragmas a connection has, for tests and diagnostics. */
  java.util.Map<String, String> sqlitePragmas() {
    return tx.read("reading the pragmas", c -> {
      java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
      for (String pragma : SchemaStatements.SQLITE_PRAGMAS) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.schema.readPragma(pragma))) {
          out.put(pragma, rs.next() ? rs.getString(1) : "");
        }
      }
      return out;
    });
  }
}
