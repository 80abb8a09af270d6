package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.InputLimits;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Value;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Values at the limits core accepts read back equal from SQLite and PostgreSQL: map keys as long as
 * strings may be, and numbers at magnitudes up to 1e±1000 with 100 digits (PostgreSQL's jsonb prints
 * them in plain notation, up to 1,005 characters). Both failed when JsonCodec read stored JSON with
 * Jackson's default read constraints (names of 50,000 characters, numbers of 1,000), which left a
 * store unreadable after staging such a value; it now reads with core's.
 */
class StoredJsonLimitsTest {
  private static final DataSource SQLITE = TestDatabases.newSqlite();
  private static final DataSource POSTGRES = TestDatabases.newPostgres();

  @Test
  void mapKeysAsLongAsStringsReadBack() {
    for (DataSource database : List.of(SQLITE, POSTGRES)) {
      for (int length : List.of(50_001, InputLimits.MAX_STRING_LENGTH)) {
        Value v = Value.map(Map.of("k".repeat(length), Value.of(1)));
        readsBackEqual(database, v);
      }
    }
  }

  @Test
  void numbersAtTheMagnitudeLimitsReadBackFromPostgres() {
    String hundredDigits = "1." + "2".repeat(InputLimits.MAX_NUMBER_DIGITS - 1);
    for (String n : List.of("1e1000", "-1e1000", "1e-1000", hundredDigits + "e-1000", hundredDigits + "e999", "1e-899")) {
      readsBackEqual(POSTGRES, Value.of(new BigDecimal(n)));
    }
  }

  /** Stages, applies and reads {@code v} back from a new store in {@code database}. */
  private static void readsBackEqual(DataSource database, Value v) {
    JdbcStore store = TestDatabases.store(database, CommitLogVariant.GLOBAL);
    Orchestrator o = Orchestrator.builder().store(store).handler(c -> { }).logProgress(false).build();
    o.stage(Edit.create("a", "svc", Map.of("x", v)));
    assertThat(((Edit.Create) Orchestrator.of(store).stagedEntries().get(0).edit()).inputs().get("x")).isEqualTo(v);
    ApplyReport report = o.apply();
    assertThat(report.succeeded()).as(report.render()).isTrue();
    assertThat(Orchestrator.of(store).appliedState().get("a").orElseThrow().resolved("x")).contains(v);
    assertThat(Orchestrator.of(store).history().get(0).diff().after().orElseThrow().resolved("x")).contains(v);
  }
}
