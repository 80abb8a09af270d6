package io.stagehand.core.internal.history;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.CommitLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The commits an undo takes back, per resource in apply order, with the words messages name the undo by.
 *
 * @param byResource the commits to undo, per resource, in apply order
 * @param what the undo as messages name it: {@code commit 7}, {@code apply t3}, ...
 * @param endsAtLatest true if the undo takes back everything after some point, so that no later commit
 *     is left to conflict with it
 */
record UndoSelection(SortedMap<ResourceId, List<Commit>> byResource, String what, boolean endsAtLatest) {
  UndoSelection {
    TreeMap<ResourceId, List<Commit>> copy = new TreeMap<>();
    byResource.forEach((id, commits) -> copy.put(id, List.copyOf(commits)));
    byResource = Collections.unmodifiableSortedMap(copy);
  }

  /** The undo of the one commit at {@code position}. */
  static UndoSelection ofCommit(CommitLog log, CommitPosition position) {
    Commit c = commitAt(log, position);
    return new UndoSelection(byResource(List.of(c)), "commit " + position, false);
  }

  /** The undo of the last {@code steps} commits of {@code id}. */
  static UndoSelection ofResource(CommitLog log, ResourceId id, int steps) {
    List<Commit> chain = log.ofResource(id);
    if (steps < 1) {
      throw new InvalidInputException("steps must be at least 1, got " + steps);
    }
    if (chain.size() < steps) {
      throw new InvalidInputException("cannot revert " + steps + " commit(s) of " + id + ": it has "
          + chain.size() + (chain.isEmpty() ? " (it was never applied)" : ""));
    }
    return new UndoSelection(byResource(chain.subList(chain.size() - steps, chain.size())),
        "the last " + steps + " commit(s) of " + id, false);
  }

  /** The undo of every commit of the apply {@code tag}. */
  static UndoSelection ofTag(CommitLog log, Tag tag) {
    List<Commit> commits = log.ofTag(tag);
    if (commits.isEmpty()) {
      throw noSuchTag(log, tag);
    }
    return new UndoSelection(byResource(commits), "apply " + tag, false);
  }

  /** The undo of every apply after {@code tag}. */
  static UndoSelection after(CommitLog log, Tag tag) {
    return new UndoSelection(byResource(appliesAfter(log, tag)), "every apply after " + tag, true);
  }

  /**
   * This selection without reactions, each named in {@code notes}: a reaction changed no state, so
   * there is nothing to undo, and reactions are not run backwards.
   */
  UndoSelection withoutReactions(Consumer<String> notes) {
    TreeMap<ResourceId, List<Commit>> stateful = new TreeMap<>();
    byResource.forEach((id, commits) -> {
      List<Commit> kept = new ArrayList<>();
      for (Commit c : commits) {
        if (c.action() == Action.REACT) {
          notes.accept("skipped the reaction " + c.name() + " of " + id + " (" + c.tag()
              + "): reactions are not undone");
        } else {
          kept.add(c);
        }
      }
      if (!kept.isEmpty()) {
        stateful.put(id, kept);
      }
    });
    return new UndoSelection(stateful, what, endsAtLatest);
  }

  boolean isEmpty() {
    return byResource.isEmpty();
  }

  /** The commit at {@code position}, or an {@link InvalidInputException} saying there is none. */
  static Commit commitAt(CommitLog log, CommitPosition position) {
    return log.get(position).orElseThrow(() -> new InvalidInputException(
        "there is no commit at position " + position));
  }

  /** The commits of every apply after {@code tag}, in apply order. */
  static List<Commit> appliesAfter(CommitLog log, Tag tag) {
    int at = log.tags().indexOf(tag);
    if (at < 0) {
      throw noSuchTag(log, tag);
    }
    return appliesAfter(log, at);
  }

  /** The commits of every apply after the one at index {@code at} of the log's tags, in apply order. */
  static List<Commit> appliesAfter(CommitLog log, int at) {
    List<Tag> tags = log.tags();
    List<Commit> later = new ArrayList<>();
    for (Tag t : tags.subList(at + 1, tags.size())) {
      later.addAll(log.ofTag(t));
    }
    return later;
  }

  private static SortedMap<ResourceId, List<Commit>> byResource(List<Commit> inApplyOrder) {
    TreeMap<ResourceId, List<Commit>> undo = new TreeMap<>();
    inApplyOrder.forEach(c -> undo.computeIfAbsent(c.resource(), k -> new ArrayList<>()).add(c));
    return undo;
  }

  private static InvalidInputException noSuchTag(CommitLog log, Tag tag) {
    return new InvalidInputException("there is no apply tagged " + tag + knownTags(log));
  }

  private static String knownTags(CommitLog log) {
    List<Tag> tags = log.tags();
    if (tags.isEmpty()) {
      return " (nothing has been applied yet)";
    }
    List<Tag> last = tags.subList(Math.max(0, tags.size() - 5), tags.size());
    return " (latest: " + String.join(", ", last.stream().map(Tag::name).toList()) + ")";
  }
}
