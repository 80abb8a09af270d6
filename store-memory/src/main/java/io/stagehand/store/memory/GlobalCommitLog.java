package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.CommitDraft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One totally ordered list of commits; indexes by resource and by tag hold list positions. */
final class GlobalCommitLog extends MemoryCommitLog {
  private final List<Commit> commits = new ArrayList<>();
  private final Map<ResourceId, List<Integer>> byResource = new HashMap<>();
  private final Map<Tag, List<Integer>> byTag = new LinkedHashMap<>();

  @Override
  public CommitLogVariant variant() {
    return CommitLogVariant.GLOBAL;
  }

  @Override
  Commit append(CommitDraft draft) {
    Commit c = Commit.of(draft, CommitPosition.global(commits.size() + 1L));
    int at = commits.size();
    commits.add(c);
    byResource.computeIfAbsent(c.resource(), k -> new ArrayList<>()).add(at);
    byTag.computeIfAbsent(c.tag(), k -> new ArrayList<>()).add(at);
    return c;
  }

  @Override
  void removeLast(Commit commit) {
    int at = commits.size() - 1;
    commits.remove(at);
    removeLastIndex(byResource, commit.resource());
    removeLastIndex(byTag, commit.tag());
  }

  private static <K> void removeLastIndex(Map<K, List<Integer>> map, K key) {
    List<Integer> list = map.get(key);
    list.remove(list.size() - 1);
    if (list.isEmpty()) {
      map.remove(key);
    }
  }

  @Override
  public List<Tag> tags() {
    return List.copyOf(byTag.keySet());
  }

  @Override
  public List<Commit> ofTag(Tag tag) {
    return pick(byTag.get(tag));
  }

  @Override
  public List<Commit> ofResource(ResourceId id) {
    return pick(byResource.get(id));
  }

  private List<Commit> pick(List<Integer> indexes) {
    if (indexes == null) {
      return List.of();
    }
    List<Commit> out = new ArrayList<>(indexes.size());
    indexes.forEach(i -> out.add(commits.get(i)));
    return List.copyOf(out);
  }

  @Override
  public List<Commit> page(long offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    int from = (int) Math.min(offset, commits.size());
    int to = (int) Math.min((long) from + limit, commits.size());
    return List.copyOf(commits.subList(from, to));
  }

  @Override
  public Optional<Commit> get(CommitPosition position) {
    if (position instanceof CommitPosition.Global g && g.sequence() <= commits.size()) {
      return Optional.of(commits.get((int) g.sequence() - 1));
    }
    return Optional.empty();
  }

  @Override
  public long size() {
    return commits.size();
  }
}
