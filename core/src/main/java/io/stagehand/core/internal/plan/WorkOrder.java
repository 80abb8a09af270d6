package io.stagehand.core.internal.plan;

import com.google.common.primitives.Longs;
import io.stagehand.core.internal.stage.Numbering;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.spi.PendingReaction;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything an apply needs to carry out a {@link Plan}: the plan a person reviews, and the
 * bookkeeping of the staged log that its commits settle. The planner makes it; the applier and its
 * commit writer read it; nothing else travels between them.
 */
public final class WorkOrder {
  private final Plan plan;
  private final Consumed consumed;
  private final Map<ResourceId, List<Long>> voided;
  private final Map<ResourceId, Set<ResourceId>> allSuccessors;
  private final Map<ResourceId, List<PendingReaction>> triggered;

  /**
   * Takes ownership of the planner's maps (not copied: a first deployment has a hundred thousand
   * entries in each). {@code allSuccessors} is needed only when a partial plan leaves actions out;
   * otherwise an action's successors are all there are.
   */
  public WorkOrder(Plan plan, Consumed consumed, Map<ResourceId, List<Long>> voided,
      Map<ResourceId, Set<ResourceId>> allSuccessors, Map<ResourceId, List<PendingReaction>> triggered) {
    this.plan = plan;
    this.consumed = consumed;
    this.voided = Collections.unmodifiableMap(voided);
    this.allSuccessors = Collections.unmodifiableMap(allSuccessors);
    this.triggered = Collections.unmodifiableMap(triggered);
  }

  public Plan plan() {
    return plan;
  }

  /** Sequence numbers of the staged entries each action consumes when it commits. */
  public List<Long> consumedBy(ResourceId id) {
    return consumed.of(id);
  }

  /**
   * Sequence numbers of other resources' staged connections and events from {@code id} that a later
   * staged removal of {@code id} undid. They go when that removal is committed with {@code id}'s
   * action: left behind, they would come back to life once {@code id} exists again.
   */
  public List<Long> voidedBy(ResourceId id) {
    return voided.getOrDefault(id, List.of());
  }

  /** The reactions {@code id}'s action triggers, which its commit records as owed. */
  public List<PendingReaction> triggeredBy(ResourceId id) {
    return triggered.getOrDefault(id, List.of());
  }

  /** Every action that waits for {@code id}'s, left-out ones included. */
  public Set<ResourceId> allSuccessors(ResourceId id) {
    Set<ResourceId> all = allSuccessors.get(id);
    if (all != null) {
      return all;
    }
    PlannedAction a = plan.action(id).orElse(null);
    return a == null ? Set.of() : a.successors();
  }

  /** Every resource whose staged entries the plan covers, with or without an action. */
  public SortedSet<ResourceId> owners() {
    return consumed.owners();
  }

  /**
   * The sequence numbers of the staged entries of each owner, kept by the owner's number as
   * unboxed longs: a first deployment stages several entries for each of its resources.
   */
  public static final class Consumed {
    private final Numbering nums;
    private long[][] sequences = new long[64][];
    private int[] counts = new int[64];
    private ResourceId lastOwner;
    private int lastNumber;

    /** Keeps the owners by their numbers in {@code nums}, numbering those that have none. */
    public Consumed(Numbering nums) {
      this.nums = nums;
    }

    /** Records that {@code owner}'s action consumes the staged entry {@code sequence}. */
    public void add(ResourceId owner, long sequence) {
      // a resource's entries mostly come one after the other (its create, then its connections)
      int v = owner == lastOwner ? lastNumber : nums.add(owner);
      lastOwner = owner;
      lastNumber = v;
      if (v >= counts.length) {
        int n = Math.max(v + 1, counts.length * 2);
        sequences = Arrays.copyOf(sequences, n);
        counts = Arrays.copyOf(counts, n);
      }
      long[] list = sequences[v];
      int size = counts[v];
      if (list == null) {
        list = new long[4];
      } else if (size == list.length) {
        list = Arrays.copyOf(list, size * 2);
      }
      list[size] = sequence;
      sequences[v] = list;
      counts[v] = size + 1;
    }

    /** True if {@code owner} has staged entries. */
    public boolean has(ResourceId owner) {
      int v = nums.number(owner);
      return v >= 0 && v < counts.length && counts[v] > 0;
    }

    List<Long> of(ResourceId owner) {
      int v = nums.number(owner);
      if (v < 0 || v >= counts.length || counts[v] == 0) {
        return List.of();
      }
      return Collections.unmodifiableList(Longs.asList(sequences[v]).subList(0, counts[v]));
    }

    SortedSet<ResourceId> owners() {
      TreeSet<ResourceId> out = new TreeSet<>();
      for (int v = 0; v < counts.length; v++) {
        if (counts[v] > 0) {
          out.add(nums.id(v));
        }
      }
      return out;
    }
  }
}
