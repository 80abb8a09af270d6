package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.CommitDraft;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One chain of commits per resource, keyed {@code resource@version}; the applies are tied together
 * by their tags, kept in the order they ran.
 */
final class PerResourceCommitLog extends MemoryCommitLog {
  private final Map<ResourceId, List<Commit>> chains = new HashMap<>();
  private final Map<Tag, List<CommitPosition>> tags = new LinkedHashMap<>();
  private long size;

  @Override
  public CommitLogVariant variant() {
    return CommitLogVariant.PER_RESOURCE;
  }

  @Override
  Commit append(CommitDraft draft) {
    List<Commit> chain = chains.computeIfAbsent(draft.resource(), k -> new ArrayList<>());
    Commit c = Commit.of(draft, CommitPosition.of(draft.resource(), chain.size() + 1L));
    chain.add(c);
    tags.computeIfAbsent(c.tag(), k -> new ArrayList<>()).add(c.position());
    size++;
    return c;
  }

  @Override
  void removeLast(Commit commit) {
    List<Commit> chain = chains.get(commit.resource());
    chain.remove(chain.size() - 1);
    if (chain.isEmpty()) {
      chains.remove(commit.resource());
    }
    List<CommitPosition> ofTag = tags.get(commit.tag());
    ofTag.remove(ofTag.size() - 1);
    if (ofTag.isEmpty()) {
      tags.remove(commit.tag());
    }
    size--;
  }

  @Override
  public List<Tag> tags() {
    return List.copyOf(tags.keySet());
  }

  @Override
  public List<Commit> ofTag(Tag tag) {
    List<CommitPosition> positions = tags.get(tag);
    if (positions == null) {
      return List.of();
    }
    List<Commit> out = new ArrayList<>(positions.size());
    positions.forEach(p -> out.add(get(p).orElseThrow()));
    out.sort(Comparator.comparingInt(Commit::index));
    return List.copyOf(out);
  }

  @Override
  public List<Commit> ofResource(ResourceId id) {
    return List.copyOf(chains.getOrDefault(id, List.of()));
  }

  @Override
  public List<Commit> page(long offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    List<Commit> out = new ArrayList<>();
    long skip = offset;
    for (Tag tag : tags.keySet()) {
      int n = tags.get(tag).size();
      if (skip >= n) {
        skip -= n;
        continue;
      }
      List<Commit> ofTag = ofTag(tag);
      for (int i = (int) skip; i < ofTag.size() && out.size() < limit; i++) {
        out.add(ofTag.get(i));
      }
      skip = 0;
      if (out.size() >= limit) {
        break;
      }
    }
    return List.copyOf(out);
  }

  @Override
  public Optional<Commit> get(CommitPosition position) {
    if (position instanceof CommitPosition.PerResource p) {
      List<Commit> chain = chains.get(p.resource());
      if (chain != null && p.version() <= chain.size()) {
        return Optional.of(chain.get((int) p.version() - 1));
      }
    }
    return Optional.empty();
  }

  @Override
  public long size() {
    return size;
  }
}
