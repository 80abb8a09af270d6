package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.InputLimits;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Value;
import io.stagehand.store.api.StoreSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A chain of collecting connections nests its value one level deeper at every hop. Before staging
 * checked the depth of connected values, a value 64 deep at the top of a chain of 950 such
 * connections staged fine on SQLite and then failed the commits of the deepest resources after
 * their handlers ran, at every apply: the JSON of a commit was nested more than Jackson writes.
 * Now the second hop that would go over the depth limit refuses the batch, and nothing is staged.
 */
class DeepConnectionChainTest {
  private static final DataSource DATABASE = TestDatabases.newSqlite();

  @Test
  void aChainOfCollectingConnectionsCannotNestAValueTooDeep() {
    JdbcStore store = TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
    Orchestrator o = Orchestrator.builder().store(store).handler(c -> { }).logProgress(false).build();
    Value deep = Value.of("leaf");
    for (int i = 0; i < InputLimits.MAX_DEPTH; i++) {
      deep = Value.list(deep);
    }
    List<Edit> chain = new ArrayList<>();
    chain.add(Edit.create("r0", "svc", Map.of("x", deep)));
    for (int i = 1; i <= 950; i++) {
      chain.add(Edit.create("r" + i, "svc"));
      chain.add(Edit.connectCollecting("r" + (i - 1) + ".x", "r" + i + ".x"));
    }
    StoreSnapshot before = StoreSnapshot.of(store);
    assertThatThrownBy(() -> o.stage(chain)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("r1.x").hasMessageContaining("nested more than " + InputLimits.MAX_DEPTH);
    assertThat(StoreSnapshot.of(store)).isEqualTo(before);
    // the chain without its deep top applies and commits every resource
    chain.set(0, Edit.create("r0", "svc", Map.of("x", "leaf")));
    assertThatThrownBy(() -> o.stage(chain)).isInstanceOf(InvalidInputException.class);
    o.stage(chain.subList(0, 2 * (InputLimits.MAX_DEPTH - 1) + 1));
    ApplyReport report = o.apply();
    assertThat(report.succeeded()).as(report.render()).isTrue();
    assertThat(Orchestrator.of(store).history()).hasSize(InputLimits.MAX_DEPTH);
  }
}
