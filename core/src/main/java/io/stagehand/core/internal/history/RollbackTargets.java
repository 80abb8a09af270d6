package io.stagehand.core.internal.history;

import com.google.common.collect.Iterables;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.InputRef;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The state each resource of an undo returns to: as it was before its earliest commit undone, connections
 * included, outgoing ones too (so that undoing a removal reconnects receivers that are not undone), less
 * the connections that cannot be restored.
 */
final class RollbackTargets {
  private final Function<ResourceId, Optional<Resource>> current;
  /** Per resource undone, its target; absent where the target is that the resource does not exist. */
  private final SortedMap<ResourceId, Optional<Resource>> states = new TreeMap<>();
  private final Map<ResourceId, Tag> revertOf = new HashMap<>();
  /** The resources whose earliest undone commit imported them, and whose latest undone one forgot them. */
  private final Set<ResourceId> imported = new HashSet<>();
  private final Set<ResourceId> forgotten = new HashSet<>();
  /** Connections out of restored resources, per receiver that is not undone itself. */
  private final SortedMap<ResourceId, TreeSet<Connection>> restoreInto = new TreeMap<>();

  private RollbackTargets(Function<ResourceId, Optional<Resource>> current) {
    this.current = current;
  }

  /** The targets of {@code undo}, read against {@code current}, the desired state the undo starts from. */
  static RollbackTargets of(UndoSelection undo, Function<ResourceId, Optional<Resource>> current) {
    RollbackTargets t = new RollbackTargets(current);
    Map<ResourceId, Commit> earliest = new HashMap<>();
    undo.byResource().forEach((id, commits) -> {
      Commit first = commits.get(0);
      earliest.put(id, first);
      if (first.action() == Action.IMPORT) {
        t.imported.add(id);
      }
      if (commits.get(commits.size() - 1).action() == Action.FORGET) {
        t.forgotten.add(id);
      }
      t.states.put(id, first.diff().before());
      t.revertOf.put(id, first.tag());
    });
    t.states.forEach((id, target) -> {
      if (target.isPresent()) {
        for (Connection c : earliest.get(id).diff().connectionsBefore()) {
          ResourceId q = c.receiver().resource();
          if (c.emitter().resource().equals(id) && !t.states.containsKey(q)) {
            t.restoreInto.computeIfAbsent(q, k -> new TreeSet<>()).add(c);
          }
        }
      }
    });
    return t;
  }

  /**
   * True if undoing brings {@code id} back to before its import: it leaves the state as it came, by a
   * forget, and its handler never runs.
   */
  boolean undoesImport(ResourceId id) {
    return imported.contains(id);
  }

  /** True if undoing brings back {@code id}, which was forgotten: it returns by an import. */
  boolean undoesForget(ResourceId id) {
    return forgotten.contains(id);
  }

  /** The target of each resource undone, by id; absent where it is not to exist. */
  SortedMap<ResourceId, Optional<Resource>> states() {
    return Collections.unmodifiableSortedMap(states);
  }

  /** The connections to make into receivers that are not undone themselves, by receiver. */
  List<Connection> restoredInto() {
    List<Connection> out = new ArrayList<>();
    restoreInto.values().forEach(out::addAll);
    return out;
  }

  /** Every resource the rollback edits: those undone and the receivers it reconnects. */
  Set<ResourceId> touched() {
    Set<ResourceId> touched = new TreeSet<>(states.keySet());
    touched.addAll(restoreInto.keySet());
    return touched;
  }

  /** The resource's definition in the desired state the undo starts from. */
  Optional<Resource> current(ResourceId id) {
    return current.apply(id);
  }

  /** The apply whose undo brings {@code id} back. */
  Tag tagOf(ResourceId id) {
    return revertOf.get(id);
  }

  /** The apply whose undo restores {@code c}: its receiver's, or else its emitter's. */
  Tag tagOf(Connection c) {
    return revertOf.getOrDefault(c.receiver().resource(), revertOf.get(c.emitter().resource()));
  }

  /** True if {@code id} will exist once the targets are reached. */
  boolean willExist(ResourceId id) {
    return states.containsKey(id) ? states.get(id).isPresent() : current(id).isPresent();
  }

  /**
   * Drops the connections that cannot be restored, naming each in {@code findings}: one whose other end
   * will not exist, whose emitter input would have no value, or whose receiver input is now taken.
   */
  void prune(RollbackFindings findings) {
    pruneIncoming(findings);
    pruneRestoreInto(findings);
  }

  private void pruneIncoming(RollbackFindings findings) {
    // dropping one connection may leave an input another one needs without a value: go on until none is dropped
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<ResourceId, Optional<Resource>> e : states.entrySet()) {
        if (e.getValue().isEmpty()) {
          continue;
        }
        Resource r = e.getValue().get();
        TreeSet<Connection> incoming = restorableIncoming(r, findings);
        if (incoming.size() != r.incoming().size()) {
          e.setValue(Optional.of(Resource.builder().from(r).incoming(incoming).build()));
          changed = true;
        }
      }
      if (findings.hasConflicts()) {
        break;
      }
    }
  }

  private TreeSet<Connection> restorableIncoming(Resource r, RollbackFindings findings) {
    Optional<Resource> now = current(r.id());
    TreeSet<Connection> incoming = new TreeSet<>();
    for (Connection c : r.incoming()) {
      Optional<String> problem = Optional.empty();
      if (!willExist(c.emitter().resource())) {
        problem = Optional.of(findings.missing("restoring " + c, c.emitter().resource()));
      } else if (!isThere(now, c) && !valueWillExist(c)) {
        problem = Optional.of(noValue(c));
      }
      problem.ifPresentOrElse(findings::problem, () -> incoming.add(c));
    }
    return incoming;
  }

  private void pruneRestoreInto(RollbackFindings findings) {
    restoreInto.forEach((q, connections) -> {
      Optional<Resource> receiver = current(q);
      for (Connection c : new ArrayList<>(connections)) {
        if (isThere(receiver, c)) {
          connections.remove(c);
          continue;
        }
        Optional<String> problem = reconnectProblem(q, receiver, c, findings);
        if (problem.isPresent()) {
          connections.remove(c);
          findings.problem(problem.get());
        }
      }
    });
  }

  /** What stands in the way of restoring {@code c} into {@code receiver} ({@code q}), which the undo leaves. */
  private Optional<String> reconnectProblem(ResourceId q, Optional<Resource> receiver, Connection c,
      RollbackFindings findings) {
    if (receiver.isEmpty()) {
      return Optional.of(findings.missing("restoring " + c, q));
    }
    if (!valueWillExist(c)) {
      return Optional.of(noValue(c));
    }
    Map<String, Value> own = receiver.get().ownInputs();
    String input = c.receiver().input();
    if (own.containsKey(input) && !c.leavesKeyFree(own.get(input))) {
      return Optional.of("restoring " + c + " needs " + c.target() + ", which is now set by hand");
    }
    if (!c.collecting() && Iterables.any(receiver.get().incoming(), x -> x.receiver().equals(c.receiver())
        && (x.key().isEmpty() || c.key().isEmpty() || x.key().equals(c.key())))) {
      return Optional.of("restoring " + c + " needs " + c.receiver() + ", which is now connected elsewhere");
    }
    return Optional.empty();
  }

  private static String noValue(Connection c) {
    return "restoring " + c + " needs " + c.emitter() + ", which would have no value to give";
  }

  /**
   * True if {@code receiver} has {@code c} now: the rollback keeps it rather than makes it, so it needs
   * no value from its emitter input (unsetting an input that feeds others is allowed, and the target
   * may be such a state).
   */
  private static boolean isThere(Optional<Resource> receiver, Connection c) {
    return receiver.map(x -> Iterables.any(x.incoming(), c::sameEnds)).orElse(false);
  }

  /** True if {@code ref} will have a value once the targets are reached. */
  private boolean valueWillExist(Connection c) {
    InputRef ref = c.emitter();
    Optional<Resource> r = states.containsKey(ref.resource()) ? states.get(ref.resource()) : current(ref.resource());
    // an output is there once its resource has run (if it returns none, the receiver's action says so)
    return r.map(x -> c.readsOutput() || x.ownInputs().containsKey(ref.input()) || x.isConnected(ref.input()))
        .orElse(false);
  }

  /** True if {@code ref} has a value before any of the rollback's connections are made. */
  boolean hasInput(InputRef ref) {
    Optional<Resource> now = current(ref.resource());
    if (!states.containsKey(ref.resource())) {
      return now.map(x -> x.ownInputs().containsKey(ref.input()) || x.isConnected(ref.input())).orElse(false);
    }
    Optional<Resource> target = states.get(ref.resource());
    if (target.isEmpty()) {
      return false;
    }
    return target.get().ownInputs().containsKey(ref.input())
        || (target.get().isConnected(ref.input()) && now.map(x -> x.isConnected(ref.input())).orElse(false));
  }
}
