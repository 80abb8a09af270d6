package io.stagehand.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.spi.Store;
import io.stagehand.store.jdbc.JdbcStore;
import io.stagehand.store.memory.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example runs and shows the three-action move. */
class KeystoneMoveTest {
  @TempDir
  Path dir;

  @Test
  void movesKeystoneInThreeActionsInMemory() {
    check(MemoryStore.create());
  }

  @Test
  void movesKeystoneInThreeActionsOnTheEmbeddedSqliteFile() {
    try (JdbcStore store = JdbcStore.sqliteFile(dir.resolve("state.db"))) {
      check(store);
    }
    assertThat(dir.resolve("state.db")).exists();
  }

  private static void check(Store store) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    KeystoneMove.run(store, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("""
        == plan
        [1] RUN keystone2
        [2] UPDATE haproxy after keystone2
        [3] REMOVE keystone1 after haproxy
        """);
    assertThat(out).contains("""
        == apply t2
          handler: would RUN keystone2 (keystone) with {ip="10.0.0.2", port=5000}
          handler: would UPDATE haproxy (haproxy) with {backends=["10.0.0.2"]}
          handler: would REMOVE keystone1 (keystone) with nothing
        RUN keystone2 ok
        UPDATE haproxy ok
        REMOVE keystone1 ok
        """);
    assertThat(out).contains("t2 REMOVE keystone1 @7\n  ip: \"10.0.0.1\" -> None\n  port: 5000 -> None");
    // the vm's IP is known after apply in the plan, and reaches Keystone and HAProxy in the same apply
    assertThat(out).contains("""
        [2] RUN keystone3 after vm1
            ip: None -> (known after apply)
        """);
    assertThat(out).contains("""
        [3] UPDATE haproxy after keystone3
            backends: ["10.0.0.2"] -> (known after apply)
        """);
    assertThat(out).contains("handler: would RUN keystone3 (keystone) with {ip=\"10.0.0.9\", port=5000}");
    assertThat(out).contains("handler: would UPDATE haproxy (haproxy) with {backends=[\"10.0.0.2\",\"10.0.0.9\"]}");
    assertThat(out).contains("vm1 vm @node2 size=1 out.ip=\"10.0.0.9\"");
    // reverting t3 gives back the state after t2
    String[] states = out.split("== state\n");
    String afterMove = states[1].substring(0, states[1].indexOf("== history"));
    String afterRevert = states[3];
    assertThat(afterRevert.strip()).isEqualTo(afterMove.strip());
  }
}
