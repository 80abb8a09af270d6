package io.stagehand.core.internal.apply;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.internal.plan.WorkOrder;
import io.stagehand.core.internal.stage.Numbering;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.plan.Selection;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.CommitDraft;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small apply without a store, for the scheduler's tests: a few actions and their order, a lease
 * that is valid until a test says otherwise, and a commit writer that only records the groups it is
 * given. The log holds what happened, in order, as short lines such as {@code start a#1}.
 */
final class SchedulerFixture {
  private static final Tag TAG = Tag.of("test");

  /** An action as declared: its kind, location, action and the names it comes after. */
  private record Declared(String kind, String location, Action action, List<String> after) {}

  private final Map<String, Declared> declared = new LinkedHashMap<>();
  final AtomicBoolean leaseValid = new AtomicBoolean(true);
  final ApplyEvents events = new ApplyEvents();
  final List<String> log = Collections.synchronizedList(new ArrayList<>());
  final List<List<String>> groups = Collections.synchronizedList(new ArrayList<>());
  final List<Integer> indexes = Collections.synchronizedList(new ArrayList<>());
  final List<Duration> retryDelays = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong sequence = new AtomicLong();
  /** Runs before a group is recorded: a test makes it block or throw. */
  Runnable beforeWrite = () -> {};
  /** Whether the writer, wrongly, returns no commits for the groups it writes. */
  boolean forgetCommits;
  /** Runs in every listener call: a test records the thread. */
  Runnable onListen = () -> {};
  private TaskGraph tasks;

  /** Declares a new resource to create, after {@code after} (declared before it). */
  SchedulerFixture run(String name, String location, String... after) {
    return declare(name, "svc", location, Action.RUN, after);
  }

  SchedulerFixture declare(String name, String kind, String location, Action action, String... after) {
    declared.put(name, new Declared(kind, location, action, List.of(after)));
    return this;
  }

  /** The plan of the declared actions, with their successors, waves and longest remaining paths. */
  Plan plan() {
    Map<String, Set<String>> successors = new HashMap<>();
    declared.forEach((n, d) -> d.after().forEach(p -> successors.computeIfAbsent(p, k -> new TreeSet<>()).add(n)));
    Map<String, Integer> waves = new HashMap<>();
    declared.forEach((n, d) -> waves.put(n, 1 + d.after().stream().mapToInt(waves::get).max().orElse(0)));
    List<String> names = new ArrayList<>(declared.keySet());
    Map<String, Integer> paths = new HashMap<>();
    for (int i = names.size() - 1; i >= 0; i--) {
      String n = names.get(i);
      paths.put(n, 1 + successors.getOrDefault(n, Set.of()).stream().mapToInt(paths::get).max().orElse(0));
    }
    List<PlannedAction> actions = new ArrayList<>();
    declared.forEach((n, d) -> {
      Resource r = Resource.builder().id(ResourceId.of(n)).kind(d.kind()).location(ResourceId.of(d.location())).build();
      actions.add(PlannedAction.builder()
          .resource(r.id())
          .action(d.action())
          .diff(Diff.builder().resource(r.id()).after(r).build())
          .wave(waves.get(n))
          .remainingPath(paths.get(n))
          .predecessors(d.after().stream().map(ResourceId::of).toList())
          .successors(successors.getOrDefault(n, Set.of()).stream().map(ResourceId::of).toList())
          .build());
    });
    return ApiAccess.plans().plan(actions, List::of, 0, Map.of(), new TreeMap<>(), Set.of(), Map.of(),
        Selection.all(), "test");
  }

  /** A work order for the plan that consumes no staged entry. */
  WorkOrder order(Plan plan) {
    return new WorkOrder(plan, new WorkOrder.Consumed(new Numbering()), new HashMap<>(), new HashMap<>(), new HashMap<>());
  }

  /** The tasks of {@code plan}, telling {@link #listener()}. */
  TaskGraph tasks(Plan plan) {
    return new TaskGraph(plan, TAG, events::cancelled, new SafeListeners(List.of(listener())), Clock.systemUTC());
  }

  /** Runs the declared actions with {@code handler} to their outcomes. */
  SchedulerFixture apply(ApplyOptions options, ActionHandler handler) {
    Plan plan = plan();
    tasks = tasks(plan);
    new ApplyScheduler(options, handler, new SafeListeners(List.of(listener())), Clock.systemUTC(), events, lease(),
        order(plan), tasks, this::write).run();
    return this;
  }

  ActionResult result(String name) {
    return tasks.get(ResourceId.of(name)).result();
  }

  /** Where {@code line} stands in the log, or -1. */
  int when(String line) {
    return log.indexOf(line);
  }

  private Map<ResourceId, Commit> write(List<CommitWriter.Item> group, int index, Instant now) {
    beforeWrite.run();
    List<String> names = group.stream().map(i -> i.action().resource().name()).toList();
    log.add("commit " + String.join(",", names));
    groups.add(names);
    indexes.add(index);
    Map<ResourceId, Commit> out = new HashMap<>();
    for (CommitWriter.Item item : group) {
      PlannedAction a = item.action();
      CommitDraft draft = CommitDraft.builder().tag(TAG).index(index + out.size()).diff(a.diff()).action(a.action())
          .time(now).build();
      out.put(a.resource(), Commit.of(draft, CommitPosition.global(sequence.incrementAndGet())));
    }
    return forgetCommits ? Map.of() : out;
  }

  private ApplyListener listener() {
    return new ApplyListener() {
      @Override
      public void actionStarted(PlannedAction action, int attempt) {
        onListen.run();
        log.add("start " + action.resource().name() + "#" + attempt);
      }

      @Override
      public void actionSucceeded(PlannedAction action, ActionResult result, Commit commit) {
        onListen.run();
        log.add("succeeded " + action.resource().name());
      }

      @Override
      public void actionRetrying(PlannedAction action, int attempt, Throwable error, Duration delay) {
        onListen.run();
        retryDelays.add(delay);
      }
    };
  }

  private ApplyLease lease() {
    return new ApplyLease() {
      @Override
      public String holder() {
        return "test";
      }

      @Override
      public boolean isValid() {
        return leaseValid.get();
      }

      @Override
      public long epoch() {
        return 1;
      }

      @Override
      public void close() {}
    };
  }
}
