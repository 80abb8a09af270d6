package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Value;
import io.stagehand.store.api.StoreSnapshot;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The issue's examples on the JDBC stores: a value nested 999 deep once staged fine and then failed
 * every commit after its handler ran, and 1e200000 was accepted in memory and refused by PostgreSQL.
 * Both are refused at staging now, on SQLite and PostgreSQL as on the memory store, the store is left
 * as it was, and the next apply commits everything else.
 */
class OverLimitValuesTest {
  private static final DataSource SQLITE = TestDatabases.newSqlite();
  private static final DataSource POSTGRES = TestDatabases.newPostgres();

  @Test
  void theIssuesValuesAreRefusedAtStagingAndNothingIsStuck() {
    Value deep = Value.of(1);
    for (int i = 0; i < 999; i++) {
      deep = Value.list(deep);
    }
    Value tooDeep = deep;
    String deepJson = "[".repeat(999) + "1" + "]".repeat(999);
    List<Supplier<Edit>> bad = List.of(
        () -> Edit.set("a", "x", tooDeep),
        () -> Edit.create("b", "svc", Map.of("x", tooDeep)),
        () -> Edit.parse("set a x=" + deepJson),
        () -> Edit.set("a", "x", new BigDecimal("1e200000")),
        () -> Edit.parse("set a x=1e200000"),
        () -> Edit.parse("create b svc x!=1e2147483648"));
    for (DataSource database : List.of(SQLITE, POSTGRES)) {
      JdbcStore store = TestDatabases.store(database, CommitLogVariant.GLOBAL);
      Orchestrator o = Orchestrator.builder().store(store).handler(c -> { }).logProgress(false).build();
      o.stage(Edit.create("a", "svc", Map.of("x", 1)));
      for (Supplier<Edit> edit : bad) {
        StoreSnapshot before = StoreSnapshot.of(store);
        assertThatThrownBy(() -> o.stage(Edit.create("ok", "svc"), edit.get())).isInstanceOf(InvalidInputException.class);
        assertThat(StoreSnapshot.of(store)).isEqualTo(before);
      }
      ApplyReport report = o.apply();
      assertThat(report.succeeded()).as(report.render()).isTrue();
      assertThat(Orchestrator.of(store).history()).hasSize(1);
    }
  }
}
