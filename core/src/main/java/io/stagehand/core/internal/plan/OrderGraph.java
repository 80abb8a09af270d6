package io.stagehand.core.internal.plan;

import com.google.common.collect.ImmutableSortedSet;
import io.stagehand.core.StoreException;
import io.stagehand.core.internal.ApiAccess;
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
 * The planner's ordering graph: resources by index, edges in growable int arrays, one reason per
 * edge. A first deployment has hundreds of thousands of edges, and a general-purpose graph spends most
 * of its time hashing vertices and edge objects; this one hashes each resource once.
 */
public final class OrderGraph {
  private static final ApiAccess.Plans PLANS = ApiAccess.plans();

  private static final int WIDE = 16;
  private final List<ResourceId> ids = new ArrayList<>();
  private final Map<ResourceId, Integer> index = new HashMap<>();
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

  /** The vertex of {@code id}, added if new. */
  public int add(ResourceId id) {
    Integer known = index.get(id);
    if (known != null) {
      return known;
    }
    int v = ids.size();
    ids.add(id);
    index.put(id, v);
    if (v == outSize.length) {
      int n = v * 2;
      out = Arrays.copyOf(out, n);
      in = Arrays.copyOf(in, n);
      outSize = Arrays.copyOf(outSize, n);
      inSize = Arrays.copyOf(inSize, n);
      removed = Arrays.copyOf(removed, n);
    }
    return v;
  }

  /** Adds the edge {@code from -> to} with its reason; an edge already there keeps its first reason. */
  public void addEdge(ResourceId from, ResourceId to, String reason) {
    addEdge(from, to, () -> reason);
  }

  /** Adds the edge {@code from -> to} with its reason, worded when first read. */
  public void addEdge(ResourceId from, ResourceId to, Supplier<String> reason) {
    if (from.equals(to)) {
      return;
    }
    int a = index.get(from);
    int b = index.get(to);
    if (seenBefore(a, b)) {
      return;
    }
    out[a] = push(out[a], outSize[a]++, b);
    in[b] = push(in[b], inSize[b]++, a);
    edges.add(PLANS.edge(from, to, reason));
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

  /** True if {@code to} can be reached from {@code from} along the edges. */
  public boolean reaches(ResourceId from, ResourceId to) {
    int target = index.get(to);
    int start = index.get(from);
    if (start == target) {
      return true;
    }
    if (inSize[target] == 0 || outSize[start] == 0) {
      return false; // the usual case for a location, a vertex nothing points to yet
    }
    // visited vertices carry this search's stamp: no set to build, hash or collect per search
    if (seen == null || seen.length < ids.size()) {
      seen = new int[Math.max(outSize.length, 64)];
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
    return neighbours(index.get(id), out, outSize, false);
  }

  /** The direct predecessors of {@code id} that were not removed, in id order. */
  public SortedSet<ResourceId> livePredecessors(ResourceId id) {
    return neighbours(index.get(id), in, inSize, true);
  }

  /** The direct successors of {@code id} that were not removed, in id order. */
  public SortedSet<ResourceId> liveSuccessors(ResourceId id) {
    return neighbours(index.get(id), out, outSize, true);
  }

  private SortedSet<ResourceId> neighbours(int v, int[][] adj, int[] size, boolean liveOnly) {
    if (size[v] == 0) {
      return ImmutableSortedSet.of();
    }
    List<ResourceId> found = new ArrayList<>(size[v]);
    for (int i = 0; i < size[v]; i++) {
      int w = adj[v][i];
      if (!liveOnly || !removed[w]) {
        found.add(ids.get(w));
      }
    }
    return ImmutableSortedSet.copyOf(found);
  }

  /** Takes {@code gone} out of the order: they and their edges no longer count. */
  public void remove(Collection<ResourceId> gone) {
    gone.forEach(id -> removed[index.get(id)] = true);
  }

  /** The edges between vertices that were not removed, sorted by before, then after. */
  public List<PlanEdge> liveEdges() {
    int n = ids.size();
    // vertices were added mostly in id order, so this sort is close to linear
    Integer[] byId = new Integer[n];
    for (int v = 0; v < n; v++) {
      byId[v] = v;
    }
    Arrays.sort(byId, (x, y) -> ids.get(x).compareTo(ids.get(y)));
    int[] rank = new int[n];
    for (int i = 0; i < n; i++) {
      rank[byId[i]] = i;
    }
    int[] live = new int[edges.size()];
    int count = 0;
    for (int e = 0; e < edges.size(); e++) {
      if (!removed[edgeEnds[2 * e]] && !removed[edgeEnds[2 * e + 1]]) {
        live[count++] = e;
      }
    }
    // two stable counting sorts (by after, then by before) instead of comparing names 300k times
    int[] byAfter = countingSort(live, count, e -> rank[edgeEnds[2 * e + 1]], n);
    int[] sorted = countingSort(byAfter, count, e -> rank[edgeEnds[2 * e]], n);
    List<PlanEdge> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
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
    int n = ids.size();
    int[] waiting = new int[n];
    int[] topo = new int[n];
    int tail = 0;
    int live = 0;
    for (int v = 0; v < n; v++) {
      if (removed[v]) {
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
    return wave[index.get(id)];
  }

  /** The remaining path of a live vertex, after {@link #order()}. */
  public int remainingPath(ResourceId id) {
    return remaining[index.get(id)];
  }
}
