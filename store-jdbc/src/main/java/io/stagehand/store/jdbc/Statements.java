package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * All SQL of the JDBC store, by concern: one statement class per group of tables, sharing the
 * validated table prefix (the only identifier that becomes SQL), the dialect and the commit-log
 * variant. No SQL lives outside these classes.
 */
final class Statements {
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,29}");

  private final String p;
  private final SqlDialect dialect;
  private final CommitLogVariant variant;
  private final long writerLockKey;
  private final long leaseLockKey;
  final SchemaStatements schema;
  final ResourceStatements resources;
  final StagedStatements staged;
  final CommitStatements commits;
  final LeaseStatements leases;

  Statements(String prefix, SqlDialect dialect, CommitLogVariant variant) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new InvalidInputException("invalid table prefix " + (prefix == null ? "null" : "\"" + prefix + "\"")
          + ": use 1-30 lower-case ASCII letters, digits and '_', starting with a letter");
    }
    this.p = prefix;
    this.dialect = dialect;
    this.variant = variant;
    this.writerLockKey = key("stagehand writers " + prefix);
    this.leaseLockKey = key("stagehand apply lease " + prefix);
    this.schema = new SchemaStatements(this);
    this.resources = new ResourceStatements(this);
    this.staged = new StagedStatements(this);
    this.commits = new CommitStatements(this);
    this.leases = new LeaseStatements(this);
  }

  String prefix() {
    return p;
  }

  SqlDialect dialect() {
    return dialect;
  }

  CommitLogVariant variant() {
    return variant;
  }

  /**
   * PostgreSQL's advisory lock key of this prefix's writers: 64 bits of a SHA-256 of the prefix, so
   * that two prefixes in one database never share a key by accident (a 32-bit hash did: "tc0_" and
   * "tan_" collided).
   */
  long writerLockKey() {
    return writerLockKey; // taken by every PostgreSQL write: hashed once, not per transaction
  }

  /** PostgreSQL's advisory lock key of this prefix's apply lease. */
  long leaseLockKey() {
    return leaseLockKey;
  }

  private static long key(String name) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
