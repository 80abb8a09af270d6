package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.ApplyReport;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.Edit;
import io.stagehand.core.InputLimits;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.Value;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Values at the limits core accepts read back equal from SQLite and PostgreSQL: map keys as long as
 * strings may be, and numbers at magnitudes up to 1e±1000 with 100 digits. Both tests fail today, on
 * defects of JsonCodec, which reads stored JSON with Jackson's default read constraints; they are
 * disabled until store-jdbc's codec is fixed (run them with
 * {@code -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition}).
 */
class StoredJsonLimitsTest {
  private static final DataSource SQLITE = TestDatabases.newSqlite();
  private static final DataSource POSTGRES = TestDatabases.newPostgres();

  @Test
  @Disabled("defect in store-jdbc JsonCodec: it reads stored JSON with Jackson's default StreamReadConstraints, "
      + "whose maxNameLength is 50,000, so a map key of 50,001 characters (InputLimits allows 1 MiB) stages, and "
      + "then every plan, apply, stage and discard on the store fails with StoreException 'stored JSON is "
      + "unreadable: Name length (50001) exceeds the maximum allowed (50000)' (SQLite and PostgreSQL); found by "
      + "ValueProperties")
  void mapKeysAsLongAsStringsReadBack() {
    for (DataSource database : List.of(SQLITE, POSTGRES)) {
      for (int length : List.of(50_001, InputLimits.MAX_STRING_LENGTH)) {
        Value v = Value.map(Map.of("k".repeat(length), Value.of(1)));
        readsBackEqual(database, v);
      }
    }
  }

  @Test
  @Disabled("defect in store-jdbc JsonCodec on PostgreSQL: jsonb prints numbers in plain notation (1e1000 as 1001 "
      + "digits, -1.23e-1000 as 1,005 characters), and JsonCodec reads them with Jackson's default maxNumberLength "
      + "of 1,000, so a number InputLimits accepts stages, and then every plan, apply, stage and discard on the "
      + "store fails with StoreException 'stored JSON is unreadable: Number value length (1001) exceeds the maximum "
      + "allowed (1000)'; found by ValueProperties")
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
