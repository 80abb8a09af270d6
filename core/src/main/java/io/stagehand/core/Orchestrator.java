package io.stagehand.core;

import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.apply.ApplyRun;
import io.stagehand.core.apply.LeaseInfo;
import io.stagehand.core.apply.LoggingApplyListener;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.HistoryPage;
import io.stagehand.core.history.Rollback;
import io.stagehand.core.history.RollbackMode;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.apply.Applier;
import io.stagehand.core.internal.apply.AsyncApply;
import io.stagehand.core.internal.apply.KeptPlan;
import io.stagehand.core.internal.history.Rollbacks;
import io.stagehand.core.internal.stage.DesiredState;
import io.stagehand.core.internal.stage.ReplayCache;
import io.stagehand.core.internal.stage.Staging;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.StagingReceipt;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.Selection;
import io.stagehand.core.plan.Selector;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.Store;
import io.stagehand.core.spi.StoreReader;
import io.stagehand.core.spi.StoreWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The object an embedding program holds: it stages edits against a {@link Store}, shows the staged
 * diffs and the desired state, and discards edits. It is thread-safe and holds no state of its own
 * besides the store, so several orchestrators (in several processes) may share one store.
 */
public final class Orchestrator {
  private final Store store;
  /** The desired state replayed by the last stage or plan, while the store says nothing changed. */
  private final ReplayCache replays = new ReplayCache();
  /** The work order of the last plan, with the replay it was planned from, for an apply that follows. */
  private final KeptPlan plans = new KeptPlan(replays);
  private final Optional<ActionHandler> handler;
  private final List<ApplyListener> listeners;
  private final java.time.Clock clock;
  private final boolean logProgress;

  private Orchestrator(Builder b) {
    this.logProgress = b.logProgress;
    this.store = b.store;
    this.handler = Optional.ofNullable(b.handler);
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
  }

  /** An orchestrator over {@code store} that can stage and plan, but not apply (no handler). */
  public static Orchestrator of(Store store) {
    return builder().store(store).build();
  }

  /** An orchestrator over {@code store} that applies through {@code handler}. */
  public static Orchestrator of(Store store, ActionHandler handler) {
    return builder().store(store).handler(handler).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Orchestrator}; only the store is required. */
  public static final class Builder {
    private Store store;
    private ActionHandler handler;
    private final List<ApplyListener> listeners = new ArrayList<>();
    private boolean logProgress = true;
    private java.time.Clock clock = java.time.Clock.systemUTC();

    private Builder() {}

    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Carries out the actions of every apply. */
    public Builder handler(ActionHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Hears every apply's progress. */
    public Builder listener(ApplyListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Whether to log progress through SLF4J ({@link LoggingApplyListener}); on by default. */
    public Builder logProgress(boolean on) {
      this.logProgress = on;
      return this;
    }

    /** The clock for commit times and generated tags; the system's UTC clock by default. */
    public Builder clock(java.time.Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Orchestrator build() {
      if (store == null) {
        throw new InvalidInputException("an orchestrator needs a store");
      }
      return new Orchestrator(this);
    }
  }

  private List<ApplyListener> listenersFor(ApplyOptions options) {
    List<ApplyListener> all = new ArrayList<>(listeners);
    all.addAll(options.listeners());
    return all;
  }

  public Store store() {
    return store;
  }

  // ---------------------------------------------------------------- staging

  /**
   * Validates {@code edits} as one batch against the current desired state and stages them
   * atomically, or throws {@link InvalidInputException} naming the offending resource or input and
   * stages nothing.
   */
  public StagingReceipt stage(List<? extends Edit> edits) {
    return stageKeeping(copy(edits), OptionalLong.empty());
  }

  public StagingReceipt stage(Edit... edits) {
    return stage(Arrays.asList(edits));
  }

  /**
   * Like {@link #stage(List)}, but refused with {@link StagingConflictException} if entries staged
   * after {@code expectedPosition} (the {@link #stagedPosition()} its author last read) touch the same
   * resources: two users staging at once never overwrite each other silently.
   */
  public StagingReceipt stageAt(long expectedPosition, List<? extends Edit> edits) {
    return stageKeeping(copy(edits), OptionalLong.of(expectedPosition));
  }

  /** Stages {@code batch} on the kept replay if it is current, and keeps the result for the plan. */
  private StagingReceipt stageKeeping(List<Edit> batch, OptionalLong expectedPosition) {
    return writeOnDesired((w, desired) ->
        Staging.stage(w, batch, expectedPosition, e -> Optional.empty(), desired));
  }

  /**
   * The write-side twin of {@link #withDesired}: runs {@code work} in a unit of work on the kept
   * replay (or a fresh one), which the work stages onto in place, and keeps it for the next caller
   * once the unit has committed. A unit that throws keeps nothing: its state may be half-staged.
   */
  private <T> T writeOnDesired(java.util.function.BiFunction<StoreWriter, DesiredState, T> work) {
    OptionalLong[] seen = new OptionalLong[1];
    DesiredState[] used = new DesiredState[1];
    T result = store.write(w -> {
      seen[0] = w.changeCount();
      used[0] = plans.desired(w);
      return work.apply(w, used[0]);
    });
    replays.keepAfterCommit(seen[0], used[0]);
    return result;
  }

  private static List<Edit> copy(List<? extends Edit> edits) {
    if (edits == null) {
      throw new InvalidInputException("the batch of edits is missing");
    }
    return new ArrayList<>(edits);
  }

  /** The staged log's position: the sequence number of the last entry ever staged, 0 if none. */
  public long stagedPosition() {
    return store.read(r -> r.staged().position());
  }

  /** The staged entries, oldest first. */
  public List<StagedEntry> stagedEntries() {
    return store.read(r -> r.staged().entries());
  }

  /**
   * The staged diff of every resource with an action, sorted by id: desired minus applied, after
   * propagation through connections.
   */
  public List<Diff> staged() {
    return withDesired((r, d) -> List.copyOf(d.diffs().values()));
  }

  /** The staged diff of one resource, if it has an action. */
  public Optional<Diff> staged(ResourceId id) {
    return withDesired((r, desired) -> {
      Diff d = desired.diff(id);
      return d.action().isPresent() ? Optional.of(d) : Optional.empty();
    });
  }

  /** Drops every staged entry. */
  public void discard() {
    store.write(w -> {
      Staging.discard(w, Set.of());
      return null;
    });
  }

  /**
   * Drops the staged entries of these resources; refused if another resource's staged edits depend
   * on them (the error names it).
   */
  public void discard(ResourceId... ids) {
    Set<ResourceId> set = new TreeSet<>(Arrays.asList(ids));
    if (set.isEmpty()) {
      throw new InvalidInputException("name the resources to discard, or call discard() for all");
    }
    store.write(w -> {
      Staging.discard(w, set);
      return null;
    });
  }

  // ---------------------------------------------------------------- plan and apply

  /**
   * The plan an apply would run now (a dry run): nothing is written. An {@link #apply()} that follows
   * on this orchestrator runs this plan without planning again, if the store has not changed since.
   */
  public Plan plan() {
    return plan(Selection.all());
  }

  /** The plan a partial apply with this selection would run; {@link Plan#leftOut()} says what stays. */
  public Plan plan(Selection selection) {
    Objects.requireNonNull(selection, "selection");
    return store.read(r -> plans.plan(r, selection).plan());
  }

  /**
   * Reads the store with its desired state: the replay kept by the last stage or plan if nothing
   * changed since, else a fresh one, which is then kept for the next caller.
   */
  private <T> T withDesired(java.util.function.BiFunction<StoreReader, DesiredState, T> work) {
    return store.read(r -> {
      DesiredState desired = plans.desired(r);
      T result = work.apply(r, desired);
      replays.keep(r, desired);
      return result;
    });
  }

  /** Applies everything staged with the default options; see {@link #apply(ApplyOptions)}. */
  public ApplyReport apply() {
    return apply(ApplyOptions.defaults());
  }

  /**
   * Plans and applies everything staged now, and returns when every action has ended; under its lease
   * it runs the plan of the last {@link #plan(Selection)} with the same selection instead if the store
   * has not changed since (nothing staged, discarded or applied, by anyone). Each success
   * is committed at once (commit, applied state and consumed staged entries in one unit of work); a
   * failure leaves its staged entries for the next apply and skips its dependents.
   *
   * @throws ApplyInProgressException if another apply holds the store's lease
   */
  public ApplyReport apply(ApplyOptions options) {
    return applier(options).run();
  }

  /**
   * Applies exactly {@code plan}, a plan made earlier (and perhaps saved with {@link Plan#toJson()}
   * and read back with {@link Plan#fromJson}), as {@code terraform apply plan.out} does: under the
   * lease it plans again and refuses with {@link StalePlanException}, running nothing, unless the
   * store is as the plan saw it (same staged entries, marks, owed reactions and commits) and the new
   * plan is the same. The plan's selection is used; {@code options} may not name another.
   */
  public ApplyReport apply(Plan plan, ApplyOptions options) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(options, "options");
    if (!options.selection().isAll() && !options.selection().equals(plan.selection())) {
      throw new InvalidInputException("a saved plan is applied with its own selection (" + plan.selection()
          + "); leave ApplyOptions.selection out");
    }
    ApplyOptions withSelection = ApplyOptions.builder().from(options).selection(plan.selection()).build();
    return applier(withSelection).expecting(plan).run();
  }

  // ---------------------------------------------------------------- drift

  /**
   * Reads every applied resource through the handler's {@link ActionHandler#read} (several at once, as
   * an apply's default parallelism) and reports each whose reality differs from its applied state:
   * changed in an input or output the handler read, or gone. Writes nothing and takes no lease.
   */
  public io.stagehand.core.drift.DriftReport refresh() {
    java.time.Instant start = clock.instant();
    List<io.stagehand.core.model.Resource> applied = store.read(r -> new ArrayList<>(r.state().all()));
    ActionHandler h = handler.orElseThrow(() -> new InvalidInputException(
        "a refresh needs a handler that reads what is there: build the orchestrator with .handler(...)"));
    return io.stagehand.core.internal.drift.Drifts.refresh(applied, h, ApplyOptions.defaults().parallelism(), start);
  }

  /**
   * Stages what brings reality back to the recorded state for each drift of {@code report}: a
   * {@link Edit#touch} of a changed resource (an UPDATE with its recorded inputs), a
   * {@link Edit#replace} of a gone one (its RUN makes it again). Apply them as any staged change; they
   * show in history, and revert like touches and replacements (changing nothing in the state).
   * Refused if a drifted resource changed in the state since the refresh.
   */
  public StagingReceipt repair(io.stagehand.core.drift.DriftReport report) {
    Objects.requireNonNull(report, "report");
    List<Edit> edits = store.read(r -> io.stagehand.core.internal.drift.Drifts.repairEdits(r, report));
    return stage(edits);
  }

  /**
   * Records reality as it is for each drift of {@code report}, as one apply of its own that runs no
   * handler: ADOPT commits with the inputs and outputs found (own inputs; a connected one cannot be
   * adopted), FORGET commits for gone resources. What the adopted inputs feed is left pending, so the
   * next plan updates it. Reverting the apply's tag stages the recorded values back (an UPDATE that
   * runs the handler). Refused, staging nothing, if a drifted resource has staged changes, is pending,
   * or changed since the refresh, or if the adoption would have to apply something else first.
   */
  public ApplyReport adopt(io.stagehand.core.drift.DriftReport report, ApplyOptions options) {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(options, "options");
    if (!options.selection().isAll()) {
      throw new InvalidInputException("an adoption applies its own resources; leave ApplyOptions.selection out");
    }
    // checked and staged in one unit of work: nothing may change the drifted resources in between
    List<List<Edit>> made = new ArrayList<>(1);
    StagingReceipt receipt = writeOnDesired((w, desired) -> {
      List<Edit> edits = io.stagehand.core.internal.drift.Drifts.adoptEdits(w, report);
      made.add(edits);
      return Staging.stage(w, edits, OptionalLong.empty(), e -> Optional.empty(), desired);
    });
    List<Edit> edits = made.get(0);
    List<Long> mine = receipt.entries().stream().map(StagedEntry::sequence).toList();
    try {
      Selection only = new Selection(
          edits.stream().map(e -> Selector.id(e.owner().name())).collect(java.util.stream.Collectors.toSet()),
          java.util.Set.of());
      Plan plan = plan(only);
      List<String> running = plan.actions().stream().filter(a -> a.action().runsHandler())
          .map(a -> a.action() + " " + a.resource()).toList();
      if (!running.isEmpty() || plan.size() != edits.size()) {
        throw new InvalidInputException("cannot adopt: recording what was found would also take " + running
            + " (a change staged or pending upstream, or what a gone resource fed, must be deployed, not recorded);"
            + " apply or repair those first, then refresh again");
      }
      return apply(plan, options);
    } catch (RuntimeException e) {
      // whatever stopped it, the adoption's own entries go (others' stay): an adoption is applied at once or not at all
      store.write(w -> {
        w.removeStaged(mine);
        return null;
      });
      throw e;
    }
  }

  /** {@link #adopt(io.stagehand.core.drift.DriftReport, ApplyOptions)} with a generated tag. */
  public ApplyReport adopt(io.stagehand.core.drift.DriftReport report) {
    return adopt(report, ApplyOptions.defaults());
  }

  /**
   * Who holds the store's apply lease now, since when, and when it expires unless renewed; empty if
   * no apply runs (or the store cannot tell).
   */
  public java.util.Optional<LeaseInfo> leaseHolder() {
    return store.leaseHolder();
  }

  /**
   * Frees the store's apply lease whoever holds it, for an operator who knows its holder is dead
   * (Terraform's {@code force-unlock}). Safe even if the holder is alive: the lease's fencing epoch
   * moves on, so the old holder's commits are refused and it starts no new action.
   */
  public void forceReleaseLease() {
    store.forceReleaseLease();
  }

  /** Starts an apply on a new thread and returns a handle to wait for it or cancel it. */
  public ApplyRun applyAsync(ApplyOptions options) {
    return AsyncApply.start(applier(options));
  }

  private Applier applier(ApplyOptions options) {
    Objects.requireNonNull(options, "options");
    ActionHandler h = handler.orElseThrow(() -> new InvalidInputException(
        "this orchestrator has no ActionHandler; build it with Orchestrator.builder().handler(...) to apply"));
    List<ApplyListener> all = listenersFor(options);
    if (logProgress) {
      all.add(0, new LoggingApplyListener());
    }
    return new Applier(store, h, options, all, clock, plans);
  }

  // ---------------------------------------------------------------- history

  /**
   * The record of every apply, in the order they started: its tag, start and end, outcome (including
   * applies that failed before any commit, and applies whose process stopped in the middle, marked
   * interrupted by the next apply), counts, failures (sensitive values redacted), author and
   * description.
   */
  public List<io.stagehand.core.history.ApplyRecord> applies() {
    return store.read(r -> r.applies());
  }

  /** Every commit: applies in the order they ran, the commits of one apply by index. */
  public List<Commit> history() {
    return store.read(r -> r.commits().page(0, Integer.MAX_VALUE));
  }

  /** One resource's commits, oldest first. */
  public List<Commit> history(ResourceId id) {
    return store.read(r -> r.commits().ofResource(id));
  }

  /** The commits of one apply, by index; empty for an unknown tag. */
  public List<Commit> history(Tag tag) {
    return store.read(r -> r.commits().ofTag(tag));
  }

  /** Up to {@code limit} commits in apply order from {@code offset}, with the total. */
  public HistoryPage historyPage(long offset, int limit) {
    if (offset < 0 || limit < 1) {
      throw new InvalidInputException("a page needs offset >= 0 and limit >= 1, got " + offset + " and " + limit);
    }
    return store.read(r -> new HistoryPage(r.commits().page(offset, limit), offset, r.commits().size()));
  }

  /** The tags of all applies that committed something, in the order they ran. */
  public List<Tag> tags() {
    return store.read(r -> r.commits().tags());
  }

  public Optional<Commit> commit(CommitPosition position) {
    return store.read(r -> r.commits().get(position));
  }

  // ---------------------------------------------------------------- rollback

  /**
   * Stages the undoing of one commit: its resource goes back to its state before the commit,
   * connections included (undoing a removal reconnects its receivers); dependents follow through
   * their connections. Refused if the resource changed again later (the error names the commits).
   */
  public Rollback revert(CommitPosition position) {
    return revert(position, RollbackMode.STRICT);
  }

  public Rollback revert(CommitPosition position, RollbackMode mode) {
    return writeOnDesired((w, d) -> Rollbacks.revertCommit(w, position, mode, d));
  }

  /** Stages the undoing of a resource's last {@code steps} commits. */
  public Rollback revertResource(ResourceId id, int steps) {
    return revertResource(id, steps, RollbackMode.STRICT);
  }

  public Rollback revertResource(ResourceId id, int steps, RollbackMode mode) {
    return writeOnDesired((w, d) -> Rollbacks.revertResource(w, id, steps, mode, d));
  }

  /**
   * Stages the undoing of a whole apply. Refused if a resource it changed was changed again by a
   * later apply (revert those first, use {@link #rollbackTo}, or force).
   */
  public Rollback revert(Tag tag) {
    return revert(tag, RollbackMode.STRICT);
  }

  public Rollback revert(Tag tag, RollbackMode mode) {
    return writeOnDesired((w, d) -> Rollbacks.revertTag(w, tag, mode, d));
  }

  /** Stages the undoing of every apply after {@code tag}, so that applying it gives {@link #stateAt(Tag)}. */
  public Rollback rollbackTo(Tag tag) {
    return rollbackTo(tag, RollbackMode.STRICT);
  }

  public Rollback rollbackTo(Tag tag, RollbackMode mode) {
    return writeOnDesired((w, d) -> Rollbacks.rollbackTo(w, tag, mode, d));
  }

  /** The applied state as it was right after the apply {@code tag} (read-only time travel). */
  public DeploymentState stateAt(Tag tag) {
    return store.read(r -> Rollbacks.stateAt(r, tag));
  }

  /** The applied state as it was right after the commit at {@code position}. */
  public DeploymentState stateAt(CommitPosition position) {
    return store.read(r -> Rollbacks.stateAt(r, position));
  }

  // ---------------------------------------------------------------- state

  /** The applied state: what every resource was last deployed with. */
  public DeploymentState appliedState() {
    return store.read(r -> DeploymentState.of(r.state().all()));
  }

  /** The desired state: the applied state with the staged entries replayed. */
  public DeploymentState desiredState() {
    return withDesired((r, d) -> {
      java.util.TreeMap<ResourceId, Resource> out = new java.util.TreeMap<>();
      for (Resource applied : r.state().all()) {
        out.put(applied.id(), applied);
      }
      for (ResourceId id : d.affected()) {
        Optional<Resource> desired = d.resolved(id);
        if (desired.isPresent()) {
          out.put(id, desired.get());
        } else {
          out.remove(id);
        }
      }
      return new DeploymentState(out);
    });
  }
}
