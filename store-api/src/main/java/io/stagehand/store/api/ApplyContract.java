package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.ApplyInProgressException;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.StalePlanException;
import io.stagehand.core.StoreException;
import io.stagehand.core.apply.ActionContext;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.apply.ApplyRun;
import io.stagehand.core.apply.RetryableActionException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlanEdge;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.plan.Selection;
import io.stagehand.core.plan.Selector;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.PendingReaction;
import io.stagehand.core.spi.Store;
import io.stagehand.core.spi.StoreWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Planning and applying through the public API: order, parallelism, failures, leases, commits. */
public abstract class ApplyContract extends ContractSupport {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

  protected ApplyContract(Supplier<Store> factory) {
    super(factory);
  }

  private static ResourceId id(String name) {
    return ResourceId.of(name);
  }

  /** {@link ContractSupport#with} with a fixed clock, so that commit times can be asserted. */
  @Override
  protected Orchestrator with(ActionHandler handler) {
    return Orchestrator.builder().store(store).handler(handler).logProgress(false)
        .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
  }

  private static final ActionHandler NO_OP = context -> { };

  /** The report as the scenario format prints it. */
  private static List<String> lines(ApplyReport report) {
    return List.of(report.render().split("\n"));
  }

  private void stageKeystoneMove() {
    stage(KEYSTONE_DEPLOYMENT);
    with(NO_OP).apply(ApplyOptions.builder().tag("t1").build());
    stage(KEYSTONE_MOVE);
  }

  @Test
  @DisplayName("the Keystone move is three actions: RUN keystone2, UPDATE haproxy, REMOVE keystone1")
  void keystoneMove() {
    stageKeystoneMove();
    List<String> handled = new CopyOnWriteArrayList<>();
    Plan plan = orchestrator.plan();
    assertThat(plan.render()).isEqualTo("""
        [1] RUN keystone2
        [2] UPDATE haproxy after keystone2
        [3] REMOVE keystone1 after haproxy""");
    ApplyReport report = with(c -> handled.add(c.action() + " " + c.resource() + " " + c.before() + " -> " + c.after()))
        .apply(ApplyOptions.builder().tag("t2").build());
    assertThat(lines(report)).containsExactly("RUN keystone2 ok", "UPDATE haproxy ok", "REMOVE keystone1 ok");
    assertThat(handled).containsExactly(
        "RUN keystone2 {} -> {ip=\"10.0.0.2\", port=5000}",
        "UPDATE haproxy {backends=[\"10.0.0.1\"]} -> {backends=[\"10.0.0.2\"]}",
        "REMOVE keystone1 {ip=\"10.0.0.1\", port=5000} -> {}");
    assertThat(orchestrator.appliedState().render()).isEqualTo("""
        haproxy haproxy backends=["10.0.0.2"]
        keystone2 keystone ip="10.0.0.2" port=5000
        node1 node ip="10.0.0.1"
        node2 node ip="10.0.0.2"
        connections:
        keystone2.ip -> haproxy.backends[]
        node2.ip -> keystone2.ip""");
    assertThat(orchestrator.staged()).isEmpty();
    assertThat(orchestrator.stagedEntries()).isEmpty();
  }

  @Test
  @DisplayName("a reaction's commit clears the pending mark its trigger's commit set")
  void reactionsLeaveNoPendingMark() {
    stage("create config file content=\"v1\"", "create service app", "create lb haproxy",
        "react config UPDATE -> service restart", "react service restart -> lb reload");
    with(NO_OP).apply();
    stage("set config content=\"v2\"");
    ApplyReport report = with(NO_OP).apply();
    assertThat(lines(report)).containsExactly("UPDATE config ok", "restart service ok", "reload lb ok");
    assertThat(store.<java.util.Set<ResourceId>>read(r -> r.staged().pending())).isEmpty();
    assertThat(orchestrator.plan().render()).isEqualTo("nothing to do");
  }

  @Test
  @DisplayName("a reaction that fails stays owed and is planned again with its reason until it runs or is discarded")
  void failedReactionsStayOwed() {
    stage("create config file content=\"v1\"", "create service app", "react config UPDATE -> service restart");
    with(NO_OP).apply();
    AtomicBoolean broken = new AtomicBoolean(true);
    ActionHandler handler = c -> {
      if (c.action() == Action.REACT && broken.get()) {
        throw new IllegalStateException("restart refused");
      }
    };
    stage("set config content=\"v2\"");
    assertThat(lines(with(handler).apply())).containsExactly("UPDATE config ok",
        "restart service failed: restart refused");
    assertThat(store.<List<io.stagehand.core.spi.PendingReaction>>read(r -> r.staged().pendingReactions()))
        .extracting(p -> p.target().name() + " " + p.reaction() + " (" + p.reason() + ")")
        .containsExactly("service restart (reacts to config UPDATE with restart)");
    assertThat(orchestrator.plan().render()).isEqualTo("[1] restart service (pending) (reacts to config UPDATE with restart)");
    assertThat(lines(with(handler).apply())).containsExactly("restart service failed: restart refused");
    broken.set(false);
    assertThat(lines(with(handler).apply())).containsExactly("restart service ok");
    assertThat(orchestrator.plan().render()).isEqualTo("nothing to do");

    broken.set(true);
    stage("set config content=\"v3\"");
    with(handler).apply();
    assertThat(orchestrator.plan().actions()).hasSize(1);
    orchestrator.discard(id("service"));
    assertThat(store.<List<io.stagehand.core.spi.PendingReaction>>read(r -> r.staged().pendingReactions())).isEmpty();
    assertThat(orchestrator.plan().render()).isEqualTo("nothing to do");
  }

  @Test
  @DisplayName("the state and the history read as JSON, sensitive values as (sensitive)")
  void stateAndHistoryAsJson() {
    stage("create n1 node ip=\"10.0.0.1\" +infra", "create db pg @n1 password!=\"pw-9876\" port=5432",
        "connect n1.ip -> db.host");
    with(NO_OP).apply(ApplyOptions.builder().tag("t1").build());
    Value state = Value.parse(orchestrator.appliedState().toJson());
    assertThat(state.toJson()).doesNotContain("pw-9876");
    assertThat(state.asMap().orElseThrow().get("format")).isEqualTo(Value.of(1));
    assertThat(state.asMap().orElseThrow().get("connections")).isEqualTo(Value.list(Value.of("n1.ip -> db.host")));
    Value db = state.asMap().orElseThrow().get("resources").asList().orElseThrow().get(0);
    assertThat(db).isEqualTo(Value.parse("{\"id\":\"db\",\"kind\":\"pg\",\"location\":\"n1\",\"labels\":[],"
        + "\"inputs\":{\"host\":\"10.0.0.1\",\"password\":\"(sensitive)\",\"port\":5432},"
        + "\"sensitive\":[\"password\"],\"events\":[]}"));
    Value history = Value.parse(orchestrator.historyPage(0, 10).toJson());
    assertThat(history.toJson()).doesNotContain("pw-9876");
    List<Value> commits = history.asMap().orElseThrow().get("commits").asList().orElseThrow();
    assertThat(commits).hasSize(2);
    Map<String, Value> first = commits.get(1).asMap().orElseThrow(); // n1 runs first, db after it
    assertThat(first.get("tag")).isEqualTo(Value.of("t1"));
    assertThat(first.get("resource")).isEqualTo(Value.of("db"));
    assertThat(first.get("changes").toJson()).contains("{\"input\":\"password\",\"sensitive\":true,"
        + "\"to\":\"(sensitive)\"}");
  }

  @Test
  @DisplayName("a saved plan applies exactly as reviewed, through JSON too, and is refused once stale")
  void savedPlans() {
    stageKeystoneMove();
    Plan reviewed = orchestrator.plan();
    String json = reviewed.toJson();
    Plan read = Plan.fromJson(json);
    assertThat(read.render()).isEqualTo(reviewed.render());
    assertThat(read.fingerprint()).isEqualTo(reviewed.fingerprint());
    assertThat(read.toJson()).isEqualTo(json);
    long commits = commitCount();
    // a plan edited by hand keeps its fingerprint but is not the plan the store would run
    Plan edited = Plan.fromJson(json.replace("\"action\":\"UPDATE\"", "\"action\":\"REMOVE\""));
    assertThat(edited.fingerprint()).isEqualTo(reviewed.fingerprint());
    assertThat(edited.render()).isNotEqualTo(reviewed.render());
    assertRefusedUnchanged(() -> with(NO_OP).apply(edited, ApplyOptions.defaults()))
        .isInstanceOf(io.stagehand.core.StalePlanException.class).hasMessageContaining("make a new plan");

    stage("create late svc");
    assertRefusedUnchanged(() -> with(NO_OP).apply(read, ApplyOptions.defaults()))
        .isInstanceOf(io.stagehand.core.StalePlanException.class).hasMessageContaining("make a new plan");
    assertThat(commitCount()).isEqualTo(commits);
    orchestrator.discard(id("late"));
    // back to what the plan saw: the same entries, so the same fingerprint
    ApplyReport report = with(NO_OP).apply(read, ApplyOptions.builder().tag("reviewed").build());
    assertThat(lines(report)).containsExactly("RUN keystone2 ok", "UPDATE haproxy ok", "REMOVE keystone1 ok");
    assertThatThrownBy(() -> with(NO_OP).apply(read, ApplyOptions.defaults()))
        .isInstanceOf(io.stagehand.core.StalePlanException.class);

    stage("create a svc +web", "create b svc", "create c svc secret!=\"t0ps3cret\"");
    Plan partial = orchestrator.plan(Selection.only(Selector.label("web")));
    assertThat(partial.toJson()).doesNotContain("t0ps3cret");
    assertRefusedUnchanged(() -> with(NO_OP).apply(Plan.fromJson(partial.toJson()),
        ApplyOptions.builder().selection(Selection.only(Selector.id("b"))).build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("its own selection");
    assertThat(lines(with(NO_OP).apply(Plan.fromJson(partial.toJson()), ApplyOptions.defaults())))
        .containsExactly("RUN a ok", "left out: b (not selected)", "left out: c (not selected)");
    assertThatThrownBy(() -> Plan.fromJson("{\"format\":1}")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Plan.fromJson("[1,")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  @DisplayName("the handler is told which inputs changed, and when only Stagehand's metadata did")
  void handlerIsToldWhatChanged() {
    stage("create web1 nginx port=80 dir=\"/srv\"", "create db pg port=5432", "connect db.port -> web1.db_port");
    Map<ResourceId, ActionContext> seen = new java.util.concurrent.ConcurrentHashMap<>();
    ActionHandler record = c -> seen.put(c.resource(), c);
    with(record).apply();
    assertThat(seen.get(id("web1")).changedInputs()).containsExactly("db_port", "dir", "port");
    assertThat(seen.get(id("web1")).onlyMetadataChanged()).isFalse();
    assertThat(seen.get(id("web1")).after().getString("dir")).isEqualTo("/srv");
    assertThat(seen.get(id("web1")).after().getLong("db_port")).isEqualTo(5432L);
    assertThat(seen.get(id("web1")).before()).isEmpty();

    seen.clear();
    orchestrator.stage(Edit.label("web1", "frontend"));
    with(record).apply();
    ActionContext labelled = seen.get(id("web1"));
    assertThat(labelled.action()).isEqualTo(Action.UPDATE);
    assertThat(labelled.changedInputs()).isEmpty();
    assertThat(labelled.onlyMetadataChanged()).isTrue();
    assertThat(labelled.before()).isEqualTo(labelled.after());

    seen.clear();
    stage("set db port=5433");
    with(record).apply();
    assertThat(seen.get(id("db")).changedInputs()).containsExactly("port");
    assertThat(seen.get(id("web1")).changedInputs()).containsExactly("db_port");
    assertThat(seen.get(id("web1")).before().getLong("db_port")).isEqualTo(5432L);
    assertThat(seen.get(id("web1")).onlyMetadataChanged()).isFalse();
  }

  @Test
  @DisplayName("an IMPORT and a FORGET are committed without calling the handler; what they feed is updated")
  void importAndForgetRunNoHandler() {
    List<String> called = Collections.synchronizedList(new ArrayList<>());
    ActionHandler record = c -> called.add(c.action() + " " + c.resource());
    orchestrator.stage(Edit.importResource("vm1", "vm", Map.of("ip", "10.0.0.9")), Edit.create("web", "app"),
        Edit.connect("vm1.ip", "web.host"));
    ApplyReport imported = with(record).apply(ApplyOptions.builder().tag("t1").build());
    assertThat(imported.plan().actions()).extracting(PlannedAction::action).containsExactly(Action.IMPORT, Action.RUN);
    assertThat(called).containsExactly("RUN web");
    List<Commit> t1 = store.read(r -> r.commits().ofTag(Tag.of("t1")));
    assertThat(t1).extracting(Commit::action).containsExactly(Action.IMPORT, Action.RUN);
    assertThat(applied("vm1")).isTrue();

    called.clear();
    orchestrator.stage(Edit.forget("vm1"));
    with(record).apply(ApplyOptions.builder().tag("t2").build());
    assertThat(called).containsExactly("UPDATE web");
    assertThat(applied("vm1")).isFalse();
    List<Commit> t2 = store.read(r -> r.commits().ofTag(Tag.of("t2")));
    assertThat(t2).extracting(Commit::action).containsExactly(Action.UPDATE, Action.FORGET);
    // read back from the store, the commit's diff still says it only recorded
    assertThat(t2.get(1).diff().action()).contains(Action.FORGET);

    called.clear();
    orchestrator.revert(Tag.of("t2"));
    with(record).apply();
    assertThat(called).containsExactly("UPDATE web");
    assertThat(applied("vm1")).isTrue();
  }

  @Test
  @DisplayName("a touched resource's handler gets an UPDATE with nothing changed, and does not take it for metadata")
  void touchUpdatesWithNothingChanged() {
    Map<ResourceId, ActionContext> seen = new java.util.concurrent.ConcurrentHashMap<>();
    stage("create app web port=80");
    with(NO_OP).apply();
    orchestrator.stage(Edit.touch("app"));
    with(c -> seen.put(c.resource(), c)).apply(ApplyOptions.builder().tag("t2").build());
    ActionContext touched = seen.get(id("app"));
    assertThat(touched.action()).isEqualTo(Action.UPDATE);
    assertThat(touched.changedInputs()).isEmpty();
    assertThat(touched.onlyMetadataChanged()).isFalse();
    assertThat(touched.before()).isEqualTo(touched.after());
    List<Commit> t2 = store.read(r -> r.commits().ofTag(Tag.of("t2")));
    assertThat(t2).extracting(Commit::action).containsExactly(Action.UPDATE);
    // read back from the store, the commit's diff is still an UPDATE
    assertThat(t2.get(0).diff().action()).contains(Action.UPDATE);
  }

  @Test
  @DisplayName("a replaced resource's handler removes it, then runs it again; a retry of the run does not remove it again")
  void replaceRemovesThenRuns() {
    List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.Set<String> keys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    stage("create app web port=80");
    with(NO_OP).apply();
    orchestrator.stage(Edit.replace("app"));
    ApplyReport report = with(c -> {
      calls.add(c.action() + " before=" + c.before() + " after=" + c.after() + " changed=" + c.changedInputs()
          + " attempt=" + c.attempt());
      keys.add(c.idempotencyKey());
      if (c.action() == Action.RUN && c.attempt() == 1) {
        throw new RetryableActionException("the new one did not come up");
      }
    }).apply(ApplyOptions.builder().tag("t2").initialBackoff(Duration.ofMillis(1)).build());
    assertThat(report.succeeded()).isTrue();
    assertThat(calls).containsExactly(
        "REMOVE before={port=80} after={} changed=[port] attempt=1",
        "RUN before={} after={port=80} changed=[port] attempt=1",
        "RUN before={} after={port=80} changed=[port] attempt=2");
    assertThat(keys).as("each half has a key of its own").hasSize(2);
    List<Commit> t2 = store.read(r -> r.commits().ofTag(Tag.of("t2")));
    assertThat(t2).extracting(Commit::action).containsExactly(Action.REPLACE);
    // read back from the store, the commit's diff is still a REPLACE
    assertThat(t2.get(0).diff().action()).contains(Action.REPLACE);
    assertThat(report.results()).extracting(ActionResult::action).containsExactly(Action.REPLACE);
  }

  @Test
  @DisplayName("a replacement that times out in its REMOVE half never starts its RUN half")
  void aTimedOutReplacementDoesNotRunAgain() throws Exception {
    stage("create app web port=80");
    with(NO_OP).apply();
    orchestrator.stage(Edit.replace("app"));
    List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch removeReturned = new CountDownLatch(1);
    ApplyReport report = with(c -> {
      calls.add(c.action() + " attempt " + c.attempt());
      if (c.action() == Action.REMOVE && c.attempt() == 1) {
        // ignores its interrupt and overruns the timeout
        long end = System.nanoTime() + Duration.ofMillis(400).toNanos();
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        removeReturned.countDown();
      }
    }).apply(ApplyOptions.builder().tag("t2").maxAttempts(1).actionTimeout(Duration.ofMillis(100)).build());
    assertThat(report.results()).singleElement().satisfies(r -> assertThat(r.error()).hasValueSatisfying(
        e -> assertThat(e).startsWith("timed out")));
    assertThat(removeReturned.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(200);
    assertThat(calls).containsExactly("REMOVE attempt 1");
  }

  private boolean applied(String id) {
    Boolean present = store.read(r -> r.state().get(id(id)).isPresent());
    return present;
  }

  @Test
  @DisplayName("a commit records its diff, the connections as the plan saw them, its tag, index and time")
  void commitContents() {
    stageKeystoneMove();
    with(NO_OP).apply(ApplyOptions.builder().tag("t2").build());
    List<Commit> t2 = store.read(r -> r.commits().ofTag(Tag.of("t2")));
    assertThat(t2).extracting(Commit::index).containsExactly(0, 1, 2);
    assertThat(t2).extracting(Commit::resource).containsExactly(id("keystone2"), id("haproxy"), id("keystone1"));
    assertThat(t2).allSatisfy(c -> assertThat(c.time()).isEqualTo(T0));
    Commit removal = t2.get(2);
    assertThat(removal.action()).isEqualTo(Action.REMOVE);
    // receivers let go first, so by now the store no longer shows keystone1's outgoing connection:
    // the commit must still hold it, as the plan saw it
    assertThat(removal.diff().connectionsBefore()).containsExactly(
        Connection.collecting("keystone1.ip", "haproxy.backends"), Connection.of("node1.ip", "keystone1.ip"));
    assertThat(removal.diff().connectionsAfter()).isEmpty();
    assertThat(removal.diff().ownChanges()).extracting(Object::toString).containsExactly("port: 5000 -> None");
    assertThat(removal.diff().changes()).extracting(Object::toString)
        .containsExactly("ip: \"10.0.0.1\" -> None", "port: 5000 -> None");
    Commit haproxy = t2.get(1);
    assertThat(haproxy.diff().connectionsBefore()).containsExactly(Connection.collecting("keystone1.ip", "haproxy.backends"));
    assertThat(haproxy.diff().connectionsAfter()).containsExactly(Connection.collecting("keystone2.ip", "haproxy.backends"));
  }

  @Test
  @DisplayName("plans render as text, Mermaid and DOT, with every edge's reason")
  void planRendering() {
    stageKeystoneMove();
    Plan plan = orchestrator.plan();
    assertThat(plan.edges()).extracting(Object::toString).containsExactly(
        "PlanEdge[before=haproxy, after=keystone1, reason=haproxy lets go of keystone1.ip first]",
        "PlanEdge[before=keystone2, after=haproxy, reason=haproxy takes keystone2.ip]");
    assertThat(plan.toMermaid()).isEqualTo("""
        flowchart TD
          a0["RUN keystone2"]
          a1["UPDATE haproxy"]
          a2["REMOVE keystone1"]
          a1 -->|haproxy lets go of keystone1.ip first| a2
          a0 -->|haproxy takes keystone2.ip| a1
        """);
    assertThat(plan.toDot()).contains("\"keystone2\" -> \"haproxy\" [label=\"haproxy takes keystone2.ip\"];");
    assertThat(plan.renderDetailed()).contains("[2] UPDATE haproxy after keystone2\n"
        + "    backends: [\"10.0.0.1\"] -> [\"10.0.0.2\"]\n"
        + "    - keystone1.ip -> haproxy.backends[]\n"
        + "    + keystone2.ip -> haproxy.backends[]");
    assertThat(orchestrator.stagedEntries()).hasSize(4);
  }

  @Test
  @DisplayName("the detailed plan shows input, connection and metadata changes and what was left out")
  void detailedPlanShowsEverything() {
    stage("create n1 node ip=\"10.0.0.1\"", "create web1 nginx @n1 +frontend port=80", "create web2 nginx port=81");
    Plan plan = orchestrator.plan(Selection.only(Selector.id("web1")));
    assertThat(plan.renderDetailed()).isEqualTo("""
        [1] RUN n1
            ip: None -> "10.0.0.1"
        [2] RUN web1 after n1
            port: None -> 80
            @location: None -> n1
            @labels: [] -> [frontend]
        left out: web2 (not selected)""");
  }

  @Test
  @DisplayName("sensitive inputs print as (sensitive) in plans and reach the handler in clear")
  void sensitiveInPlans() {
    orchestrator.stage(Edit.create("db", "postgres", Map.of("password", "s3cret"), Set.of("password")));
    assertThat(orchestrator.plan().renderDetailed()).contains("password: None -> (sensitive)").doesNotContain("s3cret");
    List<Value> seen = new CopyOnWriteArrayList<>();
    with(c -> seen.add(c.after().get("password"))).apply();
    assertThat(seen).containsExactly(Value.of("s3cret"));
    assertThat(orchestrator.appliedState().render()).isEqualTo("db postgres password=(sensitive)");
  }

  @Test
  @DisplayName("independent actions overlap, never more than the parallelism limit")
  void parallelismLimit() {
    for (int i = 0; i < 9; i++) {
      stage("create r" + i + " svc x=" + i);
    }
    AtomicInteger now = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    ApplyReport report = with(c -> {
      int n = now.incrementAndGet();
      max.accumulateAndGet(n, Math::max);
      Thread.sleep(150);
      now.decrementAndGet();
    }).apply(ApplyOptions.builder().parallelism(3).build());
    assertThat(report.succeeded()).isTrue();
    assertThat(max.get()).isEqualTo(3);
  }

  @Test
  @DisplayName("two actions on one location never overlap, while different locations run in parallel")
  void placementLimits() {
    stage("create node1 node", "create node2 node");
    with(NO_OP).apply();
    for (int i = 0; i < 4; i++) {
      stage("create a" + i + " svc @node1", "create b" + i + " svc @node2");
    }
    Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> max = new ConcurrentHashMap<>();
    AtomicInteger overall = new AtomicInteger();
    AtomicInteger overallMax = new AtomicInteger();
    ApplyReport report = with(c -> {
      String node = c.diff().after().orElseThrow().location().orElseThrow().name();
      int n = now.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
      max.computeIfAbsent(node, k -> new AtomicInteger()).accumulateAndGet(n, Math::max);
      overallMax.accumulateAndGet(overall.incrementAndGet(), Math::max);
      Thread.sleep(60);
      overall.decrementAndGet();
      now.get(node).decrementAndGet();
    }).apply(ApplyOptions.builder().parallelism(8).build());
    assertThat(report.succeeded()).isTrue();
    assertThat(max).containsOnlyKeys("node1", "node2");
    assertThat(max.values()).allSatisfy(m -> assertThat(m.get()).isEqualTo(1));
    assertThat(overallMax.get()).isEqualTo(2);
  }

  @Test
  @DisplayName("per-location and per-kind limits can be raised or set")
  void kindLimits() {
    stage("create node1 node");
    with(NO_OP).apply();
    for (int i = 0; i < 6; i++) {
      stage("create a" + i + " svc @node1", "create k" + i + " cache");
    }
    Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> max = new ConcurrentHashMap<>();
    with(c -> {
      int n = now.computeIfAbsent(c.kind(), k -> new AtomicInteger()).incrementAndGet();
      max.computeIfAbsent(c.kind(), k -> new AtomicInteger()).accumulateAndGet(n, Math::max);
      Thread.sleep(60);
      now.get(c.kind()).decrementAndGet();
    }).apply(ApplyOptions.builder().parallelism(8).maxPerLocation(3).putMaxPerKind("cache", 2).build());
    assertThat(max.get("svc").get()).isEqualTo(3);
    assertThat(max.get("cache").get()).isEqualTo(2);
  }

  @Test
  @DisplayName("a partial apply leaves exactly the unselected changes staged")
  void partialApply() {
    stage("create a svc x=1", "create b svc", "connect a.x -> b.y", "create c svc +web", "create d svc +web");
    Plan only = orchestrator.plan(Selection.only(Selector.id("b")));
    assertThat(only.render()).isEqualTo("""
        [1] RUN a
        [2] RUN b after a
        left out: c (not selected)
        left out: d (not selected)""");
    ApplyReport report = with(NO_OP).apply(ApplyOptions.builder()
        .selection(Selection.all().exclude(Selector.label("web"), Selector.id("a")))
        .build());
    assertThat(report.results()).isEmpty();
    assertThat(report.plan().leftOut()).containsOnlyKeys(id("a"), id("b"), id("c"), id("d"));
    assertThat(orchestrator.staged()).hasSize(4);
    report = with(NO_OP).apply(ApplyOptions.builder().selection(Selection.only(Selector.label("web"))).build());
    assertThat(lines(report)).containsExactly("RUN c ok", "RUN d ok", "left out: a (not selected)",
        "left out: b (not selected)");
    assertThat(orchestrator.staged()).extracting(Diff::resource).containsExactly(id("a"), id("b"));
    assertThat(orchestrator.stagedEntries()).extracting(e -> e.owner().name()).containsOnly("a", "b");
    stage("set a x=2");
    report = with(NO_OP).apply(ApplyOptions.builder().selection(Selection.only(Selector.id("a"))).build());
    assertThat(lines(report)).containsExactly("RUN a ok", "left out: b (not selected)");
    // b was left out, but a's commit marks it pending: its change is not lost
    assertThat(orchestrator.staged()).singleElement().satisfies(d -> {
      assertThat(d.resource()).isEqualTo(id("b"));
      assertThat(d.changes()).extracting(Object::toString).containsExactly("y: None -> 2");
    });
    assertThat(lines(with(NO_OP).apply())).containsExactly("RUN b ok");
    assertThat(orchestrator.staged()).isEmpty();
  }

  @Test
  @DisplayName("a dependent never starts before its predecessor's commit is written")
  void dependentsWaitForCommits() {
    stage("create a svc x=1", "create b svc", "create c svc", "connect a.x -> b.y", "connect b.y -> c.z");
    List<String> violations = new CopyOnWriteArrayList<>();
    with(c -> {
      for (Connection in : c.diff().after().orElseThrow().incoming()) {
        ResourceId emitter = in.emitter().resource();
        boolean committed = store.read(r -> !r.commits().ofResource(emitter).isEmpty());
        if (!committed) {
          violations.add(c.resource() + " started before " + emitter + " committed");
        }
      }
    }).apply(ApplyOptions.builder().parallelism(4).build());
    assertThat(violations).isEmpty();
    assertThat(orchestrator.appliedState().get("c").orElseThrow().resolvedInputs()).containsEntry("z", Value.of(1));
  }

  @Test
  @DisplayName("a failure skips exactly its dependents; independent branches go on; a re-apply retries it")
  void failureSkipsDependents() {
    stage("create a svc x=1", "create b svc", "create c svc", "create d svc x=4",
        "connect a.x -> b.y", "connect b.y -> c.z");
    Set<ResourceId> failing = ConcurrentHashMap.newKeySet();
    failing.add(id("b"));
    ActionHandler handler = c -> {
      if (failing.contains(c.resource())) {
        throw new IllegalStateException("disk full on " + c.resource());
      }
    };
    ApplyReport report = with(handler).apply(ApplyOptions.builder().tag("first").build());
    assertThat(lines(report)).containsExactly(
        "RUN a ok", "RUN d ok", "RUN b failed: disk full on b", "RUN c skipped: b failed");
    assertThat(report.results().get(2).attempts()).isEqualTo(1);
    assertThat(report.results().get(3).attempts()).isZero();
    assertThat(orchestrator.appliedState().resources().keySet()).containsExactly(id("a"), id("d"));
    assertThat(orchestrator.staged()).extracting(Diff::resource).containsExactly(id("b"), id("c"));
    assertThat(orchestrator.stagedEntries()).extracting(e -> e.owner().name()).containsOnly("b", "c");

    failing.clear();
    ApplyReport again = with(handler).apply(ApplyOptions.builder().tag("second").build());
    assertThat(lines(again)).containsExactly("RUN b ok", "RUN c ok");
    assertThat(orchestrator.staged()).isEmpty();
    assertThat(orchestrator.stagedEntries()).isEmpty();
  }

  @Test
  @DisplayName("a receiver whose emitter committed but whose own action failed stays pending")
  void pendingAfterPartialFailure() {
    stage("create n1 node ip=\"10.0.0.1\"", "create k1 keystone", "connect n1.ip -> k1.ip");
    with(NO_OP).apply();
    stage("set n1 ip=\"10.0.0.2\"");
    ApplyReport report = with(c -> {
      if (c.resource().equals(id("k1"))) {
        throw new IllegalStateException("k1 down");
      }
    }).apply();
    assertThat(lines(report)).containsExactly("UPDATE n1 ok", "UPDATE k1 failed: k1 down");
    assertThat(orchestrator.stagedEntries()).isEmpty();
    assertThat(orchestrator.staged()).singleElement().satisfies(d -> {
      assertThat(d.resource()).isEqualTo(id("k1"));
      assertThat(d.changes()).extracting(Object::toString).containsExactly("ip: \"10.0.0.1\" -> \"10.0.0.2\"");
    });
    assertThat(lines(with(NO_OP).apply())).containsExactly("UPDATE k1 ok");
    assertThat(orchestrator.staged()).isEmpty();
  }

  @Test
  @DisplayName("fail-fast stops starting actions at the first failure")
  void failFast() {
    stage("create a svc", "create b svc", "create c svc");
    ApplyReport report = with(c -> {
      if (c.resource().equals(id("a"))) {
        throw new IllegalStateException("no");
      }
    }).apply(ApplyOptions.builder().parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).failFast(true).build());
    assertThat(report.results()).extracting(ActionResult::outcome)
        .containsExactly(ActionOutcome.FAILED, ActionOutcome.CANCELLED, ActionOutcome.CANCELLED);
    assertThat(orchestrator.staged()).hasSize(3);
  }

  @Test
  @DisplayName("an attempt that runs past the timeout fails, its handler is interrupted, dependents skip")
  void timeouts() {
    stage("create slow svc x=1", "create after svc", "connect slow.x -> after.y", "create quick svc");
    AtomicBoolean interrupted = new AtomicBoolean();
    ApplyReport report = with(c -> {
      if (c.resource().equals(id("slow"))) {
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException e) {
          interrupted.set(c.isCancelled());
          throw e;
        }
      }
    }).apply(ApplyOptions.builder().actionTimeout(Duration.ofMillis(200)).build());
    assertThat(lines(report)).containsExactly("RUN quick ok", "RUN slow failed: timed out after PT0.2S", "RUN after skipped: slow failed");
    assertThat(report.duration()).isLessThan(Duration.ofSeconds(5));
    await(interrupted::get);
  }

  @Test
  @DisplayName("a handler that ignores its timeout keeps its location's slot until it really returns")
  void timedOutHandlerKeepsItsSlot() {
    stage("create node1 node");
    with(NO_OP).apply();
    stage("create early svc @node1", "create late svc @node1");
    AtomicInteger onNode = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ApplyReport report = with(c -> {
      most.accumulateAndGet(onNode.incrementAndGet(), Math::max);
      try {
        if (c.resource().equals(id("early"))) {
          long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
          while (System.nanoTime() < until) {
            Thread.onSpinWait(); // deaf to the interrupt its timeout sends
          }
        }
      } finally {
        onNode.decrementAndGet();
      }
    }).apply(ApplyOptions.builder().parallelism(2).maxPerLocation(1).actionTimeout(Duration.ofMillis(150))
        .order(ApplyOptions.Order.PLAN_ORDER).build());
    assertThat(most.get()).as("handlers running on node1 at once").isEqualTo(1);
    assertThat(lines(report)).containsExactly("RUN early failed: timed out after PT0.15S", "RUN late ok");
  }

  @Test
  @DisplayName("a listener that throws an Error changes nothing; a handler's Error is a failed action")
  void errorsFromListenersAndHandlers() {
    stage("create a svc", "create b svc", "create c svc");
    ApplyListener hostile = new ApplyListener() {
      @Override
      public void actionStarted(PlannedAction action, int attempt) {
        throw new StackOverflowError("from a listener");
      }

      @Override
      public void actionSucceeded(PlannedAction action, ActionResult result, Commit commit) {
        throw new AssertionError("from a listener");
      }
    };
    // the first unit of work is slow, so that an escape from the apply loop would find it still writing
    HookedStore slow = new HookedStore(store, n -> {
      if (n == 1) {
        sleep(300);
      }
    });
    ApplyReport report = Orchestrator.builder().store(slow).logProgress(false).handler(c -> {
      if (c.resource().equals(id("b"))) {
        throw new ExceptionInInitializerError("from a handler");
      }
    }).build().apply(ApplyOptions.builder().parallelism(1).tag("t").addListeners(hostile).build());
    assertThat(lines(report)).containsExactly("RUN a ok", "RUN b failed: from a handler", "RUN c ok");
    assertThat(orchestrator.history()).extracting(c -> c.resource().name()).containsExactlyInAnyOrder("a", "c");
    // every commit landed before the lease was let go: the next apply gets it at once
    assertThat(store.tryLease("next")).isPresent().get().satisfies(ApplyLease::close);
  }

  @Test
  @DisplayName("a change run again after its commit failed has the same idempotency key; another change, another key")
  void idempotencyKeys() {
    stage("create a svc x=1");
    List<String> keys = new CopyOnWriteArrayList<>();
    HookedStore failing = new HookedStore(store, n -> {
      if (n == 1) {
        throw new io.stagehand.core.StoreException("injected: the commit could not be written");
      }
    });
    ApplyReport first = Orchestrator.builder().store(failing).logProgress(false).handler(c -> keys.add(c.idempotencyKey()))
        .build().apply();
    assertThat(first.succeeded()).isFalse();
    // the handler ran, its commit did not land: the next apply runs the same change again
    assertThat(with(c -> keys.add(c.idempotencyKey())).apply().succeeded()).isTrue();
    stage("set a x=2");
    assertThat(with(c -> keys.add(c.idempotencyKey())).apply().succeeded()).isTrue();
    assertThat(keys).hasSize(3);
    assertThat(keys.get(1)).isEqualTo(keys.get(0)).matches("[0-9a-f]{32}");
    assertThat(keys.get(2)).isNotEqualTo(keys.get(0));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Test
  @DisplayName("only failures marked retryable are retried, with back-off, up to maxAttempts")
  void retries() {
    stage("create flaky svc", "create broken svc", "create hopeless svc");
    Map<ResourceId, AtomicInteger> calls = new ConcurrentHashMap<>();
    List<Long> flakyStarts = Collections.synchronizedList(new ArrayList<>());
    ApplyReport report = with(c -> {
      int n = calls.computeIfAbsent(c.resource(), k -> new AtomicInteger()).incrementAndGet();
      assertThat(c.attempt()).isEqualTo(n);
      switch (c.resource().name()) {
        case "flaky" -> {
          flakyStarts.add(System.nanoTime());
          if (n < 3) {
            throw new RetryableActionException("busy");
          }
        }
        case "broken" -> throw new IllegalArgumentException("bad config");
        default -> throw new RetryableActionException("still busy");
      }
    }).apply(ApplyOptions.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(50)).build());
    assertThat(report.results()).extracting(r -> r.resource().name() + " " + r.outcome() + " " + r.attempts())
        .containsExactly("broken FAILED 1", "flaky SUCCEEDED 3", "hopeless FAILED 4");
    assertThat(report.results().get(2).error()).contains("still busy");
    assertThat(flakyStarts.get(2) - flakyStarts.get(1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(95));
    assertThat(flakyStarts.get(1) - flakyStarts.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(45));
  }

  @Test
  @DisplayName("two applies on one store never run together: the second fails fast or waits, as asked")
  void oneApplyAtATime() throws Exception {
    stage("create a svc");
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ApplyRun first = with(c -> {
      inHandler.countDown();
      release.await();
    }).applyAsync(ApplyOptions.builder().tag("first").build());
    assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> with(NO_OP).apply(ApplyOptions.builder().tag("second").build()))
        .isInstanceOf(ApplyInProgressException.class)
        .hasMessageContaining("another apply is running against this store");
    ApplyRun waiting = with(NO_OP).applyAsync(
        ApplyOptions.builder().tag("third").leaseWait(Duration.ofSeconds(30)).build());
    Thread.sleep(100);
    assertThat(waiting.isDone()).isFalse();
    release.countDown();
    assertThat(lines(first.report(Duration.ofSeconds(10)))).containsExactly("RUN a ok");
    ApplyReport third = waiting.report(Duration.ofSeconds(10));
    assertThat(third.plan().isEmpty()).isTrue();
    assertThat(commitCount()).isEqualTo(1L);
  }

  @Test
  @DisplayName("edits staged while an apply runs are kept for the next apply")
  void stagingDuringApply() throws Exception {
    stage("create a svc x=1", "create b svc x=1");
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ApplyRun run = with(c -> {
      if (c.resource().equals(id("a"))) {
        inHandler.countDown();
        release.await();
      }
    }).applyAsync(ApplyOptions.builder().parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build());
    assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
    stage("set a x=2", "create c svc");
    release.countDown();
    assertThat(lines(run.report(Duration.ofSeconds(10)))).containsExactly("RUN a ok", "RUN b ok");
    assertThat(orchestrator.appliedState().get("a").orElseThrow().ownInputs()).containsEntry("x", Value.of(1));
    assertThat(orchestrator.staged()).extracting(d -> d.resource() + " " + d.action().orElseThrow())
        .containsExactly("a UPDATE", "c RUN");
    assertThat(lines(with(NO_OP).apply())).containsExactly("UPDATE a ok", "RUN c ok");
  }

  @Test
  @DisplayName("cancelling a running apply starts nothing new and lets the running action commit")
  void cancellation() throws Exception {
    stage("create a svc", "create b svc", "create c svc");
    ApplyReport report = cancelledAfterFirstAction(ApplyOptions.builder());
    assertThat(report.cancelled()).isTrue();
    assertThat(report.results()).extracting(ActionResult::outcome)
        .containsExactly(ActionOutcome.SUCCEEDED, ActionOutcome.CANCELLED, ActionOutcome.CANCELLED);
    assertThat(orchestrator.staged()).extracting(Diff::resource).containsExactly(id("b"), id("c"));
  }

  @Test
  @DisplayName("interrupting the thread that applies stops new actions, waits for the running one and returns")
  void interruptingTheApplyingThread() throws Exception {
    stage("create a svc", "create b svc");
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<ApplyReport> report = new java.util.concurrent.atomic.AtomicReference<>();
    Orchestrator o = with(c -> {
      inHandler.countDown();
      release.await();
    });
    Thread applying = new Thread(() -> report.set(
        o.apply(ApplyOptions.builder().parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build())));
    applying.start();
    assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
    applying.interrupt();
    release.countDown();
    applying.join(10_000);
    assertThat(applying.isAlive()).as("the apply returned").isFalse();
    assertThat(report.get().cancelled()).isTrue();
    assertThat(report.get().results()).extracting(ActionResult::outcome)
        .containsExactly(ActionOutcome.SUCCEEDED, ActionOutcome.CANCELLED);
    assertThat(orchestrator.staged()).extracting(Diff::resource).containsExactly(id("b"));
  }

  @Test
  @DisplayName("listeners hear the plan, every start and outcome, and the end")
  void listenerEvents() {
    stage("create a svc x=1", "create b svc", "connect a.x -> b.y");
    List<String> events = new CopyOnWriteArrayList<>();
    ApplyListener listener = new ApplyListener() {
      @Override
      public void planReady(Tag tag, Plan plan) {
        events.add("plan " + tag + " " + plan.size());
      }

      @Override
      public void actionStarted(PlannedAction action, int attempt) {
        events.add("start " + action.resource());
      }

      @Override
      public void actionSucceeded(PlannedAction action, ActionResult result, Commit commit) {
        events.add("commit " + action.resource() + " " + commit.index());
      }

      @Override
      public void applyFinished(ApplyReport report) {
        events.add("done " + report.succeeded());
      }
    };
    with(NO_OP).apply(ApplyOptions.builder().tag("t9").addListeners(listener).build());
    assertThat(events).containsExactly("plan t9 2", "start a", "commit a 0", "start b", "commit b 1", "done true");
  }

  /** The test's store, with a hook that runs before each unit of work and gets its number, from 1. */
  private static final class HookedStore extends ForwardingStore {
    private final IntConsumer beforeWrite;
    private final AtomicInteger writes = new AtomicInteger();

    HookedStore(Store delegate, IntConsumer beforeWrite) {
      super(delegate);
      this.beforeWrite = beforeWrite;
    }

    /**
     * Calls the hook with 1, 2, ... before each unit of work after the apply's first, which writes the
     * apply's record (the hooks are about its commits).
     */
    @Override
    public <T> T write(Function<? super StoreWriter, ? extends T> work) {
      int n = writes.getAndIncrement();
      if (n > 0) {
        beforeWrite.accept(n);
      }
      return super.write(work);
    }
  }


  /** Stages {@code n} independent creations; the latch is for their handlers to count down. */
  private CountDownLatch stageIndependent(int n) {
    for (int i = 0; i < n; i++) {
      stage("create r" + i + " svc x=" + i);
    }
    return new CountDownLatch(n);
  }

  private static List<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  @DisplayName("commits that finish while a group is written share the next unit of work, indexes dense and in order")
  void groupCommits() {
    CountDownLatch allRan = stageIndependent(12);
    // the first unit of work waits until every handler has run, so the others finish together
    HookedStore hooked = new HookedStore(store, n -> await(() -> n > 1 || allRan.getCount() == 0));
    List<Integer> heard = new CopyOnWriteArrayList<>();
    ApplyListener listener = new ApplyListener() {
      @Override
      public void actionSucceeded(PlannedAction action, ActionResult result, Commit commit) {
        heard.add(commit.index());
      }
    };
    ApplyReport report = Orchestrator.builder().store(hooked).handler(c -> allRan.countDown()).logProgress(false)
        .build().apply(ApplyOptions.builder().parallelism(2).tag("g").addListeners(listener).build());
    assertThat(report.succeeded()).isTrue();
    // two more units of work write the apply's record, as it starts and as it ends
    assertThat(hooked.writes.get() - 2).as("units of work for 12 commits").isLessThanOrEqualTo(3);
    assertThat(heard).containsExactlyElementsOf(upTo(12));
    assertThat(store.<List<Commit>>read(r -> r.commits().ofTag(Tag.of("g")))).extracting(Commit::index)
        .containsExactlyElementsOf(upTo(12));
    assertThat(store.<List<Commit>>read(r -> r.commits().page(0, 100))).extracting(Commit::index)
        .containsExactlyElementsOf(upTo(12));
  }

  @Test
  @DisplayName("a group whose unit of work fails fails every action in it, keeps their edits and stops the apply")
  void failedGroupWrite() {
    CountDownLatch allRan = stageIndependent(8);
    // the first group is the first action alone (parallelism 1); the second, failing, the ones after it
    HookedStore hooked = new HookedStore(store, n -> {
      await(() -> allRan.getCount() == 0);
      if (n == 2) {
        throw new StoreException("disk full");
      }
    });
    ApplyReport report = Orchestrator.builder().store(hooked).handler(c -> allRan.countDown()).logProgress(false)
        .build().apply(ApplyOptions.builder().parallelism(1).tag("f").build());
    assertThat(report.succeeded()).isFalse();
    List<ActionResult> failed = report.results().stream().filter(r -> r.outcome() == ActionOutcome.FAILED).toList();
    List<ActionResult> succeeded = report.results().stream()
        .filter(r -> r.outcome() == ActionOutcome.SUCCEEDED).toList();
    assertThat(failed.size()).as("actions of the failed group").isGreaterThanOrEqualTo(2);
    assertThat(failed.size() + succeeded.size()).isEqualTo(8);
    assertThat(failed).allSatisfy(r -> assertThat(r.error().orElseThrow())
        .contains("the commit could not be written").contains("disk full"));
    assertThat(store.<List<Commit>>read(r -> r.commits().ofTag(Tag.of("f")))).extracting(Commit::index)
        .containsExactlyElementsOf(upTo(succeeded.size()));
    assertThat(orchestrator.staged()).extracting(Diff::resource)
        .containsExactlyInAnyOrderElementsOf(failed.stream().map(ActionResult::resource).toList());
  }

  @Test
  @DisplayName("an apply without a handler, with a used tag, or with bad options is refused up front")
  void refusals() {
    stage("create a svc");
    assertRefusedUnchanged(() -> orchestrator.apply())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no ActionHandler");
    with(NO_OP).apply(ApplyOptions.builder().tag("t1").build());
    stage("create b svc");
    assertRefusedUnchanged(() -> with(NO_OP).apply(ApplyOptions.builder().tag("t1").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("tag t1 is already used");
    assertThatThrownBy(() -> ApplyOptions.builder().parallelism(0).maxAttempts(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("parallelism must be at least 1")
        .hasMessageContaining("maxAttempts must be at least 1");
  }

  @Test
  @DisplayName("an apply with nothing staged does nothing; edits that cancel out are cleared by it")
  void nothingToDo() {
    ApplyReport empty = with(NO_OP).apply();
    assertThat(empty.render()).isEqualTo("nothing to do");
    stage("create a svc x=1");
    with(NO_OP).apply();
    stage("set a x=2", "set a x=1");
    assertThat(orchestrator.plan().isEmpty()).isTrue();
    with(NO_OP).apply();
    assertThat(orchestrator.stagedEntries()).isEmpty();
    assertThat(commitCount()).isEqualTo(1L);
  }
}
