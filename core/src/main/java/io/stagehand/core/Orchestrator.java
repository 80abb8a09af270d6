package io.stagehand.core;

import io.stagehand.core.spi.Store;
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

  private Orchestrator(Store store) {
    this.store = store;
  }

  /** An orchestrator over {@code store}. */
  public static Orchestrator of(Store store) {
    return new Orchestrator(Objects.requireNonNull(store, "store"));
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
    List<Edit> batch = copy(edits);
    return store.write(w -> Staging.stage(w, batch, OptionalLong.empty()));
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
    List<Edit> batch = copy(edits);
    return store.write(w -> Staging.stage(w, batch, OptionalLong.of(expectedPosition)));
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
    return store.read(r -> List.copyOf(Staging.desired(r).diffs().values()));
  }

  /** The staged diff of one resource, if it has an action. */
  public Optional<Diff> staged(ResourceId id) {
    return store.read(r -> {
      Diff d = Staging.desired(r).diff(id);
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

  // ---------------------------------------------------------------- state

  /** The applied state: what every resource was last deployed with. */
  public DeploymentState appliedState() {
    return store.read(r -> DeploymentState.of(r.state().all()));
  }

  /** The desired state: the applied state with the staged entries replayed. */
  public DeploymentState desiredState() {
    return store.read(r -> {
      DesiredState d = Staging.desired(r);
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
