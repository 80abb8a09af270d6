/**
 * JDBC stores for SQLite and PostgreSQL with both commit-log variants: {@link io.stagehand.store.jdbc.JdbcStore}
 * over any {@code DataSource}, with a convenience for a SQLite file (the embedded default), and the SQL
 * dialects in {@link io.stagehand.store.jdbc.SqlDialect}.
 */
package io.stagehand.store.jdbc;
