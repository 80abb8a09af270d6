package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.ResourceId;
import io.stagehand.store.memory.MemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several processes on one store at once, on a SQLite file and on PostgreSQL ({@link TwoProcessChild}): two stage batches
 * concurrently while a third applies, a fourth tries to apply meanwhile and is refused at once, and
 * a fifth waits for the lease and then applies what the stagers added. Afterwards no staged edit is
 * lost, no resource was deployed twice, and the refusal happened while the first applier held the
 * lease.
 *
 * <p>The steps are ordered by a line protocol, not by sleeps: the first applier plans exactly the
 * stagers' first halves and then holds the lease inside its first action until this test releases
 * it; the stagers' second halves, which change resources it planned, land during its apply.
 */
class TwoProcessTest {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration STEP = Duration.ofSeconds(30);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite", "pg"})
  @Timeout(value = 100, unit = TimeUnit.SECONDS)
  void concurrentStagersAndAppliersInSeparateProcessesLoseNothingAndApplyOnce(String db, @TempDir Path dir)
      throws Exception {
    try (HikariDataSource database = db.equals("pg") ? TestDatabases.newPostgres() : null) {
      StoreAddress address = database != null ? StoreAddress.postgres(database, CommitLogVariant.PER_RESOURCE)
          : StoreAddress.sqlite(dir.resolve("shared.db"), CommitLogVariant.PER_RESOURCE);
      address.open().close(); // the schema, created once before the children open the store
      Path logs = dir.resolve("logs");
      try (ChildProcess s1 = child("s1", address, logs, "role=stage", "stager=s1");
          ChildProcess s2 = child("s2", address, logs, "role=stage", "stager=s2");
          ChildProcess holder = child("holder", address, logs, "role=hold", "tag=held");
          ChildProcess refused = child("refused", address, logs, "role=refuse", "tag=refused");
          ChildProcess waiter = child("waiter", address, logs, "role=wait", "tag=waited")) {
        s1.await("half", STARTUP);
        s2.await("half", STARTUP);

        // the first applier plans the two first halves, then holds the lease in its first action
        holder.send("go");
        holder.await("holding", STARTUP);
        assertThat(planSize(holder.lines())).as("actions the holder planned%s", holder.diagnostics())
            .isEqualTo(TwoProcessChild.BATCHES);
        s1.send("continue");
        s2.send("continue");

        // the stagers staged and read history while the holder's apply held the lease and ran
        for (ChildProcess stager : List.of(s1, s2)) {
          stager.await("done", STEP);
          assertThat(stager.lines()).as("%s staged and read history during the apply%s", stager.name(),
              stager.diagnostics()).anySatisfy(line -> assertThat(line)
              .startsWith("staged " + (TwoProcessChild.BATCHES - 1) + " history "));
        }
        refused.send("go");
        assertThat(refused.awaitExit(STARTUP)).as("exit code of the refused applier%s", refused.diagnostics()).isZero();
        assertThat(refused.lines()).as("the refused applier's output").anySatisfy(line -> assertThat(line)
            .startsWith("refused another apply is running")
            .contains("apply in " + holder.pid() + "@"));

        waiter.send("go");
        String applying = waiter.await("applying ", STARTUP);
        assertThat(applying).as("the waiting applier saw the lease held").contains("apply in " + holder.pid() + "@");
        holder.send("release");

        for (ChildProcess c : List.of(holder, waiter, s1, s2)) {
          assertThat(c.awaitExit(STEP)).as("exit code of %s%s", c.name(), c.diagnostics()).isZero();
        }
        long waitFrom = Long.parseLong(applying.split(" ")[1]);
        long holderDone = Long.parseLong(line(holder, "finished ").split(" ")[1]);
        long waiterIn = Long.parseLong(line(waiter, "started ").split(" ")[1]);
        // the waiter asked for the lease before the holder was done and got it only afterwards
        assertThat(waitFrom).as("waiter asked (ms)").isLessThanOrEqualTo(holderDone);
        assertThat(waiterIn).as("waiter got the lease (ms), holder finished at %d", holderDone)
            .isGreaterThanOrEqualTo(holderDone);
        assertThat(planSize(waiter.lines())).as("actions the waiter planned%s", waiter.diagnostics()).isPositive();

        int rest = checkStore(address, List.of(holder, waiter));
        System.out.printf("TwoProcessTest: holder applied %d planned from the first halves; refused %s; waiter waited "
            + "%d ms and applied %d; %d left for the test's own apply%n", planSize(holder.lines()),
            line(refused, "refused "), waiterIn - waitFrom, planSize(waiter.lines()), rest);
      }
    }
  }

  /**
   * What the parent sees in the store once every child is done, before and after applying the rest;
   * returns how many actions were left.
   */
  private static int checkStore(StoreAddress address, List<ChildProcess> appliers) {
    DeploymentState expected = expectedDesiredState();
    try (StoreAddress.Opened opened = address.open()) {
      List<String> runs = new ArrayList<>();
      Orchestrator o = Orchestrator.builder().store(opened.store()).logProgress(false).handler(c -> {
        if (c.action() == Action.RUN) {
          synchronized (runs) {
            runs.add(c.resource().name());
          }
        }
      }).build();

      // every edit of both stagers is in the desired state: nothing staged was lost or overwritten
      assertThat(o.desiredState()).as("desired state after both stagers").isEqualTo(expected);
      // and each resource is either applied as desired or still has staged work
      DeploymentState applied = o.appliedState();
      Set<ResourceId> stillStaged = o.staged().stream().map(Diff::resource).collect(Collectors.toSet());
      assertThat(expected.resources().keySet()).allSatisfy(id -> {
        if (!applied.get(id).equals(expected.get(id))) {
          assertThat(stillStaged).as("%s is neither applied as desired nor staged", id).contains(id);
        }
      });
      assertThat(o.history(Tag.of("refused"))).as("commits of the refused apply").isEmpty();
      assertThat(o.history(Tag.of("held"))).as("commits of the holder").hasSize(TwoProcessChild.BATCHES);

      ApplyReport rest = o.apply(ApplyOptions.builder().tag("rest").leaseWait(STEP).build());
      assertThat(rest.succeeded()).as("the apply of the rest: %s", rest.render()).isTrue();
      assertThat(o.appliedState()).as("applied state at the end").isEqualTo(expected);
      assertThat(o.staged()).as("staged diffs at the end").isEmpty();

      // one RUN commit per resource, and one RUN handler call: no resource was deployed twice
      Map<ResourceId, List<Commit>> runCommits = o.history().stream().filter(c -> c.action() == Action.RUN)
          .collect(Collectors.groupingBy(Commit::resource, TreeMap::new, Collectors.toList()));
      assertThat(runCommits.keySet()).as("resources with a RUN commit").isEqualTo(expected.resources().keySet());
      assertThat(runCommits).as("RUN commits per resource")
          .allSatisfy((id, commits) -> assertThat(commits).as("RUN commits of %s", id).hasSize(1));
      for (ChildProcess a : appliers) {
        a.lines().stream().filter(l -> l.startsWith("handled RUN ")).map(l -> l.substring("handled RUN ".length()))
            .forEach(runs::add);
      }
      assertThat(runs).as("RUN handler calls in all appliers").doesNotHaveDuplicates()
          .hasSize(expected.resources().size());
      return rest.plan().size();
    }
  }

  /** Both stagers' batches replayed on an in-memory store: the desired state they described. */
  private static DeploymentState expectedDesiredState() {
    Orchestrator reference = MemoryStore.orchestrator();
    for (String stager : List.of("s1", "s2")) {
      for (int k = 0; k < TwoProcessChild.BATCHES; k++) {
        reference.stage(TwoProcessChild.batch(stager, k));
      }
    }
    DeploymentState desired = reference.desiredState();
    assertThat(desired.resources()).hasSize(2 * TwoProcessChild.BATCHES);
    return desired;
  }

  private static ChildProcess child(String name, StoreAddress address, Path logs, String... args) {
    List<String> all = new ArrayList<>(address.toArgs());
    Collections.addAll(all, args);
    return ChildProcess.start(name, TwoProcessChild.class, logs, all);
  }

  private static String line(ChildProcess child, String prefix) {
    return child.lines().stream().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError(child.name() + " printed no line " + prefix + child.diagnostics()));
  }

  private static int planSize(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("started ")).findFirst()
        .map(l -> Integer.parseInt(l.split(" ")[2])).orElseThrow();
  }
}
