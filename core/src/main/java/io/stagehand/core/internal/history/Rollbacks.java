package io.stagehand.core.internal.history;

import io.stagehand.core.RollbackConflictException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Rollback;
import io.stagehand.core.history.RollbackMode;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.stage.DesiredState;
import io.stagehand.core.internal.stage.Staging;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.InputRef;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.StagingReceipt;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.StoreReader;
import io.stagehand.core.spi.StoreWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rollback as staged changes: each resource undone gets, as its target, its state before the earliest
 * commit undone (connections included, outgoing ones too, so that undoing a removal reconnects its
 * receivers); the edits that lead from the desired state to those targets are staged in one batch and
 * then planned and applied like any other change.
 */
public final class Rollbacks {
  private Rollbacks() {}

  public static Rollback revertCommit(StoreWriter w, CommitPosition position, RollbackMode mode, DesiredState desired) {
    return stage(w, UndoSelection.ofCommit(w.commits(), position), mode, desired);
  }

  public static Rollback revertResource(StoreWriter w, ResourceId id, int steps, RollbackMode mode,
      DesiredState desired) {
    return stage(w, UndoSelection.ofResource(w.commits(), id, steps), mode, desired);
  }

  public static Rollback revertTag(StoreWriter w, Tag tag, RollbackMode mode, DesiredState desired) {
    return stage(w, UndoSelection.ofTag(w.commits(), tag), mode, desired);
  }

  public static Rollback rollbackTo(StoreWriter w, Tag tag, RollbackMode mode, DesiredState desired) {
    return stage(w, UndoSelection.after(w.commits(), tag), mode, desired);
  }

  /** The applied state right after the apply {@code tag}: the current state with later commits undone. */
  public static DeploymentState stateAt(StoreReader r, Tag tag) {
    return TimeTravel.stateAt(r, tag);
  }

  /** The applied state right after the commit at {@code position}. */
  public static DeploymentState stateAt(StoreReader r, CommitPosition position) {
    return TimeTravel.stateAt(r, position);
  }

  // ---------------------------------------------------------------- from commits to staged edits

  private static Rollback stage(StoreWriter w, UndoSelection given, RollbackMode mode, DesiredState desired) {
    List<String> notes = new ArrayList<>();
    UndoSelection undo = given.withoutReactions(notes::add);
    if (undo.byResource().isEmpty()) {
      return new Rollback(List.of(), List.of(), notes);
    }
    Map<Tag, Integer> tagOrder = new HashMap<>();
    List<Tag> tags = w.commits().tags();
    for (int i = 0; i < tags.size(); i++) {
      tagOrder.put(tags.get(i), i);
    }
    List<String> conflicts = new ArrayList<>();

    // 1. later changes of the resources undone
    if (!undo.endsAtLatest()) {
      for (Map.Entry<ResourceId, List<Commit>> e : undo.byResource().entrySet()) {
        Commit last = e.getValue().get(e.getValue().size() - 1);
        List<String> later = new ArrayList<>();
        for (Commit c : w.commits().ofResource(e.getKey())) {
          if (c.action() != Action.REACT && after(c, last, tagOrder)) {
            later.add(c.tag() + " " + c.action() + " " + c.resource() + " (" + c.position() + ")");
          }
        }
        if (!later.isEmpty()) {
          String msg = e.getKey() + " changed again later: " + String.join(", ", later);
          if (mode == RollbackMode.STRICT) {
            conflicts.add(msg);
          } else {
            notes.add("forced over later changes: " + msg);
          }
        }
      }
    }

    // 2. the targets: each resource as it was before its earliest commit undone
    SortedMap<ResourceId, Optional<Resource>> target = new TreeMap<>();
    Map<ResourceId, Tag> revertOf = new HashMap<>();
    Map<ResourceId, Commit> earliest = new HashMap<>();
    undo.byResource().forEach((id, commits) -> {
      Commit first = commits.get(0);
      earliest.put(id, first);
      target.put(id, first.diff().before());
      revertOf.put(id, first.tag());
    });

    // 3. connections out of restored resources into receivers that are not undone themselves
    Map<ResourceId, TreeSet<Connection>> restoreInto = new TreeMap<>();
    for (Map.Entry<ResourceId, Optional<Resource>> e : target.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      for (Connection c : earliest.get(e.getKey()).diff().connectionsBefore()) {
        ResourceId q = c.receiver().resource();
        if (c.emitter().resource().equals(e.getKey()) && !target.containsKey(q)) {
          restoreInto.computeIfAbsent(q, k -> new TreeSet<>()).add(c);
        }
      }
    }

    // 4. staged changes for the resources the rollback touches
    Set<ResourceId> touched = new TreeSet<>(target.keySet());
    touched.addAll(restoreInto.keySet());
    TreeSet<ResourceId> busy = new TreeSet<>();
    for (StagedEntry e : w.staged().entries()) {
      if (touched.contains(e.owner())) {
        busy.add(e.owner());
      }
    }
    if (!busy.isEmpty()) {
      throw new RollbackConflictException("cannot roll back " + undo.what() + ": changes are staged for "
          + String.join(", ", busy.stream().map(ResourceId::name).toList())
          + "; discard or apply them first");
    }

    // 5. connections whose other end, or whose emitter input, will not exist
    java.util.function.Predicate<ResourceId> willExist = id -> target.containsKey(id)
        ? target.get(id).isPresent() : desired.definition(id).isPresent();
    SortedMap<ResourceId, Optional<Resource>> filtered = new TreeMap<>(target);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<ResourceId, Optional<Resource>> e : filtered.entrySet()) {
        if (e.getValue().isEmpty()) {
          continue;
        }
        Resource r = e.getValue().get();
        Optional<Resource> now = desired.definition(r.id());
        TreeSet<Connection> incoming = new TreeSet<>();
        for (Connection c : r.incoming()) {
          boolean kept = isThere(now, c);
          String problem = null;
          if (!willExist.test(c.emitter().resource())) {
            problem = "restoring " + c + " needs " + c.emitter().resource() + ", which no longer exists"
                + removedBy(w, c.emitter().resource());
          } else if (!kept && !inputWillExist(c.emitter(), desired, filtered)) {
            problem = "restoring " + c + " needs " + c.emitter() + ", which would have no value to give";
          }
          if (problem == null) {
            incoming.add(c);
          } else if (mode == RollbackMode.STRICT) {
            conflicts.add(problem);
          } else {
            notes.add("left out: " + problem);
          }
        }
        if (incoming.size() != r.incoming().size()) {
          e.setValue(Optional.of(Resource.builder().from(r).incoming(incoming).build()));
          changed = true;
        }
      }
      if (!conflicts.isEmpty()) {
        break;
      }
    }
    for (Map.Entry<ResourceId, TreeSet<Connection>> e : restoreInto.entrySet()) {
      ResourceId q = e.getKey();
      Optional<Resource> receiver = desired.definition(q);
      for (Connection c : new ArrayList<>(e.getValue())) {
        String problem = null;
        if (receiver.isEmpty()) {
          problem = "restoring " + c + " needs " + q + ", which no longer exists" + removedBy(w, q);
        } else if (isThere(receiver, c)) {
          e.getValue().remove(c);
          continue;
        } else if (!inputWillExist(c.emitter(), desired, filtered)) {
          problem = "restoring " + c + " needs " + c.emitter() + ", which would have no value to give";
        } else if (receiver.get().ownInputs().containsKey(c.receiver().input())
            && !c.leavesKeyFree(receiver.get().ownInputs().get(c.receiver().input()))) {
          problem = "restoring " + c + " needs " + c.target() + ", which is now set by hand";
        } else if (!c.collecting() && receiver.get().incoming().stream().anyMatch(x ->
            x.receiver().equals(c.receiver()) && (x.key().isEmpty() || c.key().isEmpty() || x.key().equals(c.key())))) {
          problem = "restoring " + c + " needs " + c.receiver() + ", which is now connected elsewhere";
        }
        if (problem != null) {
          e.getValue().remove(c);
          if (mode == RollbackMode.STRICT) {
            conflicts.add(problem);
          } else {
            notes.add("left out: " + problem);
          }
        }
      }
    }
    if (!conflicts.isEmpty()) {
      throw new RollbackConflictException("cannot roll back " + undo.what() + ": " + String.join("; ", conflicts)
          + ". Widen the rollback (revert the later applies too, or use rollbackTo), or force it");
    }

    // 6. the edits, in an order that validates: creates, disconnects, unsets, sets, connects, removes
    List<Edit> creates = new ArrayList<>();
    List<Edit> disconnects = new ArrayList<>();
    List<Edit> unsets = new ArrayList<>();
    List<Edit> sets = new ArrayList<>();
    List<Connection> connects = new ArrayList<>();
    List<Edit> removes = new ArrayList<>();
    List<Edit> eventAdds = new ArrayList<>();
    Map<Edit, Tag> entryTag = new java.util.IdentityHashMap<>();
    for (Map.Entry<ResourceId, Optional<Resource>> e : filtered.entrySet()) {
      ResourceId id = e.getKey();
      Tag tag = revertOf.get(id);
      Optional<Resource> cur = desired.definition(id);
      Optional<Resource> tgt = e.getValue();
      if (cur.isEmpty() && tgt.isEmpty()) {
        continue;
      }
      if (tgt.isEmpty()) {
        add(removes, new Edit.Remove(id), tag, entryTag);
        continue;
      }
      Resource t = tgt.get();
      Optional<ResourceId> location = t.location();
      if (location.isPresent() && !willExist.test(location.get())) {
        String problem = "restoring " + id + "'s location needs " + location.get() + ", which no longer exists"
            + removedBy(w, location.get());
        if (mode == RollbackMode.STRICT) {
          throw new RollbackConflictException("cannot roll back " + undo.what() + ": " + problem
              + ". Widen the rollback (revert the later applies too, or use rollbackTo), or force it");
        }
        notes.add("left out: " + problem);
        location = Optional.empty();
      }
      if (cur.isEmpty()) {
        add(creates, new Edit.Create(id, t.kind(), new java.util.TreeMap<>(t.ownInputs()),
            new TreeSet<>(t.sensitiveInputs()), location, t.labels()), tag, entryTag);
        connects.addAll(t.incoming());
        for (Event ev : t.events()) {
          if (willExist.test(ev.source())) {
            eventAdds.add(new Edit.AddEvent(ev));
            entryTag.put(eventAdds.get(eventAdds.size() - 1), tag);
          } else {
            notes.add("left out: restoring the event " + ev + " needs " + ev.source() + ", which no longer exists");
          }
        }
        continue;
      }
      Resource c = cur.get();
      if (!c.kind().equals(t.kind())) {
        throw new RollbackConflictException("cannot roll back " + undo.what() + ": " + id + " is now of kind "
            + c.kind() + " but was " + t.kind() + "; remove it and apply that first");
      }
      for (Connection in : c.incoming()) {
        if (t.incoming().stream().noneMatch(in::sameEnds)) {
          add(disconnects, new Edit.Disconnect(in), tag, entryTag);
        }
      }
      for (String input : c.ownInputs().keySet()) {
        if (!t.ownInputs().containsKey(input)) {
          add(unsets, new Edit.UnsetInput(id, input), tag, entryTag);
        }
      }
      t.ownInputs().forEach((input, value) -> {
        if (!value.equals(c.ownInputs().get(input))) {
          add(sets, new Edit.SetInput(id, input, value), tag, entryTag);
        }
      });
      for (Connection in : t.incoming()) {
        if (c.incoming().stream().noneMatch(in::sameEnds)) {
          connects.add(in);
        }
      }
      if (!c.location().equals(location)) {
        add(sets, new Edit.Place(id, location), tag, entryTag);
      }
      for (Event ev : c.events()) {
        if (!t.events().contains(ev)) {
          add(disconnects, new Edit.RemoveEvent(ev), tag, entryTag);
        }
      }
      for (Event ev : t.events()) {
        if (!c.events().contains(ev) && willExist.test(ev.source())) {
          eventAdds.add(new Edit.AddEvent(ev));
          entryTag.put(eventAdds.get(eventAdds.size() - 1), tag);
        }
      }
      for (String label : c.labels()) {
        if (!t.labels().contains(label)) {
          add(sets, new Edit.Label(id, label, false), tag, entryTag);
        }
      }
      for (String label : t.labels()) {
        if (!c.labels().contains(label)) {
          add(sets, new Edit.Label(id, label, true), tag, entryTag);
        }
      }
    }
    restoreInto.values().forEach(connects::addAll);

    List<Edit> edits = new ArrayList<>();
    edits.addAll(creates);
    edits.addAll(disconnects);
    edits.addAll(unsets);
    edits.addAll(sets);
    for (Connection c : orderConnects(connects, desired, filtered)) {
      Tag tag = revertOf.getOrDefault(c.receiver().resource(), revertOf.get(c.emitter().resource()));
      add(edits, new Edit.Connect(c), tag, entryTag);
    }
    edits.addAll(eventAdds);
    edits.addAll(removes);
    if (edits.isEmpty()) {
      return new Rollback(List.of(), List.of(), notes);
    }
    // desired was only read so far: the batch is checked on it rather than on a second replay
    StagingReceipt receipt = Staging.stage(w, edits, OptionalLong.empty(),
        edit -> Optional.ofNullable(entryTag.get(edit)), desired);
    List<Diff> staged = List.copyOf(desired.diffs().values());
    return new Rollback(receipt.entries(), staged, notes);
  }

  private static void add(List<Edit> list, Edit e, Tag tag, Map<Edit, Tag> tags) {
    list.add(e);
    tags.put(e, tag);
  }

  /**
   * Orders connections so that one out of an input that is itself connected comes after the
   * connection into that input (a connection needs its emitter input to exist).
   */
  private static List<Connection> orderConnects(List<Connection> connects, DesiredState desired,
      Map<ResourceId, Optional<Resource>> targets) {
    List<Connection> pending = new ArrayList<>(new TreeSet<>(connects));
    List<Connection> ordered = new ArrayList<>();
    Set<InputRef> fed = new java.util.HashSet<>();
    while (!pending.isEmpty()) {
      boolean progress = false;
      for (java.util.Iterator<Connection> it = pending.iterator(); it.hasNext(); ) {
        Connection c = it.next();
        if (hasInput(c.emitter(), desired, targets) || fed.contains(c.emitter())) {
          ordered.add(c);
          fed.add(c.receiver());
          it.remove();
          progress = true;
        }
      }
      if (!progress) {
        ordered.addAll(pending); // staging will name what is wrong
        break;
      }
    }
    return ordered;
  }

  /** True if {@code ref} will exist once the rollback's targets are reached. */
  /**
   * True if {@code receiver} has {@code c} now: the rollback keeps it rather than makes it, so it needs
   * no value from its emitter input (unsetting an input that feeds others is allowed, and the target
   * may be such a state).
   */
  private static boolean isThere(Optional<Resource> receiver, Connection c) {
    return receiver.map(x -> x.incoming().stream().anyMatch(c::sameEnds)).orElse(false);
  }

  private static boolean inputWillExist(InputRef ref, DesiredState desired, Map<ResourceId, Optional<Resource>> targets) {
    Optional<Resource> r = targets.containsKey(ref.resource()) ? targets.get(ref.resource())
        : desired.definition(ref.resource());
    return r.map(x -> x.ownInputs().containsKey(ref.input()) || x.isConnected(ref.input())).orElse(false);
  }

  /** True if {@code ref} exists before any of the rollback's connections are made. */
  private static boolean hasInput(InputRef ref, DesiredState desired, Map<ResourceId, Optional<Resource>> targets) {
    Optional<Resource> current = desired.definition(ref.resource());
    if (!targets.containsKey(ref.resource())) {
      return current.map(x -> x.ownInputs().containsKey(ref.input()) || x.isConnected(ref.input())).orElse(false);
    }
    Optional<Resource> target = targets.get(ref.resource());
    if (target.isEmpty()) {
      return false;
    }
    return target.get().ownInputs().containsKey(ref.input())
        || (target.get().isConnected(ref.input()) && current.map(x -> x.isConnected(ref.input())).orElse(false));
  }

  private static String removedBy(StoreReader r, ResourceId id) {
    List<Commit> chain = r.commits().ofResource(id);
    if (!chain.isEmpty() && chain.get(chain.size() - 1).action() == Action.REMOVE) {
      Commit c = chain.get(chain.size() - 1);
      return " (removed by " + c.tag() + ", " + c.position() + ")";
    }
    return "";
  }

  /** True if {@code c} comes after {@code than} in apply order. */
  public static boolean after(Commit c, Commit than, Map<Tag, Integer> tagOrder) {
    int a = tagOrder.getOrDefault(c.tag(), Integer.MAX_VALUE);
    int b = tagOrder.getOrDefault(than.tag(), Integer.MAX_VALUE);
    return a != b ? a > b : c.index() > than.index();
  }
}
