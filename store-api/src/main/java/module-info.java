/**
 * The contract kit every store runs, the scenario runner and its files, the fault-injection tools
 * and the AssertJ entry point for users' tests. Open, so that JUnit and jqwik can reach the contract
 * classes and the scenario files reflectively.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
open module io.stagehand.store.api {
  requires transitive io.stagehand.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires transitive net.jqwik.api;
  requires transitive java.sql;
  requires ch.qos.logback.classic;
  requires ch.qos.logback.core;
  requires org.slf4j;
  requires java.logging;
  requires static org.immutables.value.annotations;

  exports io.stagehand.store.api;
}
