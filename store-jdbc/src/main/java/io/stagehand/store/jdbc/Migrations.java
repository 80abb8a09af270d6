package io.stagehand.store.jdbc;

import io.stagehand.core.spi.StoreReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema's upgrade path, as Flyway and Liquibase keep one: named steps, each run in a
 * transaction of its own under the writers' lock together with the row that records it in
 * {@code <prefix>migrations}, so that a step is done exactly once and an upgrade cut short at any
 * point (a crash, a failed statement) goes on from the first step not recorded when the store is
 * opened again. DDL is transactional on SQLite and PostgreSQL, and the steps are written to be
 * re-runnable besides ({@code IF NOT EXISTS}, a copy emptied before it is filled).
 */
final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** The schema version this library writes and reads. */
  static final int CURRENT = 6;

  /** One step: the version it belongs to, its name, and its statements. */
  record Step(int version, String name, Function<SchemaStatements, List<String>> statements) {}

  /**
   * Version 2 added the change counter ({@link io.stagehand.core.spi.StoreReader#changeCount()}), the
   * consumed marks, and the connection index keyed by emitter. Version 3 added the apply lease's
   * fencing epoch and the session that holds a PostgreSQL lease. Version 4 added the resources'
   * location column, for the residents of a location. Version 5 added the table of reactions owed.
   * Version 6 added the records of the applies.
   * The last step of each version records it.
   */
  static final List<Step> STEPS = List.of(
      new Step(2, "2-change-count", s -> List.of(s.addChangeCount())),
      new Step(2, "2-consumed-marks", s -> List.of(s.createConsumed())),
      new Step(2, "2-connections-by-emitter", SchemaStatements::rekeyConnections),
      new Step(2, "2-version", s -> List.of(s.setSchemaVersion(2))),
      new Step(3, "3-lease-epoch", s -> List.of(s.addLeaseEpoch())),
      new Step(3, "3-lease-session", s -> List.of(s.addLeaseSession())),
      new Step(3, "3-lease-acquired", s -> List.of(s.addLeaseAcquired())),
      new Step(3, "3-version", s -> List.of(s.setSchemaVersion(3))),
      new Step(4, "4-resource-location", SchemaStatements::addResourceLocation),
      new Step(4, "4-version", s -> List.of(s.setSchemaVersion(4))),
      new Step(5, "5-pending-reactions", s -> List.of(s.createPendingReactions())),
      new Step(5, "5-version", s -> List.of(s.setSchemaVersion(5))),
      new Step(6, "6-apply-records", SchemaStatements::createApplies),
      new Step(6, "6-version", s -> List.of(s.setSchemaVersion(6))));

  private final Transactions tx;
  private final Statements sql;
  private final SqlDialect dialect;
  private final Consumer<String> beforeStep;

  /**
   * @param beforeStep called with each step's name inside its transaction, before its statements:
   *     tests make a step fail there
   */
  Migrations(Transactions tx, Statements sql, Consumer<String> beforeStep) {
    this.tx = tx;
    this.sql = sql;
    this.dialect = sql.dialect();
    this.beforeStep = beforeStep;
  }

  /** Runs every step of a version after {@code from} that is not recorded as done. */
  void upgrade(int from) {
    tx.write("preparing the schema upgrade", c -> {
      dialect.lockWriters(c, sql);
      try (Statement st = c.createStatement()) {
        st.execute(sql.schema.createMigrations());
      }
      return null;
    });
    for (Step step : STEPS) {
      if (step.version() <= from) {
        continue;
      }
      boolean ran = tx.write("upgrading the schema (step " + step.name() + ")", c -> {
        dialect.lockWriters(c, sql);
        try (PreparedStatement ps = c.prepareStatement(sql.schema.migrationDone())) {
          ps.setString(1, step.name());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              return false; // another process, or an earlier try, did it
            }
          }
        }
        beforeStep.accept(step.name());
        try (Statement st = c.createStatement()) {
          for (String statement : step.statements().apply(sql.schema)) {
            st.execute(statement);
          }
        }
        try (PreparedStatement ps = c.prepareStatement(sql.schema.recordMigration())) {
          ps.setString(1, step.name());
          ps.executeUpdate();
        }
        return true;
      });
      if (ran) {
        LOG.info("upgraded the Stagehand schema {}*: step {}", sql.prefix(), step.name());
      }
    }
  }
}
