/** The runnable example: the seed's Keystone move, on SQLite by default or on PostgreSQL. */
@SuppressWarnings("requires-automatic")
module io.stagehand.examples {
  requires transitive io.stagehand.core;
  requires io.stagehand.store.jdbc;
  requires org.postgresql.jdbc;

  exports io.stagehand.examples;
}
