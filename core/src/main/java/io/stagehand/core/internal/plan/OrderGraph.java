package io.stagehand.core.internal.plan;

import com.google.common.collect.ImmutableSortedSet;
import io.stagehand.core.StoreException;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.internal.stage.Numbering;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.PlanEdge;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * The planner's ordering graph: resources by their number in a {@link Numbering}, edges in growable
 * int arrays, one reason per edge. A first deployment has hundreds of thousands of edges, and a
 * general-purpose graph spends most of its time hashing vertices and edge objects; this one works on
 * the numbers the resources got at staging. The methods taking ids are for tests and small callers.
 */
public final class OrderGraph {
  private static final ApiAccess.Plans PLANS = ApiAccess.plans();

  private static final int WIDE = 16;
  private final Numbering ids;
  /** Whether each number is a vertex: only the resources with an action are. */
  private boolean[] vertex = new boolean[64];
  private int[][] out = new int[64][];
  private int[] outSize = new int[64];
  private int[][] in = new int[64][];
  private int[] inSize = new int[64];
  /** Successor sets of the vertices with many successors; the others are searched in their list. */
  private final Map<Integer, Set<Integer>> wideOut = new HashMap<>();
  private final List<PlanEdge> edges = new ArrayList<>();
  /** The two vertices of every edge, in the order of {@link #edges}. */
  private int[] edgeEnds = new int[64];
  private int edgeEndsSize;
  private boolean[] removed = new boolean[64];
  private int[] wave;
  private int[] remaining;
  /** {@link #reaches}'s scratch: the stamp of the last search that visited each vertex, and its queue. */
  private int[] seen;
  private int searches;
  private int[] queue = new int[16];

  /** A graph of no vertex yet, over the numbers of {@code ids}. */
  public OrderGraph(Numbering ids) {
    this.ids = ids;
  }

  /** A graph numbering its own vertices. */
  public OrderGraph() {
    this(new Numbering());
  }

  /** Makes {@code id} a vertex, numbering it if it has no number yet; returns its number. */
  public int add(ResourceId id) {
    int v = ids.add(id);
    add(v);
    return v;
  }

  /** Makes the resource numbered {@code v} a vertex. */
  public void add(int v) {
    if (v >= outSize.length) {
      int n = Math.max(v + 1, outSize.length * 2);
      out = Arrays.copyOf(out, n);
      in = Arrays.copyOf(in, n);
      outSize = Arrays.copyOf(outSize, n);
      inSize = Arrays.copyOf(inSize, n);
      removed = Arrays.copyOf(removed, n);
      vertex = Arrays.copyOf(vertex, n);
    }
    vertex[v] = true;
  }

  /** Adds the edge {@code from -> to} with its reason; an edge already there keeps its first reason. */
  public void addEdge(ResourceId from, ResourceId to, String reason) {
    addEdge(ids.number(from), ids.number(to), () -> reason);
  }

  /** Adds the edge {@code a -> b} between two vertices, with its reason, worded when first read. */
  public void addEdge(int a, int b, Supplier<String> reason) {
    if (a == b || seenBefore(a, b)) {
      return;
    }
    out[a] = push(out[a], outSize[a]++, b);
    in[b] = push(in[b], inSize[b]++, a);
    edges.add(PLANS.edge(ids.id(a), ids.id(b), reason));
    edgeEnds = push(edgeEnds, edgeEndsSize++, a);
    edgeEnds = push(edgeEnds, edgeEndsSize++, b);
  }

  /** True if {@code a -> b} is there already; otherwise a wide vertex records {@code b} as it goes in. */
  private boolean seenBefore(int a, int b) {
    int n = outSize[a];
    if (n < WIDE) {
      for (int i = 0; i < n; i++) {
        if (out[a][i] == b) {
          return true;
        }
      }
      return false;
    }
    Set<Integer> wide = wideOut.computeIfAbsent(a, k -> {
      Set<Integer> set = new HashSet<>();
      for (int i = 0; i < n; i++) {
        set.add(out[a][i]);
      }
      return set;
    });
    return !wide.add(b);
  }

  private static int[] push(int[] list, int size, int v) {
    int[] l = list == null ? new int[4] : size == list.length ? Arrays.copyOf(list, size * 2) : list;
    l[size] = v;
    return l;
  }

  /** True if vertex {@code target} can be reached from vertex {@code start} along the edges. */
  public boolean reaches(int start, int target) {
    if (start == target) {
      return true;
    }
    if (inSize[target] == 0 || outSize[start] == 0) {
      return false; // the usual case for a location, a vertex nothing points to yet
    }
    // visited vertices carry this search's stamp: no set to build, hash or collect per search
    if (seen == null || seen.length < outSize.length) {
      seen = new int[outSize.length];
    }
    int stamp = ++searches;
    int[] queue = this.queue;
    int head = 0;
    int tail = 0;
    queue[tail++] = start;
    seen[start] = stamp;
    while (head < tail) {
      int cur = queue[head++];
      if (cur == target) {
        this.queue = queue;
        return true;
      }
      for (int i = 0; i < outSize[cur]; i++) {
        int next = out[cur][i];
        if (seen[next] != stamp) {
          seen[next] = stamp;
          if (tail == queue.length) {
            queue = Arrays.copyOf(queue, tail * 2);
          }
          queue[tail++] = next;
        }
      }
    }
    this.queue = queue;
    return false;
  }

  /** The direct successors of {@code id}, removed vertices included. */
  public SortedSet<ResourceId> successors(ResourceId id) {
    return successors(ids.number(id));
  }

  /** The direct successors of vertex {@code v}, removed vertices included. */
  public SortedSet<ResourceId> successors(int v) {
    return neighbours(v, out, outSize, false);
  }

  /** The direct predecessors of {@code id} that were not removed, in id order. */
  public SortedSet<ResourceId> livePredecessors(ResourceId id) {
    return livePredecessors(ids.number(id));
  }

  /** The direct predecessors of vertex {@code v} that were not removed, in id order. */
  public SortedSet<ResourceId> livePredecessors(int v) {
    return neighbours(v, in, inSize, true);
  }

  /** The direct successors of {@code id} that were not removed, in id order. */
  public SortedSet<ResourceId> liveSuccessors(ResourceId id) {
    return liveSuccessors(ids.number(id));
  }

  /** The direct successors of vertex {@code v} that were not removed, in id order. */
  public SortedSet<ResourceId> liveSuccessors(int v) {
    return neighbours(v, out, outSize, true);
  }

  private SortedSet<ResourceId> neighbours(int v, int[][] adj, int[] size, boolean liveOnly) {
    if (size[v] == 0) {
      return ImmutableSortedSet.of();
    }
    List<ResourceId> found = new ArrayList<>(size[v]);
    for (int i = 0; i < size[v]; i++) {
      int w = adj[v][i];
      if (!liveOnly || !removed[w]) {
        found.add(ids.id(w));
      }
    }
    return ImmutableSortedSet.copyOf(found);
  }

  /** Takes {@code gone} out of the order: they and their edges no longer count. */
  public void remove(Collection<ResourceId> gone) {
    gone.forEach(id -> remove(ids.number(id)));
  }

  /** Takes vertex {@code v} out of the order. */
  public void remove(int v) {
    removed[v] = true;
  }

  /** True if {@code v} is a vertex that was not removed. */
  private boolean live(int v) {
    return v < vertex.length && vertex[v] && !removed[v];
  }

  /** The edges between vertices that were not removed, sorted by before, then after. */
  public List<PlanEdge> liveEdges() {
    int n = outSize.length;
    // only the vertices are ranked, in id order
    Integer[] byId = new Integer[n];
    int count = 0;
    for (int v = 0; v < n; v++) {
      if (vertex[v]) {
        byId[count++] = v;
      }
    }
    Arrays.sort(byId, 0, count, (x, y) -> ids.id(x).compareTo(ids.id(y)));
    int[] rank = new int[n];
    for (int i = 0; i < count; i++) {
      rank[byId[i]] = i;
    }
    int[] live = new int[edges.size()];
    int liveEdges = 0;
    for (int e = 0; e < edges.size(); e++) {
      if (!removed[edgeEnds[2 * e]] && !removed[edgeEnds[2 * e + 1]]) {
        live[liveEdges++] = e;
      }
    }
    // two stable counting sorts (by after, then by before) instead of comparing names 300k times
    int[] byAfter = countingSort(live, liveEdges, e -> rank[edgeEnds[2 * e + 1]], count);
    int[] sorted = countingSort(byAfter, liveEdges, e -> rank[edgeEnds[2 * e]], count);
    List<PlanEdge> out = new ArrayList<>(liveEdges);
    for (int i = 0; i < liveEdges; i++) {
      out.add(edges.get(sorted[i]));
    }
    return out;
  }

  private static int[] countingSort(int[] items, int count, IntUnaryOperator key, int keys) {
    int[] start = new int[keys + 1];
    for (int i = 0; i < count; i++) {
      start[key.applyAsInt(items[i]) + 1]++;
    }
    for (int k = 0; k < keys; k++) {
      start[k + 1] += start[k];
    }
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[start[key.applyAsInt(items[i])]++] = items[i];
    }
    return out;
  }

  /**
   * The wave (1 + the largest wave among its predecessors) and the remaining path (1 + the longest
   * remaining path among its successors) of every vertex that was not removed. Both depend on the
   * graph alone, so any topological order serves: Kahn's, first in first out.
   */
  public void order() {
    int n = outSize.length;
    int[] waiting = new int[n];
    int[] topo = new int[n];
    int tail = 0;
    int live = 0;
    for (int v = 0; v < n; v++) {
      if (!live(v)) {
        continue;
      }
      live++;
      for (int i = 0; i < inSize[v]; i++) {
        if (!removed[in[v][i]]) {
          waiting[v]++;
        }
      }
      if (waiting[v] == 0) {
        topo[tail++] = v;
      }
    }
    int count = 0;
    int[] wave = new int[n];
    while (count < tail) {
      int v = topo[count++];
      int w = 1;
      for (int i = 0; i < inSize[v]; i++) {
        int p = in[v][i];
        if (!removed[p]) {
          w = Math.max(w, wave[p] + 1);
        }
      }
      wave[v] = w;
      for (int i = 0; i < outSize[v]; i++) {
        int s = out[v][i];
        if (!removed[s] && --waiting[s] == 0) {
          topo[tail++] = s;
        }
      }
    }
    if (count < live) {
      throw new StoreException("the plan's ordering rules form a cycle; the state has a connection cycle");
    }
    int[] remaining = new int[n];
    for (int i = count - 1; i >= 0; i--) {
      int v = topo[i];
      int r = 1;
      for (int k = 0; k < outSize[v]; k++) {
        int s = out[v][k];
        if (!removed[s]) {
          r = Math.max(r, remaining[s] + 1);
        }
      }
      remaining[v] = r;
    }
    this.wave = wave;
    this.remaining = remaining;
  }

  /** The wave of a live vertex, after {@link #order()}. */
  public int wave(ResourceId id) {
    return wave(ids.number(id));
  }

  public int wave(int v) {
    return wave[v];
  }

  /** The remaining path of a live vertex, after {@link #order()}. */
  public int remainingPath(ResourceId id) {
    return remainingPath(ids.number(id));
  }

  public int remainingPath(int v) {
    return remaining[v];
  }
}
