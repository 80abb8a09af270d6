package io.stagehand.core.internal;

import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlanEdge;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.plan.Selection;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.Supplier;

/**
 * The engine's way to the constructors the API keeps to itself: each API class with such a door
 * registers it here from its static initializer, as the JDK's {@code SharedSecrets} do. The module
 * does not export this package, so users see none of it.
 */
public final class ApiAccess {
  /** Plans and their edges, built by the planner and read back from JSON. */
  public interface Plans {
    Plan plan(List<PlannedAction> actions, Supplier<List<PlanEdge>> edges, long stagedPosition,
        Map<ResourceId, Tag> revertOf, SortedMap<ResourceId, String> leftOut, Set<ResourceId> pending,
        Map<ResourceId, List<String>> owed, Selection selection, String fingerprint);

    /** An edge whose reason is worded on first read. */
    PlanEdge edge(ResourceId before, ResourceId after, Supplier<String> reason);
  }

  /** Resources built from collections the desired state has already checked, edit by edit. */
  public interface Resources {
    Resource trusted(ResourceId id, String kind, SortedMap<String, Value> own, SortedSet<String> sensitive,
        SortedSet<Connection> incoming, Optional<ResourceId> location, SortedSet<Event> events,
        SortedSet<String> labels, SortedMap<String, Value> resolved, boolean protect, Resource outputsOf);

    /** {@code r} with the inputs, sensitivity and unknown inputs its connections resolve to. */
    Resource withResolved(Resource r, SortedMap<String, Value> resolved, SortedSet<String> fed,
        SortedSet<String> unknown);

    /** {@code r} with {@code outputs} (and which are sensitive) in place of its own. */
    Resource withOutputs(Resource r, SortedMap<String, Value> outputs, SortedSet<String> sensitive);
  }

  /** Diffs whose connection sets are sorted when first read. */
  public interface Diffs {
    /**
     * The diff of {@code id} from {@code before} to {@code after}, whose connections are each side's
     * incoming ones and {@code outBefore} or {@code outAfter}: what each side emits, a collection
     * nobody changes afterwards; {@code recordOnly} makes its creation an import, its removal a forget;
     * {@code touched} makes it an UPDATE even if nothing changes, {@code replaced} a REPLACE.
     */
    Diff lazy(ResourceId id, Optional<Resource> before, Optional<Resource> after, Collection<Connection> outBefore,
        Collection<Connection> outAfter, boolean pending, boolean recordOnly, boolean touched, boolean replaced);
  }

  private static volatile Plans plans;
  private static volatile Diffs diffs;
  private static volatile Resources resources;

  private ApiAccess() {}

  /** Called once, by {@link Plan}'s static initializer. */
  public static void register(Plans p) {
    plans = p;
  }

  /** Called once, by {@link Diff}'s static initializer. */
  public static void register(Diffs d) {
    diffs = d;
  }

  /** Called once, by {@link Resource}'s static initializer. */
  public static void register(Resources r) {
    resources = r;
  }

  public static Plans plans() {
    Plans p = plans;
    if (p == null) {
      initialize(Plan.class);
      p = plans;
    }
    return p;
  }

  public static Resources resources() {
    Resources r = resources;
    if (r == null) {
      initialize(Resource.class);
      r = resources;
    }
    return r;
  }

  public static Diffs diffs() {
    Diffs d = diffs;
    if (d == null) {
      initialize(Diff.class);
      d = diffs;
    }
    return d;
  }

  private static void initialize(Class<?> c) {
    try {
      Class.forName(c.getName(), true, c.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
