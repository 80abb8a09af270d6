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
  }
}
