package io.stagehand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.Orchestrator;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's quickstart, kept compiling and true. */
class QuickstartTest {
  @Test
  void quickstart() {
    // --- README quickstart: staging ---
    Orchestrator stagehand = MemoryStore.orchestrator();

    stagehand.stage(
        Edit.create("node1", "node", Map.of("ip", "10.0.0.1")),
        Edit.create("keystone1", "keystone", Map.of("port", 5000)),
        Edit.create("haproxy", "haproxy"),
        Edit.connect("node1.ip", "keystone1.ip"),
        Edit.connectCollecting("keystone1.ip", "haproxy.backends"));

    for (Diff diff : stagehand.staged()) {
      System.out.println(diff.resource() + " " + diff.action().orElseThrow());
      diff.changes().forEach(change -> System.out.println("  " + diff.render(change)));
    }
    // haproxy RUN
    //   backends: None -> ["10.0.0.1"]
    // keystone1 RUN
    //   ip: None -> "10.0.0.1"
    //   port: None -> 5000
    // node1 RUN
    //   ip: None -> "10.0.0.1"
    // --- end ---

    List<Diff> staged = stagehand.staged();
    assertThat(staged).hasSize(3);
    assertThat(staged.get(0).changes()).singleElement().hasToString("backends: None -> [\"10.0.0.1\"]");
    assertThat(staged.get(1).changes()).extracting(Object::toString)
        .containsExactly("ip: None -> \"10.0.0.1\"", "port: None -> 5000");
  }
}
