package io.stagehand.core.internal.apply;

import io.stagehand.core.LeaseLostException;
import io.stagehand.core.StoreException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.plan.WorkOrder;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.CommitDraft;
import io.stagehand.core.spi.PendingReaction;
import io.stagehand.core.spi.Store;
import io.stagehand.core.spi.StoreWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a group of succeeded actions in one unit of work fenced by the apply lease's epoch: for
 * each, in index order, its commit, its applied state, the staged entries it consumed, its pending
 * mark and those of the successors still to run, and the reactions it triggers and runs. Runs on the
 * committer thread, so it reads only what does not change while it runs.
 */
public final class CommitWriter {
  /**
   * One action of a group: {@code diff} what its commit records (the planned diff with the inputs
   * resolved from outputs and the outputs its handler returned), {@code marked} if it carries a
   * pending mark its commit clears, {@code stillToRun} the successors its commit marks pending.
   */
  public record Item(PlannedAction action, Diff diff, boolean marked, List<ResourceId> stillToRun) {}

  private final Store store;
  private final ApplyLease lease;
  private final WorkOrder order;
  private final Tag tag;
  /** The index of the apply's first commit: 0, or the commits an interrupted apply it resumes made. */
  private final int firstIndex;

  public CommitWriter(Store store, ApplyLease lease, WorkOrder order, Tag tag, int firstIndex) {
    this.store = store;
    this.lease = lease;
    this.order = order;
    this.tag = tag;
    this.firstIndex = firstIndex;
  }

  /** The group's commits by resource, the first at {@code index} (counted from the apply's first). */
  public Map<ResourceId, Commit> write(List<Item> group, int index, Instant now) {
    List<ResourceId> ids = group.stream().map(i -> i.action().resource()).toList();
    if (!lease.isValid()) {
      // a lease its holder knows it lost (its session gone, its renewal refused) commits nothing
      throw new LeaseLostException("the apply lease was lost before this group of commits; nothing was written");
    }
    return store.write(w -> {
      // a lease lost without our knowing (a stalled heartbeat, a dropped session) writes nothing
      w.requireLease(lease.epoch());
      Map<ResourceId, Resource> current = w.state().getAll(ids);
      List<CommitDraft> drafts = new ArrayList<>();
      for (Item item : group) {
        PlannedAction a = item.action();
        // a reaction changes no state: its commit shows the diff it was planned with
        Diff diff = a.action() == Action.REACT ? a.diff() : item.diff();
        if (!Optional.ofNullable(current.get(a.resource())).equals(diff.before())) {
          throw new StoreException("the applied state of " + a.resource() + " changed since the plan was made; "
              + "another process wrote to this store without the apply lease");
        }
        drafts.add(CommitDraft.builder()
            .tag(tag)
            .index(firstIndex + index + drafts.size())
            .diff(diff.pending() ? Diff.builder().from(diff).pending(false).build() : diff)
            .action(a.action())
            .reactions(a.reactions())
            .time(now)
            .revertOf(a.action() == Action.REACT ? Optional.empty() : order.plan().revertOf(a.resource()))
            .build());
      }
      List<Commit> commits = w.appendCommits(drafts);
      Map<ResourceId, Commit> out = new HashMap<>();
      for (int i = 0; i < group.size(); i++) {
        applyState(w, group.get(i));
        out.put(ids.get(i), commits.get(i));
      }
      return out;
    });
  }

  /**
   * What an action committed other than planned (inputs resolved again when it started, outputs it
   * put) reaches what its connections feed: a receiver whose value changed and that this apply does
   * not update (it has no action, or only a reaction) is marked pending, so the next plan updates it;
   * one this apply updates resolves again when it starts ({@link TaskGraph#resolveAgainAfter}).
   */
  private void markStaleReceivers(StoreWriter w, Item item) {
    Diff diff = item.diff();
    Resource before = diff.before().orElse(null);
    Resource after = diff.after().orElse(null);
    if (diff == item.action().diff() || before == null || after == null) {
      return;
    }
    List<Connection> moved = new ArrayList<>();
    for (Connection c : w.state().outgoing(after.id())) {
      String name = c.emitter().input();
      boolean changed = !Objects.equals(before.resolvedInputs().get(name), after.resolvedInputs().get(name))
          || !Objects.equals(before.outputs().get(name), after.outputs().get(name));
      if (changed && order.plan().action(c.receiver().resource()).filter(r -> r.action() != Action.REACT).isEmpty()) {
        moved.add(c);
      }
    }
    if (moved.isEmpty()) {
      return;
    }
    // an index of connections by emitter may not say what they read: the receivers' own ones do, read at once
    Map<ResourceId, Resource> receivers = w.state().getAll(moved.stream().map(c -> c.receiver().resource()).toList());
    java.util.Set<ResourceId> stale = new java.util.LinkedHashSet<>();
    for (Connection c : moved) {
      String name = c.emitter().input();
      Resource r = receivers.get(c.receiver().resource());
      if (r != null && r.incoming().stream().anyMatch(in -> in.sameEnds(c) && (in.readsOutput()
          ? !Objects.equals(before.outputs().get(name), after.outputs().get(name))
          : !Objects.equals(before.resolvedInputs().get(name), after.resolvedInputs().get(name))))) {
        stale.add(r.id());
      }
    }
    if (!stale.isEmpty()) {
      w.addPending(List.copyOf(stale));
    }
  }

  /**
   * The state change of one committed action: a reaction changes no state and consumes no entry, but
   * like every action it clears its own pending mark and marks the successors still to run.
   */
  private void applyState(StoreWriter w, Item item) {
    PlannedAction a = item.action();
    if (item.marked()) {
      w.removePending(List.of(a.resource()));
    }
    if (!item.stillToRun().isEmpty()) {
      w.addPending(item.stillToRun());
    }
    // the reactions this action triggers are owed until their targets' commits clear them
    List<PendingReaction> owes = order.triggeredBy(a.resource());
    if (!owes.isEmpty()) {
      w.addPendingReactions(owes);
    }
    if (a.action().removes()) {
      w.removePendingReactions(a.resource(), List.of());
    } else if (!a.reactions().isEmpty()) {
      w.removePendingReactions(a.resource(), a.reactions());
    }
    if (a.action() == Action.REACT) {
      if (item.diff() != a.diff()) {
        // its inputs resolved again to other values than it has: an update of it is owed
        w.addPending(List.of(a.resource()));
      }
      return;
    }
    Diff diff = item.diff();
    if (diff.after().isPresent()) {
      w.putResource(diff.after().get());
      markStaleReceivers(w, item);
    } else {
      w.deleteResource(a.resource());
    }
    List<Long> consumed = order.consumedBy(a.resource());
    if (!consumed.isEmpty()) {
      w.consumeStaged(a.resource(), order.plan().stagedPosition(), consumed);
    }
    List<Long> voided = order.voidedBy(a.resource());
    if (!voided.isEmpty()) {
      w.removeStaged(voided);
    }
  }
}
