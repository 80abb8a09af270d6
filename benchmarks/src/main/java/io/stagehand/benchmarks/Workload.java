package io.stagehand.benchmarks;

import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.InputRef;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A realistic deployment of about {@code n} resources and 3n connections: nodes (10%), services placed
 * on nodes and taking the node's ip (80%), each feeding one or two neighbours in its group of 16
 * (fan-in and fan-out), and load balancers (10%) collecting the ips of 8 services each.
 */
final class Workload {
  private static final int GROUP = 16;

  final int nodes;
  final int services;
  final int balancers;
  private final Random random;

  Workload(int n, long seed) {
    this.nodes = Math.max(1, n / 10);
    this.balancers = Math.max(1, n / 10);
    this.services = balancers * 8;
    this.random = new Random(seed);
  }

  int size() {
    return nodes + services + balancers;
  }

  static ResourceId node(int i) {
    return ResourceId.of("n" + i);
  }

  static ResourceId service(int i) {
    return ResourceId.of("s" + i);
  }

  static ResourceId balancer(int i) {
    return ResourceId.of("lb" + i);
  }

  private int nodeOf(int service) {
    return service % nodes;
  }

  /** The connections into service {@code i}: its node's ip, and its group neighbours' ports. */
  private List<Connection> serviceIncoming(int i) {
    List<Connection> in = new ArrayList<>();
    in.add(new Connection(new InputRef(node(nodeOf(i)), "ip"), new InputRef(service(i), "ip"), false));
    int inGroup = i % GROUP;
    for (int back = 1; back <= 2; back++) {
      if (inGroup - back >= 0) {
        in.add(new Connection(new InputRef(service(i - back), "port"), new InputRef(service(i), "upstream"), true));
      }
    }
    return in;
  }

  private List<Connection> balancerIncoming(int l) {
    List<Connection> in = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      in.add(new Connection(new InputRef(service(l * 8 + k), "ip"), new InputRef(balancer(l), "backends"), true));
    }
    return in;
  }

  private static Map<String, Value> nodeInputs(int j) {
    return Map.of("ip", Value.of("10." + (j >> 16 & 255) + "." + (j >> 8 & 255) + "." + (j & 255)));
  }

  private static Map<String, Value> serviceInputs(int i) {
    return Map.of("port", Value.of(5000 + i % 1000), "version", Value.of("1.0." + i % 7),
        "name", Value.of("svc-" + i), "cfg", Value.map(Map.of("workers", Value.of(4), "debug", Value.of(false))));
  }

  /** The first deployment as one batch of edits: every resource created, then every connection. */
  List<Edit> firstDeployment() {
    List<Edit> edits = new ArrayList<>();
    for (int j = 0; j < nodes; j++) {
      edits.add(new Edit.Create(node(j), "node", nodeInputs(j), java.util.Set.of()));
    }
    for (int i = 0; i < services; i++) {
      edits.add(new Edit.Create(service(i), "service", new TreeMap<>(serviceInputs(i)), new TreeSet<>(),
          Optional.of(node(nodeOf(i))), new TreeSet<>()));
    }
    for (int l = 0; l < balancers; l++) {
      edits.add(new Edit.Create(balancer(l), "haproxy", Map.of("listen", Value.of(80)), java.util.Set.of()));
    }
    for (int i = 0; i < services; i++) {
      serviceIncoming(i).forEach(c -> edits.add(new Edit.Connect(c)));
    }
    for (int l = 0; l < balancers; l++) {
      balancerIncoming(l).forEach(c -> edits.add(new Edit.Connect(c)));
    }
    return edits;
  }

  /** Every connection of the deployment, for the graph baselines. */
  List<Connection> connections() {
    List<Connection> out = new ArrayList<>();
    for (int i = 0; i < services; i++) {
      out.addAll(serviceIncoming(i));
    }
    for (int l = 0; l < balancers; l++) {
      out.addAll(balancerIncoming(l));
    }
    return out;
  }

  /**
   * Writes the whole deployment as applied state, bypassing staging (for the benchmarks that need an
   * existing deployment): resolved inputs are computed in dependency order as the desired state would.
   */
  void writeApplied(Store store) {
    Map<ResourceId, Map<String, Value>> resolved = new java.util.HashMap<>();
    List<Resource> batch = new ArrayList<>();
    for (int j = 0; j < nodes; j++) {
      batch.add(resource(node(j), "node", nodeInputs(j), List.of(), Optional.empty(), resolved));
      flush(store, batch, false);
    }
    for (int i = 0; i < services; i++) {
      batch.add(resource(service(i), "service", serviceInputs(i), serviceIncoming(i), Optional.of(node(nodeOf(i))),
          resolved));
      flush(store, batch, false);
    }
    for (int l = 0; l < balancers; l++) {
      batch.add(resource(balancer(l), "haproxy", Map.of("listen", Value.of(80)), balancerIncoming(l), Optional.empty(),
          resolved));
      flush(store, batch, false);
    }
    flush(store, batch, true);
  }

  private static void flush(Store store, List<Resource> batch, boolean force) {
    if (batch.size() >= 5000 || (force && !batch.isEmpty())) {
      List<Resource> copy = List.copyOf(batch);
      store.write(w -> {
        copy.forEach(w::putResource);
        return null;
      });
      batch.clear();
    }
  }

  private static Resource resource(ResourceId id, String kind, Map<String, Value> own, List<Connection> incoming,
      Optional<ResourceId> location, Map<ResourceId, Map<String, Value>> resolved) {
    TreeSet<Connection> sorted = new TreeSet<>(incoming);
    TreeMap<String, Value> values = new TreeMap<>(own);
    Map<String, List<Value>> lists = new TreeMap<>();
    for (Connection c : sorted) {
      Value v = resolved.get(c.emitter().resource()).get(c.emitter().input());
      if (c.collecting()) {
        lists.computeIfAbsent(c.receiver().input(), k -> new ArrayList<>()).add(v);
      } else {
        values.put(c.receiver().input(), v);
      }
    }
    lists.forEach((k, v) -> values.put(k, Value.list(v)));
    resolved.put(id, values);
    return Resource.builder().id(id).kind(kind).ownInputs(own).incoming(sorted).location(location)
        .resolvedInputs(values).build();
  }

  /** An edit of {@code size} random services: a new port each, which their group neighbours take. */
  List<Edit> editBatch(int size, int round) {
    List<Edit> edits = new ArrayList<>();
    java.util.Set<Integer> picked = new java.util.HashSet<>();
    while (picked.size() < Math.min(size, services)) {
      picked.add(random.nextInt(services));
    }
    for (int i : picked) {
      edits.add(new Edit.SetInput(service(i), "port", Value.of(10_000 + round * 1000 + i % 1000)));
    }
    return edits;
  }
}
