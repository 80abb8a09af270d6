package io.stagehand.store.api;

import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deliberately naive second implementation of the desired state, for property tests: whole maps
 * copied, edits applied without validation, resolved inputs computed recursively. It trusts the
 * orchestrator to have accepted only valid batches, and {@link #checkValid()} checks that trust.
 */
final class ReferenceModel {
  /** One resource as the model keeps it. */
  record Def(String kind, TreeMap<String, Value> own, TreeSet<Connection> incoming, TreeSet<String> sensitive) {
    Def copy() {
      return new Def(kind, new TreeMap<>(own), new TreeSet<>(incoming), new TreeSet<>(sensitive));
    }
  }

  final TreeMap<String, Def> defs = new TreeMap<>();

  ReferenceModel copy() {
    ReferenceModel m = new ReferenceModel();
    defs.forEach((k, v) -> m.defs.put(k, v.copy()));
    return m;
  }

  void apply(Edit e) {
    if (e instanceof Edit.Create c) {
      defs.put(c.id().name(), new Def(c.kind(), new TreeMap<>(c.inputs()), new TreeSet<>(), new TreeSet<>(c.sensitive())));
    } else if (e instanceof Edit.SetInput s) {
      defs.get(s.id().name()).own().put(s.input(), s.value());
    } else if (e instanceof Edit.UnsetInput u) {
      defs.get(u.id().name()).own().remove(u.input());
    } else if (e instanceof Edit.Remove r) {
      defs.remove(r.id().name());
      defs.values().forEach(d -> d.incoming().removeIf(c -> c.touches(r.id())));
    } else if (e instanceof Edit.Connect c) {
      defs.get(c.connection().receiver().resource().name()).incoming().add(c.connection());
    } else if (e instanceof Edit.Disconnect d) {
      defs.get(d.connection().receiver().resource().name()).incoming().removeIf(c -> c.sameEnds(d.connection()));
    }
  }

  /** Resolved inputs of every resource. */
  Map<String, TreeMap<String, Value>> resolved() {
    Map<String, TreeMap<String, Value>> memo = new HashMap<>();
    for (String id : defs.keySet()) {
      resolve(id, memo, new HashSet<>());
    }
    return memo;
  }

  private TreeMap<String, Value> resolve(String id, Map<String, TreeMap<String, Value>> memo, Set<String> visiting) {
    TreeMap<String, Value> done = memo.get(id);
    if (done != null) {
      return done;
    }
    if (!visiting.add(id)) {
      throw new AssertionError("the reference model found a cycle through " + id);
    }
    Def d = defs.get(id);
    TreeMap<String, Value> out = new TreeMap<>(d.own());
    Map<String, List<Connection>> collecting = new TreeMap<>();
    for (Connection c : d.incoming()) {
      if (c.collecting()) {
        collecting.computeIfAbsent(c.receiver().input(), k -> new ArrayList<>()).add(c);
        continue;
      }
      Optional.ofNullable(resolve(c.emitter().resource().name(), memo, visiting).get(c.emitter().input()))
          .ifPresent(v -> out.put(c.receiver().input(), v));
    }
    collecting.forEach((input, conns) -> {
      conns.sort(Comparator.comparing((Connection c) -> c.emitter().resource().name())
          .thenComparing(c -> c.emitter().input()));
      List<Value> values = new ArrayList<>();
      for (Connection c : conns) {
        Value v = resolve(c.emitter().resource().name(), memo, visiting).get(c.emitter().input());
        if (v != null) {
          values.add(v);
        }
      }
      out.put(input, Value.list(values));
    });
    visiting.remove(id);
    memo.put(id, out);
    return out;
  }

  /** The model's own check of what the orchestrator must never accept. */
  void checkValid() {
    for (Map.Entry<String, Def> e : defs.entrySet()) {
      Map<String, Integer> plain = new HashMap<>();
      Map<String, Boolean> kindOf = new HashMap<>();
      for (Connection c : e.getValue().incoming()) {
        String in = c.receiver().input();
        if (!defs.containsKey(c.emitter().resource().name())) {
          throw new AssertionError("dangling connection " + c);
        }
        if (e.getValue().own().containsKey(in)) {
          throw new AssertionError(e.getKey() + "." + in + " is both set and connected");
        }
        Boolean prev = kindOf.put(in, c.collecting());
        if (prev != null && prev != c.collecting()) {
          throw new AssertionError("mixed plain and collecting into " + c.receiver());
        }
        if (!c.collecting() && plain.merge(in, 1, Integer::sum) > 1) {
          throw new AssertionError("two plain connections into " + c.receiver());
        }
      }
    }
    resolved();
  }
}
