package io.stagehand.core.internal.stage;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.StagingConflictException;
import io.stagehand.core.StoreException;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.Limits;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.InputRef;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.StagingReceipt;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.StoreReader;
import io.stagehand.core.spi.StoreWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.Set;
import java.util.TreeSet;

/** Staging, discarding and the desired state, each as one read or one unit of work on a store. */
public final class Staging {
  private Staging() {}

  /** The desired state: the applied state with every staged entry replayed. */
  public static DesiredState desired(StoreReader r) {
    DesiredState d = new DesiredState(r.state(), r.staged().pending());
    replay(d, r.staged().entries());
    return d;
  }

  private static void replay(DesiredState d, Collection<StagedEntry> entries) {
    for (StagedEntry e : entries) {
      try {
        d.apply(e.edit(), false);
      } catch (InvalidInputException bad) {
        throw new StoreException("staged entry " + e.sequence() + " (" + e.edit().describe()
            + ") no longer fits the applied state: " + bad.getMessage(), bad);
      }
    }
  }

  /**
   * Stages {@code edits}, checked on {@code replayed} (the staged log replayed over {@code w}'s state),
   * which it edits in place: afterwards {@code replayed} is the desired state with the new edits, as
   * replaying the log again would give it (a lenient replay of edits that passed the strict checks
   * changes nothing).
   */
  public static StagingReceipt stage(StoreWriter w, List<Edit> edits, OptionalLong expectedPosition,
      java.util.function.Function<Edit, java.util.Optional<Tag>> revertOf, DesiredState replayed) {
    Limits.checkBatch(edits.size());
    long position = w.staged().position();
    if (expectedPosition.isPresent()) {
      checkConflicts(w, edits, expectedPosition.getAsLong(), position);
    }
    DesiredState d = replayed;
    for (int i = 0; i < edits.size(); i++) {
      Edit e = edits.get(i);
      if (e == null) {
        throw new InvalidInputException("edit " + (i + 1) + " of the batch is null");
      }
      d.apply(e);
    }
    // each connection of the batch as made, once the whole batch is in: read once, used below
    Connection[] made = new Connection[edits.size()];
    for (int i = 0; i < edits.size(); i++) {
      if (edits.get(i) instanceof Edit.Connect c) {
        made[i] = d.settle(c.connection());
      }
    }
    checkResidents(d, edits);
    Set<ResourceId> edited = new TreeSet<>();
    edits.forEach(e -> edited.add(e.owner()));
    d.checkConnectedDepth(edited);
    checkOutputConnections(d, made);
    List<StagedEntry> entries = new ArrayList<>(edits.size());
    for (int i = 0; i < edits.size(); i++) {
      Edit e = edits.get(i);
      entries.add(new StagedEntry(++position, marked(d, e, made[i]), revertOf.apply(e)));
    }
    if (!entries.isEmpty()) {
      w.appendStaged(entries);
    }
    return new StagingReceipt(entries, position);
  }

  /**
   * A location removed or forgotten by the batch must host nothing once the batch is staged: its
   * residents go or move in the same batch (or an earlier staged one), or the batch is refused, naming
   * them.
   */
  private static void checkResidents(DesiredState d, List<Edit> edits) {
    // a forget drops a location from the state as a removal does: its residents must go or move too
    java.util.Map<ResourceId, String> removed = new java.util.LinkedHashMap<>();
    for (Edit e : edits) {
      if (e instanceof Edit.Remove rm && d.definition(rm.id()).isEmpty()) {
        removed.put(rm.id(), "remove");
      } else if (e instanceof Edit.Forget f && d.definition(f.id()).isEmpty()) {
        removed.put(f.id(), "forget");
      } else if (e instanceof Edit.Replace rp && d.definition(rp.id()).isPresent()) {
        // a replacement removes it first, its residents with it
        removed.put(rp.id(), "replace");
      }
    }
    if (removed.isEmpty()) {
      return;
    }
    java.util.Map<ResourceId, java.util.SortedSet<ResourceId>> hosted = d.residents(removed.keySet());
    for (ResourceId location : removed.keySet()) {
      java.util.SortedSet<ResourceId> left = hosted.get(location);
      if (left != null) {
        throw new InvalidInputException("cannot " + removed.get(location) + " " + location + ": it is the location of "
            + String.join(", ", left.stream().map(ResourceId::name).toList())
            + ("replace".equals(removed.get(location)) ? "; move them first" : "; remove or move them in the same batch"));
      }
    }
  }

  /**
   * A connection the batch makes from an output must be able to carry something: refused if the
   * emitter will not run again before the receiver (so its outputs are the ones it returned) and it
   * returned none of that name, which is most likely a misspelt input or output.
   */
  private static void checkOutputConnections(DesiredState d, Connection[] made) {
    for (Connection c : made) {
      if (c == null || !c.readsOutput() || !d.lacksOutput(c.emitter().resource(), c.emitter().input())) {
        continue;
      }
      InputRef from = c.emitter();
      SortedSet<String> outputs = d.definition(from.resource()).map(Resource::outputs)
          .map(SortedMap::keySet).map(java.util.TreeSet::new).orElseGet(java.util.TreeSet::new);
      throw new InvalidInputException("cannot connect " + c + ": " + from.resource()
          + " has no input " + from.input() + " and returned no output " + from.input()
          + (outputs.isEmpty() ? " (it returned no outputs)" : " (its outputs: " + String.join(", ", outputs) + ")")
          + "; an output can be connected before its resource runs, or when it runs again in the same apply");
    }
  }

  /**
   * {@code e}, or for a value set on an input marked sensitive, the same edit marked sensitive, so
   * that the staged entry prints and is stored as the secret it is; a connection is stored as made,
   * reading an input or an output, so that a replay reads the same.
   */
  private static Edit marked(DesiredState d, Edit e, Connection made) {
    if (e instanceof Edit.Connect c && !c.connection().readsOutput() && made != null && made.readsOutput()) {
      return new Edit.Connect(made);
    }
    if (e instanceof Edit.SetInput s && !s.sensitive()
        && d.definition(s.id()).map(r -> r.isSensitive(s.input())).orElse(false)) {
      return s.asSensitive();
    }
    return e;
  }

  private static void checkConflicts(StoreWriter w, List<Edit> edits, long expected, long position) {
    if (expected > position) {
      throw new InvalidInputException("expected staged-log position " + expected
          + " is ahead of the log, which is at " + position);
    }
    if (expected == position) {
      return;
    }
    Set<ResourceId> mine = new TreeSet<>();
    edits.forEach(e -> mine.addAll(touched(e)));
    List<String> clashes = new ArrayList<>();
    for (StagedEntry e : w.staged().entries()) {
      if (e.sequence() > expected && touched(e.edit()).stream().anyMatch(mine::contains)) {
        clashes.add(e.sequence() + " (" + e.edit().describe() + ")");
      }
    }
    if (!clashes.isEmpty()) {
      throw new StagingConflictException("the staged log moved from position " + expected + " to "
          + position + " and entries " + String.join(", ", clashes)
          + " touch the same resources; read the staged changes again and retry");
    }
  }

  private static Set<ResourceId> touched(Edit e) {
    if (e instanceof Edit.Connect c) {
      return Set.of(c.connection().emitter().resource(), c.connection().receiver().resource());
    }
    if (e instanceof Edit.Disconnect c) {
      return Set.of(c.connection().emitter().resource(), c.connection().receiver().resource());
    }
    return Set.of(e.owner());
  }

  /**
   * Drops the staged entries owned by {@code ids} (all entries when {@code ids} is empty). Refused if
   * the entries left behind would no longer fit: they name what depends on the discarded ones.
   */
  public static void discard(StoreWriter w, Set<ResourceId> ids) {
    List<StagedEntry> all = w.staged().entries();
    List<StagedEntry> keep = new ArrayList<>();
    List<Long> drop = new ArrayList<>();
    for (StagedEntry e : all) {
      if (ids.isEmpty() || ids.contains(e.owner())) {
        drop.add(e.sequence());
      } else {
        keep.add(e);
      }
    }
    Set<ResourceId> createdByDropped = new TreeSet<>();
    for (StagedEntry e : all) {
      if ((ids.isEmpty() || ids.contains(e.owner())) && e.edit() instanceof Edit.Create c) {
        createdByDropped.add(c.id());
      }
    }
    DesiredState d = new DesiredState(w.state(), w.staged().pending());
    for (StagedEntry e : keep) {
      try {
        if (e.edit() instanceof Edit.Connect c && createdByDropped.contains(c.connection().emitter().resource())) {
          throw new InvalidInputException("it connects from " + c.connection().emitter().resource()
              + ", whose creation would be discarded");
        }
        d.apply(e.edit(), false);
      } catch (InvalidInputException bad) {
        throw new InvalidInputException("cannot discard " + (ids.isEmpty() ? "everything" : ids)
            + " alone: the staged edit " + e.sequence() + " (" + e.edit().describe() + ") of " + e.owner()
            + " depends on it (" + bad.getMessage() + "); discard " + e.owner() + " too");
      }
    }
    w.removeStaged(drop);
    // pending marks of resources that no longer differ from their applied state are stale now
    List<ResourceId> settled = new ArrayList<>();
    for (ResourceId id : w.staged().pending()) {
      if (d.diff(id).action().isEmpty()) {
        settled.add(id);
      }
    }
    w.removePending(settled);
    // the reactions owed by the discarded resources (all of them, for a discard of everything) go too
    Set<ResourceId> owing = new TreeSet<>();
    w.staged().pendingReactions().forEach(r -> owing.add(r.target()));
    for (ResourceId target : owing) {
      if (ids.isEmpty() || ids.contains(target)) {
        w.removePendingReactions(target, List.of());
      }
    }
  }
}
