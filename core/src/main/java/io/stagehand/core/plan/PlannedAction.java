package io.stagehand.core.plan;

import io.stagehand.core.model.Action;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.ResourceId;
import java.util.SortedSet;
import org.immutables.value.Value.Immutable;
import org.immutables.value.Value.NaturalOrder;

/** One action of a {@link Plan}: what to do with one resource, its diff and its place in the graph. */
@Immutable
public abstract class PlannedAction {
  PlannedAction() {}

  public abstract ResourceId resource();

  public abstract Action action();

  /**
   * Custom actions that reaction events gave this resource, such as {@code restart}: the whole action
   * for a {@link Action#REACT}, extras the handler should also do for a state action.
   */
  public abstract java.util.List<String> reactions();

  /** The action's name as plans and history print it: the custom names for a reaction. */
  public String name() {
    return action() == Action.REACT ? String.join("+", reactions()) : action().name();
  }

  /** The net diff the action applies: applied state at planning time to desired state. */
  public abstract Diff diff();

  /** 1 if the action has no predecessor, else 1 + the largest wave among its predecessors. */
  public abstract int wave();

  /** The actions that must commit before this one starts. */
  @NaturalOrder
  public abstract SortedSet<ResourceId> predecessors();

  /** The actions that wait for this one. */
  @NaturalOrder
  public abstract SortedSet<ResourceId> successors();

  /** The number of actions on the longest path from this one to the end, itself included. */
  public abstract int remainingPath();

  public String kind() {
    return diff().kind();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PlannedAction}. */
  public static final class Builder extends ImmutablePlannedAction.Builder {
    Builder() {}
  }

  @Override
  public String toString() {
    return "[" + wave() + "] " + name() + " " + resource()
        + (predecessors().isEmpty() ? "" : " after " + String.join(", ",
            predecessors().stream().map(ResourceId::name).toList()))
        + (action() != Action.REACT && !reactions().isEmpty() ? " + " + String.join("+", reactions()) : "")
        + (diff().pending() ? " (pending)" : "");
  }
}
