package io.stagehand.core.internal.stage;

import io.stagehand.core.InputLimits;
import io.stagehand.core.StoreException;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.internal.Limits;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolves a desired state's inputs on demand, reading its {@link Overlay}: which resources the
 * change can reach (the seeds and everything downstream of them), and for each the inputs its
 * connections feed it, with the sensitivity that follows them. What it resolved is kept until the
 * desired state changes.
 */
public final class InputResolver {
  private static final ApiAccess.Resources RESOURCES = ApiAccess.resources();

  private final Overlay d;
  private Set<ResourceId> affected;
  private final Map<ResourceId, Optional<Resource>> resolvedCache = new HashMap<>();

  public InputResolver(Overlay d) {
    this.d = d;
  }

  /** Forgets what was resolved: the desired state changed. */
  public void clear() {
    affected = null;
    if (!resolvedCache.isEmpty()) {
      resolvedCache.clear();
    }
  }

  /**
   * The resources whose desired state may differ from their applied one: the seeds (edited or
   * pending resources) and everything downstream of them in the applied or the desired graph.
   */
  public Set<ResourceId> affected() {
    if (affected == null) {
      Set<ResourceId> seen = new HashSet<>(d.seeds());
      Deque<ResourceId> queue = new ArrayDeque<>(d.seeds());
      while (!queue.isEmpty()) {
        ResourceId cur = queue.poll();
        for (Connection c : d.applied().outgoing(cur)) {
          if (seen.add(c.receiver().resource())) {
            queue.add(c.receiver().resource());
          }
        }
        for (Connection c : d.addedOut(cur)) {
          if (seen.add(c.receiver().resource())) {
            queue.add(c.receiver().resource());
          }
        }
      }
      affected = seen;
    }
    return affected;
  }

  /** The desired resource with its resolved inputs, or empty if it does not exist there. */
  public Optional<Resource> resolved(ResourceId id) {
    if (!affected().contains(id)) {
      return d.applied().get(id);
    }
    Optional<Resource> cached = resolvedCache.get(id);
    if (cached != null) {
      return cached;
    }
    Definition own = d.find(id);
    if (own == null || readyToResolve(own)) {
      Optional<Resource> r = own == null ? Optional.empty() : Optional.of(resolve(own));
      resolvedCache.put(id, r);
      return r;
    }
    // Walk upstream iteratively so that long chains do not overflow the stack. Everything above a
    // waiting resource on the stack feeds it, so an emitter that is itself waiting closes a cycle.
    Set<ResourceId> affected = affected();
    Deque<ResourceId> stack = new ArrayDeque<>();
    Set<ResourceId> waiting = new HashSet<>();
    stack.push(id);
    while (!stack.isEmpty()) {
      ResourceId cur = stack.peek();
      if (resolvedCache.containsKey(cur)) {
        stack.pop();
        continue;
      }
      Definition def = d.find(cur);
      if (def == null) {
        resolvedCache.put(cur, Optional.empty());
        stack.pop();
        continue;
      }
      boolean ready = true;
      for (Connection c : def.incoming()) {
        ResourceId e = c.emitter().resource();
        if (affected.contains(e) && !resolvedCache.containsKey(e)) {
          if (waiting.contains(e)) {
            throw new StoreException("the desired state has a connection cycle through " + e
                + "; the staged log was changed outside Stagehand");
          }
          stack.push(e);
          ready = false;
        }
      }
      if (ready) {
        resolvedCache.put(cur, Optional.of(resolve(def)));
        waiting.remove(cur);
        stack.pop();
      } else {
        waiting.add(cur);
      }
    }
    return resolvedCache.get(id);
  }

  /**
   * Refuses the batch if a connection would carry a value nested deeper than
   * {@link InputLimits#MAX_DEPTH} into an input: a collecting connection puts values in a list and
   * a keyed one puts them in a map, so a resolved input can be deeper than any value set by hand.
   * Walks downstream of {@code edited} and resolves only the resources that take such connections.
   */
  public void checkConnectedDepth(Collection<ResourceId> edited) {
    // in the order given, so that the same batch always names the same input
    Set<ResourceId> seen = new HashSet<>(edited);
    Deque<ResourceId> queue = new ArrayDeque<>(edited);
    while (!queue.isEmpty()) {
      ResourceId id = queue.poll();
      Definition def = d.find(id);
      if (def == null) {
        continue;
      }
      Set<String> wrapped = new TreeSet<>();
      for (Connection c : def.incoming()) {
        if (c.collecting() || c.key().isPresent()) {
          wrapped.add(c.receiver().input());
        }
      }
      if (!wrapped.isEmpty()) {
        Resource r = resolved(id).orElseThrow();
        for (String input : wrapped) {
          Value v = r.resolvedInputs().get(input);
          if (v != null) {
            Limits.checkDepth(v, "cannot stage this batch: the value " + id + "." + input
                + " would take through its connections");
          }
        }
      }
      // only what it emits: the walk goes downstream, and the applied set needs no copy
      for (Connection c : d.emitted(id)) {
        if (seen.add(c.receiver().resource())) {
          queue.add(c.receiver().resource());
        }
      }
    }
  }

  /** True if every emitter feeding {@code def} is resolved already (or outside the change). */
  private boolean readyToResolve(Definition def) {
    for (Connection c : def.incoming()) {
      ResourceId e = c.emitter().resource();
      if (!resolvedCache.containsKey(e) && affected().contains(e)) {
        return false;
      }
    }
    return true;
  }

  private Resource resolve(Definition def) {
    Resource r = d.resource(def);
    if (def.incoming().isEmpty()) {
      // nothing connected: the resolved inputs are the own ones
      // a resource shares one map for both when they are equal
      return r.resolvedInputs() == r.ownInputs() && r.sensitiveFedInputs().isEmpty()
          ? r : RESOURCES.withResolved(r, r.ownInputs(), Collections.emptySortedSet());
    }
    TreeMap<String, Value> resolved = new TreeMap<>(def.ownInputs());
    // sensitivity follows the data: an input fed from a sensitive one is sensitive here
    SortedSet<String> fed = Collections.emptySortedSet();
    // most connections feed a plain input: the maps for lists and keyed inputs are made on demand
    Map<String, List<Value>> collected = Map.of();
    Map<String, TreeMap<String, Value>> keyed = Map.of();
    Map<String, TreeMap<ResourceId, TreeMap<String, Value>>> keyedByEmitter = Map.of();
    for (Connection c : def.incoming()) {
      ResourceId e = c.emitter().resource();
      Optional<Resource> emitter =
          affected().contains(e) ? resolvedCache.get(e) : d.applied().get(e);
      Value v = emitter.isPresent() ? emitter.get().resolvedInputs().get(c.emitter().input()) : null;
      String input = c.receiver().input();
      if (v != null && emitter.get().isSensitive(c.emitter().input())) {
        if (fed.isEmpty()) {
          fed = new TreeSet<>();
        }
        fed.add(input);
      }
      if (c.collecting() && c.key().isPresent()) {
        if (keyedByEmitter.isEmpty()) {
          keyedByEmitter = new TreeMap<>();
        }
        TreeMap<String, Value> element = keyedByEmitter.computeIfAbsent(input, k -> new TreeMap<>())
            .computeIfAbsent(e, k -> new TreeMap<>());
        if (v != null) {
          element.put(c.key().get(), v);
        }
      } else if (c.collecting()) {
        if (collected.isEmpty()) {
          collected = new TreeMap<>();
        }
        List<Value> list = collected.computeIfAbsent(input, k -> new ArrayList<>());
        if (v != null) {
          list.add(v);
        }
      } else if (c.key().isPresent()) {
        if (keyed.isEmpty()) {
          keyed = new TreeMap<>();
        }
        TreeMap<String, Value> map = keyed.computeIfAbsent(input, k -> new TreeMap<>());
        if (v != null) {
          map.put(c.key().get(), v);
        }
      } else if (v != null) {
        resolved.put(input, v);
      }
    }
    // incoming is sorted by emitter then input, so each list is in the documented order
    collected.forEach((input, values) -> resolved.put(input, Value.list(values)));
    keyedByEmitter.forEach((input, byEmitter) -> {
      List<Value> elements = new ArrayList<>();
      byEmitter.values().forEach(m -> {
        if (!m.isEmpty()) {
          elements.add(Value.map(m));
        }
      });
      resolved.put(input, Value.list(elements));
    });
    keyed.forEach((input, fedKeys) -> {
      Value own = def.ownInputs().get(input);
      if (own == null && fedKeys.isEmpty()) {
        return;
      }
      TreeMap<String, Value> merged = new TreeMap<>();
      if (own instanceof Value.MapValue m) {
        merged.putAll(m.entries());
      }
      merged.putAll(fedKeys);
      resolved.put(input, Value.map(merged));
    });
    return RESOURCES.withResolved(r, resolved, fed);
  }
}
