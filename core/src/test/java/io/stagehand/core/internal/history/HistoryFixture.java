package io.stagehand.core.internal.history;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.CommitDraft;
import io.stagehand.core.spi.CommitLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Commits and a commit log in memory, for testing the rollback's parts without a store. */
final class HistoryFixture implements CommitLog {
  private final List<Commit> commits = new ArrayList<>();

  static ResourceId id(String name) {
    return ResourceId.of(name);
  }

  /** A resource of kind {@code svc} with the own inputs {@code name=value, ...}. */
  static Resource.Builder svc(String name, Object... inputs) {
    Resource.Builder b = Resource.builder().id(id(name)).kind("svc");
    for (int i = 0; i < inputs.length; i += 2) {
      Value v = inputs[i + 1] instanceof String s ? Value.of(s) : Value.of(((Number) inputs[i + 1]).longValue());
      b.putOwnInputs((String) inputs[i], v).putResolvedInputs((String) inputs[i], v);
    }
    return b;
  }

  /** Appends a commit of the apply {@code tag} taking {@code id} from {@code before} to {@code after}. */
  Commit commit(String tag, String id, Resource before, Resource after, Connection... connectionsBefore) {
    Diff diff = Diff.builder().resource(id(id)).before(Optional.ofNullable(before)).after(Optional.ofNullable(after))
        .addConnectionsBefore(connectionsBefore).build();
    Action action = diff.action().orElse(Action.UPDATE);
    return append(tag, diff, action, List.of());
  }

  /** Appends a reaction {@code name} of {@code id}, which changed no state. */
  Commit reaction(String tag, String id, String name) {
    Resource r = svc(id).build();
    return append(tag, Diff.builder().resource(r.id()).before(r).after(r).build(), Action.REACT, List.of(name));
  }

  private Commit append(String tag, Diff diff, Action action, List<String> reactions) {
    Tag t = Tag.of(tag);
    int index = (int) commits.stream().filter(c -> c.tag().equals(t)).count();
    Commit c = Commit.of(CommitDraft.builder().tag(t).index(index).diff(diff).action(action).reactions(reactions)
        .time(Instant.EPOCH).build(), CommitPosition.global(commits.size() + 1));
    commits.add(c);
    return c;
  }

  @Override
  public CommitLogVariant variant() {
    return CommitLogVariant.GLOBAL;
  }

  @Override
  public List<Tag> tags() {
    return commits.stream().map(Commit::tag).distinct().toList();
  }

  @Override
  public List<Commit> ofTag(Tag tag) {
    return commits.stream().filter(c -> c.tag().equals(tag)).toList();
  }

  @Override
  public List<Commit> ofResource(ResourceId id) {
    return commits.stream().filter(c -> c.resource().equals(id)).toList();
  }

  @Override
  public List<Commit> page(long offset, int limit) {
    return commits.stream().skip(offset).limit(limit).toList();
  }

  @Override
  public Optional<Commit> get(CommitPosition position) {
    return commits.stream().filter(c -> c.position().equals(position)).findFirst();
  }

  @Override
  public long size() {
    return commits.size();
  }
}
