/**
 * JDBC stores for H2 and PostgreSQL with both commit-log variants: {@link io.stagehand.store.jdbc.JdbcStore}
 * over any {@code DataSource}, with conveniences for an H2 file (the embedded default) and SQL dialects
 * in {@link io.stagehand.store.jdbc.SqlDialect}.
 */
package io.stagehand.store.jdbc;
