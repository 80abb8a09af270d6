package io.stagehand.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Edit;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The victim of {@link CrashTest}: a separate JVM that opens the store, applies whatever is staged
 * with a slow handler, and reports its progress on standard output until the parent kills it.
 *
 * <p>The protocol, one line each way. The child starts before it is needed (so that JVM start-up
 * overlaps the previous child's run instead of adding to it), warms up without touching any store
 * (argument {@code warm-up=<PostgreSQL URL>}), and prints {@code ready}. The parent sends
 * {@code go}, then tab-separated {@code key=value} pairs: {@code tag}, {@code parallelism} and the
 * {@link StoreAddress}. Only then does the child open the store and apply, printing {@code started <actions>} once the apply holds the lease and has its
 * plan, {@code committed <id>} after each action's commit was written (the store call returned), and
 * {@code finished <committed> <not committed>} if the apply ends before the kill.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] argv) throws Exception {
    warmUp(StoreAddress.parseArgs(argv).get("warm-up"));
    println("ready");
    String command = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (command == null || !command.startsWith("go\t")) {
      System.exit(3); // the parent went away or gave up on this child
    }
    Map<String, String> go = StoreAddress.parseArgs(command.substring("go\t".length()).split("\t"));
    boolean succeeded;
    try (StoreAddress.Opened opened = StoreAddress.fromArgs(go).open()) {
      Orchestrator orchestrator = Orchestrator.builder()
          .store(opened.store())
          .handler(context -> Thread.sleep(ThreadLocalRandom.current().nextLong(10, 41)))
          .listener(new Reporter())
          .build();
      ApplyReport report = orchestrator.apply(ApplyOptions.builder()
          .tag(Tag.of(go.get("tag")))
          .parallelism(Integer.parseInt(go.get("parallelism")))
          // on SQLite the lease row of the child killed before this one outlives it by up to a lease
          .leaseWait(Duration.ofSeconds(10))
          .build());
      long committed = report.results().stream().filter(r -> r.commit().isPresent()).count();
      println("finished " + committed + " " + (report.results().size() - committed));
      succeeded = report.succeeded();
    }
    System.exit(succeeded ? 0 : 2);
  }

  /**
   * Loads and exercises the classes an apply needs: an apply on a throw-away in-memory store, and a
   * query on the PostgreSQL server's maintenance database {@code postgresUrl} (never the store's).
   */
  private static void warmUp(String postgresUrl) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgresUrl);
    config.setUsername("postgres");
    try (HikariDataSource pool = new HikariDataSource(config);
        java.sql.Connection c = pool.getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.execute("SELECT 1");
    }
    java.nio.file.Path scratchFile = java.nio.file.Files.createTempFile("stagehand-warm-up", ".db");
    try (JdbcStore store = JdbcStore.sqliteFile(scratchFile, CommitLogVariant.GLOBAL)) {
      Orchestrator scratch = Orchestrator.builder().store(store).handler(context -> { }).logProgress(false).build();
      scratch.stage(Edit.create("a", "node", Map.of("ip", "10.0.0.1")), Edit.create("b", "service"),
          Edit.connect("a.ip", "b.ip"));
      scratch.apply(ApplyOptions.builder().tag("warm-up").build());
    } finally {
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(scratchFile + suffix));
      }
    }
  }

  private static void println(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** Prints the protocol lines; the parent reads them to time the kill and to check durability. */
  private static final class Reporter implements ApplyListener {
    @Override
    public void planReady(Tag tag, Plan plan) {
      println("started " + plan.size());
    }

    @Override
    public void actionSucceeded(PlannedAction action, ActionResult result, Commit commit) {
      // called after the unit of work that wrote the commit returned: the store promised it
      println("committed " + action.resource());
    }
  }
}
