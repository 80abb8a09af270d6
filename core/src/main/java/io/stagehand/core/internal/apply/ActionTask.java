package io.stagehand.core.internal.apply;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.apply.ActionContext;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.internal.Limits;
import io.stagehand.core.internal.Names;
import io.stagehand.core.internal.stage.InputResolver;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Inputs;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.plan.PlannedAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One planned action as an apply runs it: the {@link ActionContext} its handler is given, and the
 * scheduler's bookkeeping of its attempts, slots and outcome. The bookkeeping is touched only under the
 * scheduler's lock; the handler reads the context, and {@link #attemptCancelled}.
 */
final class ActionTask implements ActionContext {
  private static final ApiAccess.Resources RESOURCES = ApiAccess.resources();
  final PlannedAction planned;
  private final Tag tag;
  /** Whether the whole apply was cancelled; a handler asks through {@link #isCancelled()}. */
  private final BooleanSupplier applyCancelled;
  int waitingFor;
  int attempt;
  boolean running;
  /** Computed on first use: a hash of the planned change, the same in every apply that plans it. */
  private String idempotencyKey;
  /** The attempt whose handler holds this task's location and kind slots, until it returns; 0 if none. */
  int slotHeldBy;
  ActionOutcome outcome;
  String error;
  Instant firstStart;
  Instant end;
  CommitPosition commit;
  /** The thread running the current attempt's handler, for its timeout to interrupt; null until it starts. */
  Thread runner;
  volatile boolean attemptCancelled;
  /** Whether the resource carries a pending mark that its commit must clear. */
  boolean marked;
  /** Whether an interrupted apply planned this action and did not commit it; set before the apply starts. */
  boolean mayHaveRun;
  /**
   * The applied resources of the given ids as they are now, in this apply: set before the apply
   * starts, read when an action with connections from outputs starts.
   */
  Function<Collection<ResourceId>, Map<ResourceId, Resource>> appliedNow;
  /** What the handler sees: the planned diff, with the inputs fed from outputs resolved when it starts. */
  private volatile Diff diff;
  /** The outputs the current attempt put; cleared when an attempt starts. Guarded by itself. */
  private final TreeMap<String, Value> outputs = new TreeMap<>();
  private final TreeSet<String> sensitiveOutputs = new TreeSet<>();
  /** For a REPLACE, the half its handler is called for: REMOVE, then RUN; null for any other action. */
  private volatile Action phase;
  /** For a REPLACE, whether its REMOVE half succeeded in an earlier attempt of this apply. */
  private volatile boolean removed;
  /**
   * Set, under the scheduler's lock and before this task is ready, when a predecessor committed other
   * than planned (its inputs resolved again, or outputs it put): this task resolves its inputs again.
   */
  volatile boolean resolveAgain;

  ActionTask(PlannedAction planned, Tag tag, BooleanSupplier applyCancelled) {
    this.planned = planned;
    this.tag = tag;
    this.applyCancelled = applyCancelled;
    this.waitingFor = planned.predecessors().size();
    this.diff = planned.diff();
  }

  @Override
  public ResourceId resource() {
    return planned.resource();
  }

  @Override
  public String kind() {
    return planned.kind();
  }

  /** The planned action, or for a REPLACE the half its handler is called for: REMOVE, then RUN. */
  @Override
  public Action action() {
    Action half = phase;
    return half != null ? half : planned.action();
  }

  /**
   * Calls {@code handler} for this action once its inputs fed from outputs are resolved; for a
   * REPLACE, first for its REMOVE half (unless an earlier attempt of this apply did it), then for its
   * RUN half.
   */
  void run(ActionHandler handler) throws Exception {
    resolveOutputs();
    if (planned.action() != Action.REPLACE) {
      handler.handle(this);
      return;
    }
    if (!removed) {
      phase = Action.REMOVE;
      handler.handle(this);
      removed = true;
    }
    if (isCancelled()) {
      // timed out or cancelled during the REMOVE half: the RUN half must not start after the apply gave up on it
      throw new java.util.concurrent.CancellationException("cancelled after the REMOVE half of the replacement");
    }
    phase = Action.RUN;
    handler.handle(this);
  }

  @Override
  public Inputs before() {
    Optional<Resource> side = phase == Action.RUN ? Optional.empty() : diff.before();
    return side.map(r -> Inputs.of(r.id(), r.resolvedInputs())).orElseGet(() -> Inputs.none(planned.resource()));
  }

  @Override
  public Inputs after() {
    Optional<Resource> side = phase == Action.REMOVE ? Optional.empty() : diff.after();
    return side.map(r -> Inputs.of(r.id(), r.resolvedInputs())).orElseGet(() -> Inputs.none(planned.resource()));
  }

  @Override
  public SortedSet<String> changedInputs() {
    SortedSet<String> names = new TreeSet<>();
    Action half = phase;
    if (half != null) {
      // a half of a replacement removes, or runs, every input
      Optional<Resource> side = half == Action.REMOVE ? diff.before() : diff.after();
      side.ifPresent(r -> names.addAll(r.resolvedInputs().keySet()));
      return Collections.unmodifiableSortedSet(names);
    }
    diff.changes().forEach(c -> names.add(c.input()));
    return Collections.unmodifiableSortedSet(names);
  }

  @Override
  public Diff diff() {
    return diff;
  }

  @Override
  public void putOutput(String name, Object value) {
    put(name, value, false);
  }

  @Override
  public void putSensitiveOutput(String name, Object value) {
    put(name, value, true);
  }

  private void put(String name, Object value, boolean sensitive) {
    Action a = action();
    if (a != Action.RUN && a != Action.UPDATE) {
      throw new InvalidInputException("cannot put output " + name + " of " + resource() + ": only a RUN or an "
          + "UPDATE records outputs, not " + article(a) + " " + a);
    }
    Names.input(name);
    Value v = value instanceof Value given ? given : Value.from(value);
    Limits.checkDepth(v, "output " + name + " of " + resource());
    synchronized (outputs) {
      outputs.put(name, v);
      if (sensitive) {
        sensitiveOutputs.add(name);
      } else {
        sensitiveOutputs.remove(name);
      }
    }
  }

  private static String article(Action a) {
    return a == Action.IMPORT || a == Action.UPDATE ? "an" : "a";
  }

  /** An attempt starts: what an earlier one put is dropped. */
  void attemptStarts() {
    synchronized (outputs) {
      outputs.clear();
      sensitiveOutputs.clear();
    }
  }

  /**
   * Before the handler runs: resolves again the inputs fed from outputs (directly, or through an
   * input that was known only after apply), with the emitters as committed earlier in this apply or
   * before it, so the handler sees the values of this apply where the plan said
   * {@code (known after apply)}. Refused, failing the action, if an emitter
   * returned no such output.
   */
  void resolveOutputs() {
    Resource after = planned.diff().after().orElse(null);
    if (after == null || appliedNow == null) {
      return;
    }
    List<ResourceId> emitters = after.unknownInputs().isEmpty() && !resolveAgain ? null : new ArrayList<>();
    for (Connection c : after.incoming()) {
      if (emitters == null && c.readsOutput()) {
        emitters = new ArrayList<>();
        break;
      }
    }
    if (emitters == null) {
      return;
    }
    for (Connection c : after.incoming()) {
      emitters.add(c.emitter().resource());
    }
    Map<ResourceId, Resource> now = appliedNow.apply(emitters);
    for (Connection c : after.incoming()) {
      Resource e = now.get(c.emitter().resource());
      // an output the plan could not know of (the emitter runs, or returned none such) must be there now
      if (c.readsOutput() && e != null && !e.outputs().containsKey(c.emitter().input())) {
        throw new InvalidInputException("cannot " + planned.action() + " " + resource() + ": its input "
            + c.receiver().input() + " is connected from the output " + c.emitter() + ", which "
            + e.id() + " did not return (" + (e.outputs().isEmpty() ? "it returned no outputs"
                : "its outputs: " + String.join(", ", e.outputs().keySet())) + ")");
      }
    }
    Resource resolved = InputResolver.resolveOver(after, after.ownInputs(), after.incoming(), now::get, r -> false);
    if (!resolved.equals(after)) {
      diff = Diff.builder().from(planned.diff()).after(resolved).build();
    }
  }

  /**
   * The diff to commit, once the handler returned: the one it saw, whose new state has the outputs it
   * put (for an UPDATE, over those it did not put again).
   */
  Diff committed() {
    Diff seen = diff;
    Resource after = seen.after().orElse(null);
    Action a = planned.action();
    if (after == null || a != Action.RUN && a != Action.UPDATE && a != Action.REPLACE) {
      // an import, an adoption and a reaction record no outputs of their own
      return seen;
    }
    synchronized (outputs) {
      if (planned.action() == Action.UPDATE && outputs.isEmpty()) {
        return seen;
      }
      TreeMap<String, Value> all = new TreeMap<>();
      TreeSet<String> secret = new TreeSet<>();
      if (planned.action() == Action.UPDATE) {
        all.putAll(after.outputs());
        secret.addAll(after.sensitiveOutputs());
        secret.removeAll(outputs.keySet());
      }
      all.putAll(outputs);
      secret.addAll(sensitiveOutputs);
      if (all.equals(after.outputs()) && secret.equals(after.sensitiveOutputs())) {
        return seen;
      }
      return Diff.builder().from(seen).after(RESOURCES.withOutputs(after, all, secret)).build();
    }
  }

  @Override
  public List<String> reactions() {
    return planned.reactions();
  }

  @Override
  public boolean mayHaveRun() {
    return mayHaveRun;
  }

  @Override
  public Tag tag() {
    return tag;
  }

  @Override
  public synchronized String idempotencyKey() {
    if (idempotencyKey == null) {
      idempotencyKey = idempotencyKeyOf(planned, planned.action().name());
    }
    Action half = phase;
    // each half of a replacement is a change of its own
    return half == null ? idempotencyKey : idempotencyKeyOf(planned, planned.action() + "-" + half);
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public boolean isCancelled() {
    return applyCancelled.getAsBoolean() || attemptCancelled;
  }

  /** The location the action works in (after the change, or before it for a removal), if any. */
  Optional<ResourceId> location() {
    return diff.after().or(() -> diff.before()).flatMap(Resource::location);
  }

  /** Settles the task: its outcome, why (for anything but a success), and when it ended. */
  void end(ActionOutcome outcome, String error, Instant end) {
    this.outcome = outcome;
    this.error = error;
    this.end = end;
  }

  ActionResult result() {
    Duration d = firstStart == null ? Duration.ZERO : Duration.between(firstStart, end == null ? firstStart : end);
    return ActionResult.builder()
        .resource(planned.resource())
        .action(planned.action())
        .name(planned.name())
        .outcome(outcome)
        .attempts(attempt)
        .duration(d)
        .error(Optional.ofNullable(error))
        .commit(Optional.ofNullable(commit))
        .build();
  }

  /** A failure's message for reports, or the class name of one without a message. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /**
   * The hex of the first 16 bytes of a SHA-256 over the resource, the action and the canonical text of
   * its before and after states; only what is stable across processes goes in (no hash codes).
   */
  static String idempotencyKeyOf(PlannedAction a, String action) {
    StringBuilder text = new StringBuilder().append(a.resource().name()).append('\n').append(action);
    for (Optional<Resource> state : List.of(a.diff().before(), a.diff().after())) {
      text.append('\n');
      state.ifPresentOrElse(r -> {
        text.append(r.kind()).append('|').append(r.location().map(ResourceId::name).orElse("")).append('|');
        r.ownInputs().forEach((k, v) -> text.append(k).append('=').append(v.toJson()).append(';'));
        text.append('|');
        r.resolvedInputs().forEach((k, v) -> text.append(k).append('=').append(v.toJson()).append(';'));
        text.append('|').append(r.incoming()).append('|').append(r.events()).append('|').append(r.labels());
      }, () -> text.append("absent"));
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
