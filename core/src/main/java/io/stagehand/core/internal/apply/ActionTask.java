package io.stagehand.core.internal.apply;

import io.stagehand.core.apply.ActionContext;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Inputs;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.PlannedAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * One planned action as an apply runs it: the {@link ActionContext} its handler is given, and the
 * scheduler's bookkeeping of its attempts, slots and outcome. The bookkeeping is touched only under the
 * scheduler's lock; the handler reads the context, and {@link #attemptCancelled}.
 */
final class ActionTask implements ActionContext {
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

  ActionTask(PlannedAction planned, Tag tag, BooleanSupplier applyCancelled) {
    this.planned = planned;
    this.tag = tag;
    this.applyCancelled = applyCancelled;
    this.waitingFor = planned.predecessors().size();
  }

  @Override
  public ResourceId resource() {
    return planned.resource();
  }

  @Override
  public String kind() {
    return planned.kind();
  }

  @Override
  public Action action() {
    return planned.action();
  }

  @Override
  public Inputs before() {
    return planned.diff().before().map(r -> Inputs.of(r.id(), r.resolvedInputs()))
        .orElseGet(() -> Inputs.none(planned.resource()));
  }

  @Override
  public Inputs after() {
    return planned.diff().after().map(r -> Inputs.of(r.id(), r.resolvedInputs()))
        .orElseGet(() -> Inputs.none(planned.resource()));
  }

  @Override
  public SortedSet<String> changedInputs() {
    SortedSet<String> names = new TreeSet<>();
    planned.diff().changes().forEach(c -> names.add(c.input()));
    return Collections.unmodifiableSortedSet(names);
  }

  @Override
  public Diff diff() {
    return planned.diff();
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
      idempotencyKey = idempotencyKeyOf(planned);
    }
    return idempotencyKey;
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
    return planned.diff().after().or(() -> planned.diff().before()).flatMap(Resource::location);
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
  static String idempotencyKeyOf(PlannedAction a) {
    StringBuilder text = new StringBuilder().append(a.resource().name()).append('\n').append(a.action().name());
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
