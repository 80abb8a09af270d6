package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.StagehandException;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.store.api.FaultyDataSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults injected below a JDBC store ({@link FaultyDataSource}), on SQLite and PostgreSQL: what the
 * store promises must hold whatever the database does between and inside its transactions.
 */
class FaultsTest {
  private static final DataSource SQLITE = TestDatabases.newSqlite();
  private static final DataSource POSTGRES = TestDatabases.newPostgres();

  /** Names only: JUnit closes a parameter that is AutoCloseable (a pool) after its test. */
  static Stream<String> databases() {
    return Stream.of("SQLite", "PostgreSQL");
  }

  private static DataSource database(String name) {
    return name.equals("SQLite") ? SQLITE : POSTGRES;
  }

  private static Orchestrator orchestrator(JdbcStore store) {
    return Orchestrator.builder().store(store).handler(c -> { }).logProgress(false).build();
  }

  private static JdbcStore store(DataSource ds, String prefix) {
    return JdbcStore.builder().dataSource(ds).tablePrefix(prefix).variant(CommitLogVariant.GLOBAL)
        .createSchemaIfMissing(true).build();
  }

  /**
   * Another process stages at every moment an apply takes a connection (one moment per run): before
   * its lease, its tag, its plan's read, each commit and the lease's end. Its edit is never lost nor
   * half-consumed: it is applied by this apply or left staged whole, the next stage works, and a
   * second apply finishes it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aStageByAnotherProcessAtAnyMomentOfAnApplyIsNeverLost(String name) {
    DataSource database = database(name);
    for (int moment = 1; moment <= 12; moment++) {
      String prefix = "snap" + moment + "_";
      FaultyDataSource faulty = FaultyDataSource.wrap(database);
      Orchestrator applier = orchestrator(store(faulty, prefix));
      Orchestrator other = orchestrator(store(database, prefix));
      applier.stage(Edit.create("n", "node", Map.of("ip", "10.0.0.1")), Edit.create("s", "svc"),
          Edit.connect("n.ip", "s.ip"));
      applier.apply();
      applier.stage(Edit.set("n", "ip", "10.0.0.2"), Edit.create("t", "svc"));
      int at = faulty.connections() + moment;
      AtomicBoolean fired = new AtomicBoolean();
      faulty.beforeConnection(n -> {
        if (n == at && fired.compareAndSet(false, true)) {
          other.stage(Edit.create("late", "svc", Map.of("x", 1)), Edit.set("s", "port", 8080));
        }
      });
      ApplyReport report = applier.apply(ApplyOptions.builder().parallelism(1).build());
      faulty.heal();
      assertThat(report.succeeded()).as("%s, moment %d: %s", name, moment, report.render()).isTrue();
      if (!fired.get()) {
        other.stage(Edit.create("late", "svc", Map.of("x", 1)), Edit.set("s", "port", 8080));
      }
      // the next stage works: nothing left behind contradicts the applied state
      other.stage(Edit.create("later", "svc"));
      assertThat(orchestrator(store(database, prefix)).apply().succeeded()).isTrue();
      var applied = other.appliedState();
      assertThat(other.stagedEntries()).as("%s, moment %d: staged after the last apply", name, moment).isEmpty();
      assertThat(applied.get(ResourceId.of("late"))).as("%s, moment %d: the other process's create", name, moment)
          .isPresent();
      assertThat(applied.get(ResourceId.of("s")).orElseThrow().ownInputs()).as("%s, moment %d", name, moment)
          .containsKey("port");
      assertThat(applied.get(ResourceId.of("later"))).isPresent();
      assertThat(applied.get(ResourceId.of("n")).orElseThrow().resolved("ip").orElseThrow().toJson())
          .isEqualTo("\"10.0.0.2\"");
    }
  }

  /**
   * The n-th commit of an apply fails (for every n a small apply reaches): the apply reports the
   * failure, nothing is half-written, and the next apply finishes the rest.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aFailedCommitAtAnyPointLosesNothing(String name) {
    for (int k = 1; k <= 8; k++) {
      int nth = k;
      applyUnderAFault(name, "commit" + k + "_", "commit " + k, faulty -> {
        int at = faulty.commits() + nth;
        faulty.failCommit(n -> n == at);
      });
    }
  }

  /**
   * The session ends before the n-th statement of an apply (for every n up to 40), slowly handed-out
   * connections besides: nothing is half-written, and the next apply finishes the rest.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aSessionThatEndsAtAnyPointLosesNothing(String name) {
    for (int k = 1; k <= 40; k += 3) {
      int nth = k;
      applyUnderAFault(name, "session" + k + "_", "statement " + k, faulty -> {
        int at = faulty.statements() + nth;
        faulty.delayConnections(java.time.Duration.ofMillis(5)).endSession(n -> n == at);
      });
    }
  }

  /**
   * Stages a small deployment on a fresh prefix, arms {@code fault}, applies, heals, and checks that
   * the next apply finishes with every resource committed exactly once.
   */
  private static void applyUnderAFault(String name, String prefix, String what,
      java.util.function.Consumer<FaultyDataSource> fault) {
    DataSource database = database(name);
    FaultyDataSource faulty = FaultyDataSource.wrap(database);
    Orchestrator applier = orchestrator(store(faulty, prefix));
    applier.stage(List.of(Edit.create("n", "node", Map.of("ip", "10.0.0.1")), Edit.create("a", "svc"),
        Edit.connect("n.ip", "a.ip"), Edit.create("b", "svc"), Edit.create("c", "svc")));
    var desired = applier.desiredState();
    fault.accept(faulty);
    try {
      applier.apply(ApplyOptions.builder().parallelism(1).build());
    } catch (io.stagehand.core.StagehandException e) {
      // a failure of the lease itself or of a unit of work around the commits may end the apply
    }
    faulty.heal();
    Orchestrator next = orchestrator(store(database, prefix));
    assertThat(next.apply(ApplyOptions.builder().leaseWait(java.time.Duration.ofSeconds(40)).build()).succeeded())
        .as("%s, %s", name, what).isTrue();
    assertThat(next.appliedState()).as("%s, %s", name, what).isEqualTo(desired);
    assertThat(next.stagedEntries()).isEmpty();
    // every resource has exactly one commit: a failed commit wrote nothing, a re-run wrote once
    assertThat(next.history()).extracting(c -> c.resource().name()).as("%s, %s", name, what)
        .containsExactlyInAnyOrder("a", "b", "c", "n");
  }
}
