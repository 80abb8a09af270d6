/**
 * Stagehand's core: the orchestrator and its values. It exports the API ({@code io.stagehand.core}
 * and its {@code model}, {@code plan}, {@code apply} and {@code history} packages) and the store SPI;
 * the engine in {@code io.stagehand.core.internal} stays inside the module.
 */
// Immutables' annotations (CLASS retention, an automatic module) sit on the API's abstract value
// types; requiring them transitively but statically keeps users' compilers quiet and needs no jar
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.stagehand.core {
  // ValueJson reads and writes values through Jackson's streaming types, which are in its signatures
  requires transitive com.fasterxml.jackson.core;
  requires com.google.common;
  requires org.slf4j;
  // the lease holder's name: the JVM's pid@host, as the runtime MXBean gives it
  requires java.management;
  requires static transitive org.immutables.value.annotations;

  exports io.stagehand.core;
  exports io.stagehand.core.model;
  exports io.stagehand.core.plan;
  exports io.stagehand.core.apply;
  exports io.stagehand.core.history;
  exports io.stagehand.core.drift;
  exports io.stagehand.core.spi;
}
