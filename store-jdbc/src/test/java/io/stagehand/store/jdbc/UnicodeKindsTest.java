package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.model.Edit;
import io.stagehand.store.api.StoreSnapshot;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A kind of any Unicode reads back equal from SQLite and PostgreSQL; a kind that is not Unicode (a
 * lone UTF-16 surrogate) is refused at staging. Before, it staged and read back with a {@code ?} in
 * the surrogate's place.
 */
class UnicodeKindsTest {
  private static final DataSource SQLITE = TestDatabases.newSqlite();
  private static final DataSource POSTGRES = TestDatabases.newPostgres();

  @Test
  void kindsReadBackEqualAndLoneSurrogatesAreRefused() {
    for (DataSource database : List.of(SQLITE, POSTGRES)) {
      JdbcStore store = TestDatabases.store(database, CommitLogVariant.GLOBAL);
      Orchestrator o = Orchestrator.builder().store(store).handler(c -> { }).logProgress(false).build();
      StoreSnapshot before = StoreSnapshot.of(store);
      assertThatThrownBy(() -> o.stage(Edit.create("a", "k\ud800x\udc00", Map.of("x", 1))))
          .isInstanceOf(InvalidInputException.class);
      assertThat(StoreSnapshot.of(store)).isEqualTo(before);
      String kind = "k\ud83d\ude00\u00e9\uffff\u2028\"[{\\";
      o.stage(Edit.create("a", kind, Map.of("x", 1)));
      assertThat(((Edit.Create) Orchestrator.of(store).stagedEntries().get(0).edit()).kind()).isEqualTo(kind);
      o.apply();
      assertThat(Orchestrator.of(store).appliedState().get("a").orElseThrow().kind()).isEqualTo(kind);
      assertThat(Orchestrator.of(store).history().get(0).kind()).isEqualTo(kind);
    }
  }
}
