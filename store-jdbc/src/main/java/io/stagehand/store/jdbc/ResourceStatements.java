package io.stagehand.store.jdbc;

import io.stagehand.store.jdbc.WriteBuffer.RowStatement;

/** The applied state's SQL: resources, and the indexes of connections (by emitter) and events (by source). */
final class ResourceStatements extends TableStatements {
  ResourceStatements(Statements root) {
    super(root);
  }

  String getResource() {
    return "SELECT body FROM " + p + "resources WHERE id = ?";
  }

  /** The resources among {@code n} ids. */
  String getResources(int n) {
    return "SELECT body FROM " + p + "resources WHERE id IN (" + parameters(n) + ")";
  }

  String allResources() {
    return "SELECT body FROM " + p + "resources ORDER BY id";
  }

  /** Up to {@code ?} resources after id {@code ?} that may hold a sensitive value; for re-sealing. */
  String resealPage() {
    return "SELECT id, body FROM " + p + "resources WHERE id > ? AND CAST(body AS TEXT) LIKE ? ORDER BY id LIMIT ?";
  }

  String countResources() {
    return "SELECT COUNT(*) FROM " + p + "resources";
  }

  RowStatement insertResource() {
    return insert("resources", "id, body, location", "(?, " + dialect.jsonParam() + ", ?)");
  }

  RowStatement updateResource() {
    return one("resources", "UPDATE " + p + "resources SET body = " + dialect.jsonParam() + ", location = ? WHERE id = ?");
  }

  /** A new body for a row whose location stays, as a re-sealing writes it. */
  RowStatement updateResourceBody() {
    return one("resources", "UPDATE " + p + "resources SET body = " + dialect.jsonParam() + " WHERE id = ?");
  }

  /** The ids of the resources placed on {@code ?}. */
  String residents() {
    return "SELECT id FROM " + p + "resources WHERE location = ? ORDER BY id";
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

  RowStatement deleteConnection() {
    return one("connections", "DELETE FROM " + p + "connections WHERE emitter = ? AND emitter_input = ? AND "
        + "receiver = ? AND receiver_input = ? AND receiver_key = ?");
  }

  RowStatement insertConnection() {
    return insert("connections", "receiver, receiver_input, emitter, emitter_input, collecting, receiver_key",
        "(?, ?, ?, ?, ?, ?)");
  }
}
