package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.StoreException;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.ApplyOutcome;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.StoreReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kills a child JVM ({@link CrashChild}) with SIGKILL at random moments of an apply, on a SQLite file
 * (opened as {@link JdbcStore#sqliteFile} opens it: WAL, {@code synchronous=FULL}) and on PostgreSQL, with both commit logs, and checks after every kill, in this JVM, that
 * the store holds exactly "the commits that finished, and staged entries for the rest" (DESIGN.md
 * section 8): every commit came with its state update and its consumed entries gone, nothing else
 * changed, and a commit the child was told about survived the kill.
 *
 * <p>Each run stages a change once per phase and lets children apply it, killing them while they
 * make progress; the next child re-applies what is left, and at the end of the phase an apply in
 * this JVM finishes the rest. A run goes on with new phases (updates, removals, re-creations) until
 * it has 5 kills (by default); four runs give 20. {@code -Dstagehand.crash.seed=<n>} replays
 * a run's random choices (kill moments still depend on timing).
 *
 * <p>A database that reports its own file damaged, or that answers one question two ways (a scan
 * finds a resource that a lookup by id misses), fails the run as such, named apart from a broken
 * Stagehand guarantee.
 */
class CrashTest {
  /** Kills per run; {@code -Dstagehand.crash.kills=<n>} asks for more, to hunt a rare failure. */
  private static final int KILLS_PER_RUN = Integer.getInteger("stagehand.crash.kills", 5);
  private static final int MAX_KILLS_PER_PHASE = 3;
  private static final int MAX_PHASES = 12 + 2 * KILLS_PER_RUN;
  private static final int CHAINS = 4;
  private static final int CHAIN_LENGTH = 7;
  private static final int STANDALONES = 7;
  private static final Duration STARTUP = Duration.ofSeconds(60);
  /** Children starting up ahead of need (2 cores: their start-up overlaps the current child's apply). */
  private static final int SPARES = 1;

  @TempDir static Path logs;
  private static final Deque<ChildProcess> spares = new ArrayDeque<>();
  private static int spawned;

  @AfterAll
  static void killSpares() {
    spares.forEach(ChildProcess::close);
    spares.clear();
  }

  /** The next child, ready or about to be, with {@value #SPARES} more starting up behind it. */
  private static ChildProcess nextChild() {
    while (spares.size() < SPARES + 1) {
      // a PostgreSQL URL for the warm-up only: the children learn their store when told to go
      String warmUp = TestDatabases.postgresServer().getJdbcUrl("postgres", "postgres");
      spares.add(ChildProcess.start("child-" + spawned++, CrashChild.class, logs, List.of("warm-up=" + warmUp)));
    }
    return spares.poll();
  }

  enum Database { SQLITE, POSTGRES }

  /** Every database and commit log; {@code -Dstagehand.crash.database=SQLITE} (or POSTGRES) runs one database's. */
  static Stream<Arguments> runs() {
    String only = System.getProperty("stagehand.crash.database", "");
    return Stream.of(Database.values()).filter(d -> only.isEmpty() || d.name().equals(only))
        .flatMap(d -> Stream.of(CommitLogVariant.GLOBAL, CommitLogVariant.PER_RESOURCE).map(v -> Arguments.of(d, v)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("runs")
  @Timeout(value = 100, unit = TimeUnit.SECONDS)
  void applyKilledAtRandomMomentsLeavesFinishedCommitsAndStagedRest(Database database, CommitLogVariant variant,
      @TempDir Path dir) throws Exception {
    long seed = Long.getLong("stagehand.crash.seed", System.nanoTime());
    HikariDataSource postgres = database == Database.POSTGRES ? TestDatabases.newPostgres() : null;
    try {
      StoreAddress address = postgres != null ? StoreAddress.postgres(postgres, variant)
          : StoreAddress.sqlite(dir.resolve("stagehand.db"), variant);
      new Run(address, new Random(seed), database + "/" + variant + " seed=" + seed).run();
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  /** One database's sequence of phases, and what it saw. */
  private static final class Run {
    private final StoreAddress address;
    private final Random random;
    private final String name;
    private final List<String> kills = new ArrayList<>();
    private int children;
    private long started;

    Run(StoreAddress address, Random random, String name) {
      this.address = address;
      this.random = random;
      this.name = name;
    }

    void run() throws Exception {
      started = System.nanoTime();
      List<String> phases = new ArrayList<>();
      for (int phase = 0; kills.size() < KILLS_PER_RUN; phase++) {
        assertThat(phase).as("%s: phases needed to reach %d kills (children kept finishing before the kill)",
            name, KILLS_PER_RUN).isLessThan(MAX_PHASES);
        try {
          phases.add(phase(phase));
        } catch (DatabaseDamaged e) {
          String what = name + ": the database damaged itself in phase " + phase + " after " + kills.size()
              + " kills (commits seen at each kill " + kills + "): " + e.getMessage();
          throw new AssertionError(what, e);
        } catch (RuntimeException e) {
          // name the run: four runs share this test method, and the seed replays its choices
          throw new AssertionError(name + ": phase " + phase + " failed (commits seen at each kill so far "
              + kills + "; phases " + phases + "): " + e, e);
        }
      }
      System.out.printf("CrashTest %s: %d kills, %d children, %.1f s; commits seen at each kill %s; phases %s%n",
          name, kills.size(), children, (System.nanoTime() - started) / 1e9, kills, phases);
    }

    /** Stages one change, lets children apply it until one finishes or enough were killed, then finishes it here. */
    private String phase(int phase) throws Exception {
      PhaseStart start = withStore(o -> {
        DeploymentState applied = o.appliedState();
        lookupsAgree(o, applied, "at the start of phase " + phase);
        o.stage(phase == 0 ? deployment() : change(applied, phase, random));
        return new PhaseStart(o.desiredState(), o.stagedEntries(), o.plan().size());
      });
      Set<ResourceId> committed = new TreeSet<>();
      int killed = 0;
      boolean finishedByChild = false;
      while (!finishedByChild && killed < MAX_KILLS_PER_PHASE && kills.size() < KILLS_PER_RUN) {
        Child child = runChild(phase);
        int seen = check(start, child.tag(), child.reported(), committed, child.diagnostics());
        if (child.killed()) {
          killed++;
          kills.add(seen + "/" + start.actions());
        } else {
          finishedByChild = true;
        }
      }
      // an apply in this JVM, a new process as far as the store knows, finishes the rest
      Tag last = Tag.of("p" + phase + "-final");
      ApplyReport report = withStore(o -> Orchestrator.builder().store(o.store()).handler(c -> { }).build()
          .apply(ApplyOptions.builder().tag(last).leaseWait(Duration.ofSeconds(10)).build()));
      assertThat(report.succeeded()).as("%s: the final apply of phase %d: %s", name, phase, report.render()).isTrue();
      if (finishedByChild) {
        assertThat(report.plan().isEmpty()).as("%s: a child finished phase %d, yet there is more to do: %s",
            name, phase, report.plan().render()).isTrue();
      }
      Set<ResourceId> reported = report.results().stream().filter(r -> r.commit().isPresent())
          .map(r -> r.resource()).collect(Collectors.toCollection(TreeSet::new));
      check(start, last.name(), reported, committed, "(the final apply in the test JVM)");
      withStore(o -> {
        assertThat(o.appliedState()).as("%s: applied state after phase %d", name, phase).isEqualTo(start.desired());
        assertThat(o.staged()).as("%s: staged diffs after phase %d", name, phase).isEmpty();
        assertThat(o.stagedEntries()).as("%s: staged entries after phase %d", name, phase).isEmpty();
        // a killed child's record stays running until an apply after it marks it interrupted
        assertThat(o.applies()).as("%s: apply records after phase %d", name, phase)
            .noneMatch(r -> r.outcome() == ApplyOutcome.RUNNING)
            .anyMatch(r -> r.tag().equals(last) && r.outcome() == ApplyOutcome.SUCCEEDED);
        return null;
      });
      return start.actions() + " actions/" + killed + " kills";
    }

    /** Lets the next child apply the staged change, kills it a random 0-600 ms into its apply, and returns what it said. */
    private Child runChild(int phase) throws Exception {
      int parallelism = 1 + random.nextInt(4);
      long delay = random.nextInt(601);
      try (ChildProcess child = nextChild()) {
        children++;
        String tag = "p" + phase + "-" + child.name();
        child.await("ready", STARTUP);
        List<String> go = new ArrayList<>(List.of("go", "tag=" + tag, "parallelism=" + parallelism));
        go.addAll(address.toArgs());
        child.send(String.join("\t", go));
        try {
          child.await("started", STARTUP);
        } catch (AssertionError e) {
          if (damaged(child)) {
            throw new DatabaseDamaged(tag + " could not open it" + child.diagnostics());
          }
          throw e;
        }
        Thread.sleep(delay);
        boolean wasRunning = child.kill();
        List<String> lines = child.lines();
        boolean finished = lines.stream().anyMatch(l -> l.startsWith("finished "));
        if (!wasRunning && !finished && damaged(child)) {
          throw new DatabaseDamaged(tag + " could not read it" + child.diagnostics());
        }
        if (!wasRunning) {
          // it ended on its own before the kill: only a finished, successful apply may do that
          assertThat(finished).as("%s: %s ended by itself without finishing%s", name, tag, child.diagnostics()).isTrue();
          assertThat(child.awaitExit(Duration.ofSeconds(1))).as("%s: exit code of %s%s", name, tag,
              child.diagnostics()).isZero();
        }
        Set<ResourceId> reported = lines.stream().filter(l -> l.startsWith("committed "))
            .map(l -> ResourceId.of(l.substring("committed ".length())))
            .collect(Collectors.toCollection(TreeSet::new));
        // a kill that lands after "finished" (the JVM was exiting) did not interrupt the apply
        return new Child(tag, wasRunning && !finished, reported, "\n(" + tag + ": parallelism "
            + parallelism + ", killed " + delay + " ms after start)" + child.diagnostics());
      }
    }

    /** Whether {@code child} failed on a database file that reported itself damaged. */
    private static boolean damaged(ChildProcess child) {
      return child.diagnostics().contains("database file is damaged");
    }

    /**
     * The checks after every child, killed or not: returns how many commits the apply {@code tag}
     * left. {@code committed} collects the resources committed in this phase so far.
     */
    private int check(PhaseStart start, String tag, Set<ResourceId> reported, Set<ResourceId> committed,
        String context) throws Exception {
      return withStore(o -> {
        List<Commit> commits = o.history(Tag.of(tag));
        Map<ResourceId, Long> perResource = commits.stream()
            .collect(Collectors.groupingBy(Commit::resource, TreeMap::new, Collectors.counting()));
        assertThat(perResource).as("%s: commits per resource in %s%s", name, tag, context).allSatisfy(
            (id, n) -> assertThat(n).as("commits of %s", id).isEqualTo(1));
        assertThat(perResource.keySet()).as("%s: commits the child reported but %s does not hold%s", name, tag, context)
            .containsAll(reported);
        assertThat(perResource.keySet()).as("%s: resources committed again in the same phase by %s%s", name, tag,
            context).noneMatch(committed::contains);
        committed.addAll(perResource.keySet());

        // the applied state is the replay of the whole commit log: no commit without its state
        // update, no state update without its commit
        DeploymentState applied = o.appliedState();
        TreeMap<ResourceId, Resource> replay = new TreeMap<>();
        for (Commit c : o.history()) {
          if (c.diff().after().isPresent()) {
            replay.put(c.resource(), c.diff().after().get());
          } else {
            replay.remove(c.resource());
          }
        }
        assertThat(applied.resources()).as("%s: applied state vs. the replayed commit log after %s%s", name, tag,
            context).isEqualTo(replay);
        // and each applied resource is found by its id, in a read and in a unit of work (which reads
        // at another isolation level): staging looks resources up by id in a unit of work
        lookupsAgree(o, applied, "after " + tag + context);
        for (Commit c : commits) {
          assertThat(applied.get(c.resource())).as("%s: applied state of %s after its commit in %s%s", name,
              c.resource(), tag, context).isEqualTo(c.diff().after());
        }

        // the entries of every resource committed in this phase are gone, all others remain
        List<Long> expected = start.entries().stream().filter(e -> !committed.contains(e.owner()))
            .map(StagedEntry::sequence).toList();
        assertThat(o.stagedEntries()).as("%s: staged entries after %s (committed this phase: %s)%s", name, tag,
            committed, context).extracting(StagedEntry::sequence).containsExactlyElementsOf(expected);
        // and so nothing was lost: applied plus staged still describes the same target
        assertThat(o.desiredState()).as("%s: desired state after %s%s", name, tag, context)
            .isEqualTo(start.desired());
        return commits.size();
      });
    }

    /**
     * Checks that each resource of {@code applied} (read by a scan) is found by its id, in a read and
     * in a unit of work (which reads at another isolation level), as staging looks resources up; a
     * miss is the database contradicting itself, as no writer runs in between.
     */
    private static void lookupsAgree(Orchestrator o, DeploymentState applied, String when) {
      Function<StoreReader, List<ResourceId>> unfound = r -> applied.resources().keySet().stream()
          .filter(id -> r.state().get(id).isEmpty()).toList();
      List<ResourceId> unread = o.store().read(unfound);
      List<ResourceId> unwritten = o.store().write(unfound::apply);
      if (!unread.isEmpty() || !unwritten.isEmpty()) {
        throw new DatabaseDamaged(when + ": a scan of the applied state finds " + applied.resources().keySet()
            + ", but a lookup by id in a read misses " + unread + " and in a unit of work " + unwritten);
      }
    }

    /** Opens the store in this JVM for one piece of work, and closes it again, as a new process would. */
    private <T> T withStore(Function<Orchestrator, T> work) throws Exception {
      StoreAddress.Opened opened;
      try {
        opened = address.open();
      } catch (StoreException e) {
        if (e.getMessage().contains("database file is damaged")) {
          throw new DatabaseDamaged("the test could not open it: " + e.getMessage());
        }
        throw e;
      }
      try (opened) {
        return work.apply(Orchestrator.builder().store(opened.store()).logProgress(false).build());
      }
    }
  }

  /** The database reported its own file damaged, or answered the same question two ways. */
  private static final class DatabaseDamaged extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DatabaseDamaged(String message) {
      super(message);
    }
  }

  private record PhaseStart(DeploymentState desired, List<StagedEntry> entries, int actions) {}

  private record Child(String tag, boolean killed, Set<ResourceId> reported, String diagnostics) {}

  // ------------------------------------------------------------------ what is staged

  private static String node(int chain, int i) {
    return "c" + chain + "-" + i;
  }

  /**
   * The first phase: {@value #CHAINS} chains of {@value #CHAIN_LENGTH} nodes, each passing its
   * {@code ip} down the chain, whose ends all feed the collecting input {@code lb.backends}, plus
   * {@value #STANDALONES} unconnected resources: 36 actions in 8 waves.
   */
  private static List<Edit> deployment() {
    List<Edit> edits = new ArrayList<>();
    edits.add(Edit.create("lb", "haproxy", Map.of("mode", "tcp")));
    for (int c = 0; c < CHAINS; c++) {
      edits.add(Edit.create(node(c, 0), "node", Map.of("ip", "10." + c + ".0.1", "port", 1000 * c)));
      for (int i = 1; i < CHAIN_LENGTH; i++) {
        edits.addAll(link(c, i));
      }
      edits.add(Edit.connectCollecting(node(c, CHAIN_LENGTH - 1) + ".ip", "lb.backends"));
    }
    for (int s = 0; s < STANDALONES; s++) {
      edits.add(Edit.create("s" + s, "app", Map.of("n", s)));
    }
    return edits;
  }

  private static List<Edit> link(int chain, int i) {
    return List.of(Edit.create(node(chain, i), "service", Map.of("port", 8000 + i)),
        Edit.connect(node(chain, i - 1) + ".ip", node(chain, i) + ".ip"));
  }

  /**
   * A later phase: new addresses at the roots of two or three chains (an update flows down each
   * chain into {@code lb}), one chain's end removed or brought back (receivers let go first), and
   * standalones set, removed or re-created.
   */
  private static List<Edit> change(DeploymentState applied, int phase, Random r) {
    List<Edit> edits = new ArrayList<>();
    List<Integer> chains = new ArrayList<>(List.of(0, 1, 2, 3));
    Collections.shuffle(chains, r);
    for (int c : chains.subList(0, 2 + r.nextInt(2))) {
      edits.add(Edit.set(node(c, 0), "ip", "10." + c + "." + phase + "." + (1 + r.nextInt(250))));
    }
    int toggled = chains.get(0);
    String end = node(toggled, CHAIN_LENGTH - 1);
    if (applied.get(end).isPresent()) {
      edits.add(Edit.remove(end));
    } else {
      edits.addAll(link(toggled, CHAIN_LENGTH - 1));
      edits.add(Edit.connectCollecting(end + ".ip", "lb.backends"));
    }
    for (int s = 0; s < STANDALONES; s++) {
      String id = "s" + s;
      int dice = r.nextInt(4);
      if (applied.get(id).isEmpty()) {
        edits.add(Edit.create(id, "app", Map.of("n", s)));
      } else if (dice < 2) {
        edits.add(Edit.set(id, "n", phase * 100 + s));
      } else if (dice == 2) {
        edits.add(Edit.remove(id));
      }
    }
    return edits;
  }
}
