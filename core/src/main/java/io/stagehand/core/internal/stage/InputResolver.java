package io.stagehand.core.internal.stage;

import io.stagehand.core.InputLimits;
import io.stagehand.core.StoreException;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.internal.Limits;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Resolves a desired state's inputs on demand, reading its {@link Overlay}: which resources the
 * change can reach (the seeds and everything downstream of them), and for each the inputs its
 * connections feed it, with the sensitivity that follows them. What it resolved is kept until the
 * desired state changes.
 */
public final class InputResolver {
  private static final ApiAccess.Resources RESOURCES = ApiAccess.resources();
  private static final byte UNSEEN = 0;
  private static final byte WAITING = 1;
  private static final byte RESOLVED = 2;

  private final Overlay d;
  /** The affected resources, numbered in the order they were found; null until asked for. */
  private Numbering affected;
  /** By number: what was resolved of each affected resource (null for one that does not exist). */
  private Resource[] byNumber;
  private byte[] state;

  public InputResolver(Overlay d) {
    this.d = d;
  }

  /** Forgets what was resolved: the desired state changed. */
  public void clear() {
    affected = null;
    byNumber = null;
    state = null;
  }

  /**
   * The resources whose desired state may differ from their applied one: the seeds (edited or
   * pending resources) and everything downstream of them in the applied or the desired graph,
   * numbered in the order of a breadth-first walk from the seeds.
   */
  public Numbering numbering() {
    if (affected == null) {
      Numbering seen = new Numbering();
      d.seeds().forEach(seen::add);
      // the numbering is the walk's queue: number i is visited when every number before it was
      for (int i = 0; i < seen.size(); i++) {
        ResourceId cur = seen.id(i);
        for (Connection c : d.applied().outgoing(cur)) {
          seen.add(c.receiver().resource());
        }
        for (Connection c : d.addedOut(cur)) {
          seen.add(c.receiver().resource());
        }
      }
      affected = seen;
      byNumber = new Resource[seen.size()];
      state = new byte[seen.size()];
    }
    return affected;
  }

  /** The affected resources ({@link #numbering()}) as a set. */
  public Set<ResourceId> affected() {
    return numbering().asSet();
  }

  /** The desired resource with its resolved inputs, or empty if it does not exist there. */
  public Optional<Resource> resolved(ResourceId id) {
    int n = numbering().number(id);
    return n < 0 ? d.applied().get(id) : Optional.ofNullable(resolved(n));
  }

  /**
   * The desired resource numbered {@code n} with its resolved inputs, or null if it does not exist
   * there. Resolves first, once each, the affected emitters upstream of it that are not resolved yet.
   */
  public Resource resolved(int n) {
    numbering();
    if (state[n] == RESOLVED) {
      return byNumber[n];
    }
    // Walk upstream iteratively so that long chains do not overflow the stack. Everything above a
    // waiting resource on the stack feeds it, so an emitter that is itself waiting closes a cycle.
    int[] stack = new int[16];
    int top = 0;
    stack[top++] = n;
    while (top > 0) {
      int cur = stack[top - 1];
      if (state[cur] == RESOLVED) {
        top--;
        continue;
      }
      Definition def = d.find(affected.id(cur));
      boolean ready = true;
      if (def != null) {
        for (Connection c : def.incoming()) {
          int e = affected.number(c.emitter().resource());
          if (e >= 0 && state[e] != RESOLVED) {
            if (state[e] == WAITING) {
              throw new StoreException("the desired state has a connection cycle through "
                  + c.emitter().resource() + "; the staged log was changed outside Stagehand");
            }
            if (top == stack.length) {
              stack = Arrays.copyOf(stack, top * 2);
            }
            stack[top++] = e;
            ready = false;
          }
        }
      }
      if (ready) {
        byNumber[cur] = def == null ? null : resolve(def);
        state[cur] = RESOLVED;
        top--;
      } else {
        state[cur] = WAITING;
      }
    }
    return byNumber[n];
  }

  /**
   * Refuses the batch if a connection would carry a value nested deeper than
   * {@link InputLimits#MAX_DEPTH} into an input: a collecting connection puts values in a list and
   * a keyed one puts them in a map, so a resolved input can be deeper than any value set by hand.
   * Walks downstream of {@code edited} and resolves only the resources that take such connections.
   */
  public void checkConnectedDepth(Collection<ResourceId> edited) {
    // in the order given, so that the same batch always names the same input; everything
    // downstream of an edited resource is affected, so the walk marks numbers
    Numbering numbers = numbering();
    boolean[] seen = new boolean[numbers.size()];
    int[] queue = new int[Math.max(16, edited.size())];
    int head = 0;
    int tail = 0;
    for (ResourceId id : edited) {
      int n = numbers.number(id);
      if (n >= 0 && !seen[n]) {
        seen[n] = true;
        queue[tail++] = n;
      }
    }
    // when the batch edited every affected resource (a first deployment), there is nothing to walk to
    boolean walk = tail < numbers.size();
    while (head < tail) {
      int n = queue[head++];
      ResourceId id = numbers.id(n);
      Definition def = d.find(id);
      if (def == null) {
        continue;
      }
      Set<String> wrapped = null;
      for (Connection c : def.incoming()) {
        if (c.collecting() || c.key().isPresent()) {
          if (wrapped == null) {
            wrapped = new TreeSet<>();
          }
          wrapped.add(c.receiver().input());
        }
      }
      if (wrapped != null) {
        Resource r = resolved(n);
        for (String input : wrapped) {
          Value v = r.resolvedInputs().get(input);
          if (v != null) {
            Limits.checkDepth(v, "cannot stage this batch: the value " + id + "." + input
                + " would take through its connections");
          }
        }
      }
      // only what it emits: the walk goes downstream, and the applied set needs no copy
      for (Connection c : walk ? d.emitted(id) : List.<Connection>of()) {
        int next = numbers.number(c.receiver().resource());
        if (next >= 0 && !seen[next]) {
          seen[next] = true;
          if (tail == queue.length) {
            queue = Arrays.copyOf(queue, tail * 2);
          }
          queue[tail++] = next;
        }
      }
    }
  }

  private Resource resolve(Definition def) {
    Resource r = d.resource(def);
    if (def.incoming().isEmpty()) {
      // nothing connected: the resolved inputs are the own ones
      // a resource shares one map for both when they are equal
      return r.resolvedInputs() == r.ownInputs() && r.sensitiveFedInputs().isEmpty() && r.unknownInputs().isEmpty()
          ? r : RESOURCES.withResolved(r, r.ownInputs(), Collections.emptySortedSet(), Collections.emptySortedSet());
    }
    // its emitters are resolved first (see resolved(int))
    return resolveOver(r, def.ownInputs(), def.incoming(), e -> {
      int en = affected.number(e);
      return en >= 0 ? byNumber[en] : d.applied().get(e).orElse(null);
    }, emitter -> affected.number(emitter.id()) >= 0 && outputsPending(emitter));
  }

  /**
   * {@code r} with the inputs its connections {@code incoming} resolve to over {@code own}: each takes
   * its emitter's input or output (from {@code emitters}, null for one that does not exist), whose
   * sensitivity it takes too. An input fed from an output of an emitter that {@code outputsPending},
   * or from an input of the emitter that is itself known only after apply, is known only after apply.
   * Shared by the desired state and by an apply, which resolves again with the outputs the emitters
   * returned.
   */
  public static Resource resolveOver(Resource r, SortedMap<String, Value> own, Collection<Connection> incoming,
      Function<ResourceId, Resource> emitters, Predicate<Resource> outputsPending) {
    TreeMap<String, Value> resolved = new TreeMap<>(own);
    // sensitivity follows the data: an input fed from a sensitive one is sensitive here
    SortedSet<String> fed = Collections.emptySortedSet();
    // most connections feed a plain input: the maps for lists and keyed inputs are made on demand
    Map<String, List<Value>> collected = Map.of();
    Map<String, TreeMap<String, Value>> keyed = Map.of();
    Map<String, TreeMap<ResourceId, TreeMap<String, Value>>> keyedByEmitter = Map.of();
    // inputs fed from an output that an emitter returns only in the apply: known after apply
    SortedSet<String> unknown = Collections.emptySortedSet();
    for (Connection c : incoming) {
      ResourceId e = c.emitter().resource();
      Resource emitter = emitters.apply(e);
      String input = c.receiver().input();
      Value v;
      boolean sensitive;
      if (!c.readsOutput() && (emitter == null || !emitter.unknownInputs().contains(c.emitter().input()))) {
        v = emitter != null ? emitter.resolvedInputs().get(c.emitter().input()) : null;
        sensitive = v != null && emitter.isSensitive(c.emitter().input());
      } else if (!c.readsOutput() || emitter != null && outputsPending.test(emitter)) {
        // an output returned only in the apply, or an input of the emitter that is fed one
        if (unknown.isEmpty()) {
          unknown = new TreeSet<>();
        }
        unknown.add(input);
        continue;
      } else {
        v = emitter != null ? emitter.outputs().get(c.emitter().input()) : null;
        if (emitter != null && v == null) {
          // it ran and returned no such output: nothing can say what the input will be until it runs
          // again (the apply refuses the action, naming the output)
          if (unknown.isEmpty()) {
            unknown = new TreeSet<>();
          }
          unknown.add(input);
          continue;
        }
        sensitive = emitter.isSensitiveOutput(c.emitter().input());
      }
      if (sensitive) {
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
      Value ownValue = own.get(input);
      if (ownValue == null && fedKeys.isEmpty()) {
        return;
      }
      TreeMap<String, Value> merged = new TreeMap<>();
      if (ownValue instanceof Value.MapValue m) {
        merged.putAll(m.entries());
      }
      merged.putAll(fedKeys);
      resolved.put(input, Value.map(merged));
    });
    // an input with an unknown part is unknown as a whole: a list or map is known when all of it is
    unknown.forEach(resolved::remove);
    return RESOURCES.withResolved(r, resolved, fed, unknown);
  }

  /**
   * True if the outputs of {@code emitter} (an affected resource, resolved) are known only after
   * apply: its handler will run with something new, as a new resource (not an import, which records
   * its outputs), with changed or unknown inputs, touched or replaced. A resource whose only change is Stagehand's
   * metadata keeps its outputs.
   */
  private boolean outputsPending(Resource emitter) {
    ResourceId id = emitter.id();
    Resource applied = d.applied().get(id).orElse(null);
    if (applied == null || d.isRecordOnly(id)) {
      // an import or an adoption records the outputs it was given, and runs nothing
      return applied == null && !d.isRecordOnly(id);
    }
    return d.isTouched(id) || d.isReplaced(id) || !emitter.unknownInputs().isEmpty()
        || !emitter.resolvedInputs().equals(applied.resolvedInputs());
  }

  /**
   * Whether the output {@code name} of {@code emitter} is known in the desired state with no value:
   * the emitter's outputs are known (it keeps its applied outputs) and lack it. A connection from it
   * would carry nothing.
   */
  public boolean lacksOutput(ResourceId emitter, String name) {
    int n = numbering().number(emitter);
    Resource r = n >= 0 ? resolved(n) : d.applied().get(emitter).orElse(null);
    if (r == null || n >= 0 && outputsPending(r)) {
      return false;
    }
    return !r.outputs().containsKey(name);
  }
}
