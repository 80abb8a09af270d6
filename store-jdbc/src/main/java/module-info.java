/**
 * The JDBC stores: SQLite (the embedded default, through sqlite-jdbc) and PostgreSQL (its driver is
 * the user's to add). Only {@code io.stagehand.store.jdbc} is exported; its tables, statements and
 * leases are package-private.
 */
@SuppressWarnings("requires-automatic")
module io.stagehand.store.jdbc {
  requires transitive io.stagehand.core;
  requires transitive java.sql;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;
  requires org.xerial.sqlitejdbc;
  requires static org.immutables.value.annotations;

  exports io.stagehand.store.jdbc;
}
