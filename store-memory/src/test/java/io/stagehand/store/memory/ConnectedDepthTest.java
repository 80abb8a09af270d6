package io.stagehand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InputLimits;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Value;
import io.stagehand.store.api.StoreSnapshot;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Connections never carry a value deeper than {@link InputLimits#MAX_DEPTH}: a collecting connection
 * wraps values in a list and a keyed one in a map, so a batch that would make a resolved input too
 * deep is refused at staging, like a value set by hand, and stages nothing.
 */
class ConnectedDepthTest {
  private static final int MAX = InputLimits.MAX_DEPTH;

  private static Value nested(int depth) {
    Value v = Value.of("leaf");
    for (int i = 0; i < depth; i++) {
      v = Value.list(v);
    }
    return v;
  }

  @Test
  void aConnectionThatWouldCarryAValueTooDeepIsRefused() {
    // found by ValueProperties: a value 64 deep fed into a collecting connection staged, applied and
    // committed 65 deep; on a JDBC store a long enough chain of them staged fine and then failed every
    // commit after its handler ran, as a value 999 deep set by hand once did
    for (String receiver : List.of("lb.all[]", "lb.map.k", "lb.rows[].k")) {
      MemoryStore store = MemoryStore.create();
      Orchestrator o = Orchestrator.builder().store(store).handler(c -> { }).logProgress(false).build();
      o.stage(Edit.create("src", "svc", Map.of("deep", nested(MAX), "ok", nested(MAX - 2))), Edit.create("lb", "svc"));
      o.apply(ApplyOptions.builder().tag("t1").build());
      o.stage(Edit.set("src", "n", 1));
      StoreSnapshot before = StoreSnapshot.of(store);
      assertThatThrownBy(() -> o.stage(Edit.create("x", "svc"), Edit.connect("src.deep", receiver)))
          .as(receiver).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("lb." + receiver.substring(3).replaceAll("[\\[.].*", ""))
          .hasMessageContaining("nested more than " + MAX);
      assertThat(StoreSnapshot.of(store)).as(receiver).isEqualTo(before);
      // one level less fits, whatever the shape
      o.stage(new Edit.Connect(io.stagehand.core.model.Connection.parse("src.ok -> " + receiver)));
      assertThat(o.apply(ApplyOptions.builder().tag("t2").build()).succeeded()).isTrue();
    }
  }

  @Test
  void aSetUpstreamOfCollectingConnectionsIsRefusedWhenItWouldMakeThemTooDeep() {
    MemoryStore store = MemoryStore.create();
    Orchestrator o = Orchestrator.builder().store(store).handler(c -> { }).logProgress(false).build();
    o.stage(Edit.create("a", "svc", Map.of("x", 1)), Edit.create("b", "svc"), Edit.create("c", "svc"),
        Edit.connectCollecting("a.x", "b.list"), Edit.connectCollecting("b.list", "c.list"));
    o.apply(ApplyOptions.builder().tag("t1").build());
    StoreSnapshot before = StoreSnapshot.of(store);
    // c.list is a list of b.list, a list of a.x: two levels over a.x
    Supplier<Edit> tooDeep = () -> Edit.set("a", "x", nested(MAX - 1));
    assertThatThrownBy(() -> o.stage(tooDeep.get())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("c.list").hasMessageNotContaining("leaf");
    assertThat(StoreSnapshot.of(store)).isEqualTo(before);
    o.stage(Edit.set("a", "x", nested(MAX - 2)));
    assertThat(o.apply(ApplyOptions.builder().tag("t2").build()).succeeded()).isTrue();
    assertThat(o.appliedState().get("c").orElseThrow().resolved("list")).contains(Value.list(Value.list(nested(MAX - 2))));
  }
}
