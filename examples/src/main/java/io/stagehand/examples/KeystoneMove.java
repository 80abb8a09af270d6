package io.stagehand.examples;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.Commit;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.spi.Store;
import io.stagehand.store.jdbc.JdbcStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The seed's Keystone move end to end: deploy node1, node2, keystone1 and an HAProxy collecting
 * Keystone ips; then move Keystone to node2. Prints the staged diff, the plan (text and Mermaid), what
 * the handler would do, and the history. The move takes three actions, not four. Then a third
 * Keystone goes on a new vm whose IP the cloud assigns: the vm's handler returns it as an output,
 * which reaches Keystone and HAProxy in the same apply, and reverting that apply removes them again.
 */
public final class KeystoneMove {
  private KeystoneMove() {}

  /**
   * Runs on the embedded default, a SQLite database in {@code target/keystone-move.db} (started afresh
   * each run), or on PostgreSQL when {@code -Dstagehand.url=jdbc:postgresql://...} is given (with
   * {@code stagehand.user}, {@code stagehand.password} and optionally {@code stagehand.prefix}).
   */
  public static void main(String[] args) throws java.io.IOException {
    String url = System.getProperty("stagehand.url", "");
    JdbcStore store;
    if (url.isBlank()) {
      Path file = Path.of(args.length > 0 ? args[0] : "target/keystone-move.db");
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Files.deleteIfExists(Path.of(file + suffix));
      }
      store = JdbcStore.sqliteFile(file);
      System.out.println("== store: SQLite file " + file.toAbsolutePath());
    } else {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL(url);
      ds.setUser(System.getProperty("stagehand.user", "postgres"));
      ds.setPassword(System.getProperty("stagehand.password", ""));
      store = JdbcStore.builder()
          .dataSource(ds)
          .tablePrefix(System.getProperty("stagehand.prefix", "stagehand_example_"))
          .createSchemaIfMissing(true)
          .build();
      System.out.println("== store: PostgreSQL " + url);
    }
    try (store) {
      if (store.read(r -> r.commits().size()) > 0) {
        System.err.println("this database already holds history; point the example at an empty schema "
            + "(another -Dstagehand.prefix=...)");
        System.exit(2);
      }
      run(store, System.out);
    }
  }

  /** Runs the example against {@code store}, printing to {@code out}. */
  public static void run(Store store, PrintStream out) {
    ActionHandler handler = action -> {
      out.printf("  handler: would %s %s (%s) with %s%n", action.action(), action.resource(), action.kind(),
          action.action() == Action.REMOVE ? "nothing" : action.after());
      if (action.kind().equals("vm") && action.action() == Action.RUN) {
        // what a cloud API would answer: the IP it assigned, which Stagehand records and passes on
        action.putOutput("ip", "10.0.0.9");
        out.println("  handler: the cloud assigned " + action.resource() + " the ip 10.0.0.9");
      }
    };
    Orchestrator stagehand = Orchestrator.builder().store(store).handler(handler).build();

    out.println("== stage the first deployment");
    stagehand.stage(
        Edit.create("node1", "node", Map.of("ip", "10.0.0.1")),
        Edit.create("node2", "node", Map.of("ip", "10.0.0.2")),
        Edit.create("keystone1", "keystone", Map.of("port", 5000)),
        Edit.create("haproxy", "haproxy"),
        Edit.connect("node1.ip", "keystone1.ip"),
        Edit.connectCollecting("keystone1.ip", "haproxy.backends"));
    out.println(stagehand.plan().render());
    out.println("== apply t1");
    print(out, stagehand.apply(ApplyOptions.builder().tag("t1").build()));

    out.println("== stage the Keystone move");
    stagehand.stage(
        Edit.create("keystone2", "keystone", Map.of("port", 5000)),
        Edit.connect("node2.ip", "keystone2.ip"),
        Edit.connectCollecting("keystone2.ip", "haproxy.backends"),
        Edit.remove("keystone1"));
    for (Diff diff : stagehand.staged()) {
      out.println(diff.resource() + " " + diff.action().orElseThrow());
      diff.changes().forEach(c -> out.println("  " + diff.render(c)));
    }
    Plan plan = stagehand.plan();
    out.println("== plan");
    out.println(plan.render());
    out.println("== plan as Mermaid");
    out.print(plan.toMermaid());
    out.println("== apply t2");
    print(out, stagehand.apply(ApplyOptions.builder().tag("t2").build()));

    out.println("== state");
    out.println(stagehand.appliedState().render());
    out.println("== history");
    printHistory(out, stagehand);

    out.println("== stage a third Keystone on a new vm, whose IP only the cloud knows");
    stagehand.stage(
        Edit.parse("create vm1 vm @node2 size=1"),
        Edit.parse("create keystone3 keystone port=5000"),
        // vm1 has no input ip: the connection carries the output its handler will return
        Edit.connect("vm1.ip", "keystone3.ip"),
        Edit.connectCollecting("keystone3.ip", "haproxy.backends"));
    out.println("== plan");
    out.println(stagehand.plan().renderDetailed());
    out.println("== apply t3");
    print(out, stagehand.apply(ApplyOptions.builder().tag("t3").build()));
    out.println("== state");
    out.println(stagehand.appliedState().render());
    out.println("== revert t3");
    stagehand.revert(io.stagehand.core.history.Tag.of("t3"));
    out.println(stagehand.plan().renderDetailed());
    out.println("== apply t4");
    print(out, stagehand.apply(ApplyOptions.builder().tag("t4").build()));
    out.println("== state");
    out.println(stagehand.appliedState().render());
  }

  private static void printHistory(PrintStream out, Orchestrator stagehand) {
    for (Commit c : stagehand.history()) {
      out.println(c.tag() + " " + c.action() + " " + c.resource() + " @" + c.position());
      c.diff().changes().forEach(change -> out.println("  " + c.diff().render(change)));
    }
  }

  private static void print(PrintStream out, ApplyReport report) {
    out.println(report.render());
  }
}
