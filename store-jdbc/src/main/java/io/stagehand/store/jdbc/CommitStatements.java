package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.store.jdbc.WriteBuffer.RowStatement;

/** The commit log's SQL: commits in either variant's layout, and tags in the order their applies ran. */
final class CommitStatements extends TableStatements {
  CommitStatements(Statements root) {
    super(root);
  }

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

  /**
   * Up to {@code ?} commits after a position that may hold a sensitive value, as (position, resource,
   * body); for re-sealing. Parameters: the global log's sequence, or the per-resource log's resource
   * (twice) and version; then the pattern and the limit.
   */
  String resealPage() {
    return variant == CommitLogVariant.GLOBAL
        ? "SELECT seq, resource, body FROM " + p + "commits WHERE seq > ? AND CAST(body AS TEXT) LIKE ? "
            + "ORDER BY seq LIMIT ?"
        : "SELECT version, resource, body FROM " + p + "commits WHERE (resource > ? OR (resource = ? AND version > ?)) "
            + "AND CAST(body AS TEXT) LIKE ? ORDER BY resource, version LIMIT ?";
  }

  /** A commit's body rewritten; parameters: the body, then the sequence or the resource and version. */
  RowStatement updateBody() {
    return one("commits", "UPDATE " + p + "commits SET body = " + dialect.jsonParam() + " WHERE "
        + (variant == CommitLogVariant.GLOBAL ? "seq = ?" : "resource = ? AND version = ?"));
  }

  RowStatement insertCommit() {
    return insert("commits", (variant == CommitLogVariant.GLOBAL ? "seq" : "version") + ", tag, idx, resource, body",
        "(?, ?, ?, ?, " + dialect.jsonParam() + ")");
  }
}
