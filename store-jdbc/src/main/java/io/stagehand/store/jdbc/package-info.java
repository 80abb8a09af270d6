/**
 * JDBC stores for SQLite and PostgreSQL with both commit-log variants: {@link io.stagehand.store.jdbc.JdbcStore}
 * over any {@code DataSource}, with a convenience for a SQLite file (the embedded default), the SQL
 * dialects in {@link io.stagehand.store.jdbc.SqlDialect}, and encryption at rest of sensitive values
 * through a {@link io.stagehand.store.jdbc.SecretCodec} such as {@link io.stagehand.store.jdbc.AesGcmSecretCodec}.
 */
package io.stagehand.store.jdbc;
