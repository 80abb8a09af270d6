package io.stagehand.core.internal.history;

import io.stagehand.core.RollbackConflictException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.RollbackMode;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.CommitLog;
import io.stagehand.core.spi.StagedEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an undo finds in its way, kept in the order found: conflicts, on which a {@link RollbackMode#STRICT}
 * rollback refuses, and notes, which tell what a {@link RollbackMode#FORCE}d one overrode or left out.
 */
final class RollbackFindings {
  private final RollbackMode mode;
  private final String what;
  private final CommitLog log;
  private final List<String> conflicts = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** Findings of the undo messages call {@code what}, on the history {@code log}. */
  RollbackFindings(RollbackMode mode, String what, CommitLog log) {
    this.mode = mode;
    this.what = what;
    this.log = log;
  }

  /** The notes so far, in the order found. */
  List<String> notes() {
    return List.copyOf(notes);
  }

  boolean hasConflicts() {
    return !conflicts.isEmpty();
  }

  /** Records a note whatever the mode: something the rollback leaves out without refusing. */
  void note(String note) {
    notes.add(note);
  }

  /** Records something the rollback cannot restore: a conflict, or in FORCE mode a note that it is left out. */
  void problem(String problem) {
    if (mode == RollbackMode.STRICT) {
      conflicts.add(problem);
    } else {
      notes.add("left out: " + problem);
    }
  }

  /**
   * Whether the rollback may remove {@code id}, which is protected: in STRICT mode it refuses, naming
   * it; in FORCE mode it notes that it lifts the protection first, and returns true.
   */
  boolean mayRemoveProtected(ResourceId id) {
    if (mode == RollbackMode.STRICT) {
      if (conflicts.isEmpty()) {
        // no wider rollback gets past a protection: only unprotecting, or forcing, does
        throw refusal("it would remove " + id + ", which is protected: stage unprotect " + id
            + " first, or force the rollback (which unprotects it)");
      }
      conflicts.add("it would remove " + id + ", which is protected (unprotect it first)");
      refuseOnConflicts();
      return false;
    }
    notes.add("unprotects " + id + " to remove it");
    return true;
  }

  /**
   * The problem of restoring something that needs {@code id}, which no longer exists: {@code restoring}
   * is the start of the message ({@code restoring a.x -> b.y}); the commit that removed it is named.
   */
  String missing(String restoring, ResourceId id) {
    return restoring + " needs " + id + ", which no longer exists" + removedBy(id);
  }

  /** Records, as conflicts or notes, the resources of {@code undo} that later commits changed again. */
  void laterChanges(UndoSelection undo) {
    Map<Tag, Integer> tagOrder = new HashMap<>();
    List<Tag> tags = log.tags();
    for (int i = 0; i < tags.size(); i++) {
      tagOrder.put(tags.get(i), i);
    }
    undo.byResource().forEach((id, commits) -> {
      Commit last = commits.get(commits.size() - 1);
      List<String> later = new ArrayList<>();
      for (Commit c : log.ofResource(id)) {
        // a reaction changed no state, so the undo does not override it
        if (c.action() != Action.REACT && after(c, last, tagOrder)) {
          later.add(c.tag() + " " + c.action() + " " + c.resource() + " (" + c.position() + ")");
        }
      }
      if (!later.isEmpty()) {
        String msg = id + " changed again later: " + String.join(", ", later);
        if (mode == RollbackMode.STRICT) {
          conflicts.add(msg);
        } else {
          notes.add("forced over later changes: " + msg);
        }
      }
    });
  }

  /**
   * Refuses, in any mode, if changes are staged for any of {@code touched}: the rollback's edits would
   * be checked against, and mixed with, edits it did not see.
   */
  void refuseIfStaged(Set<ResourceId> touched, List<StagedEntry> staged) {
    TreeSet<ResourceId> busy = new TreeSet<>();
    for (StagedEntry e : staged) {
      if (touched.contains(e.owner())) {
        busy.add(e.owner());
      }
    }
    if (!busy.isEmpty()) {
      throw refusal("changes are staged for " + String.join(", ", busy.stream().map(ResourceId::name).toList())
          + "; discard or apply them first");
    }
  }

  /** Refuses if any conflict was found, naming them all and how to get past them. */
  void refuseOnConflicts() {
    if (!conflicts.isEmpty()) {
      throw refusal(String.join("; ", conflicts)
          + ". Widen the rollback (revert the later applies too, or use rollbackTo), or force it");
    }
  }

  /** The refusal of this rollback for {@code reason}, whatever the mode. */
  RollbackConflictException refusal(String reason) {
    return new RollbackConflictException("cannot roll back " + what + ": " + reason);
  }

  private String removedBy(ResourceId id) {
    List<Commit> chain = log.ofResource(id);
    if (!chain.isEmpty() && chain.get(chain.size() - 1).action().removes()) {
      Commit c = chain.get(chain.size() - 1);
      return " (removed by " + c.tag() + ", " + c.position() + ")";
    }
    return "";
  }

  /** True if {@code c} comes after {@code than} in apply order. */
  private static boolean after(Commit c, Commit than, Map<Tag, Integer> tagOrder) {
    int a = tagOrder.getOrDefault(c.tag(), Integer.MAX_VALUE);
    int b = tagOrder.getOrDefault(than.tag(), Integer.MAX_VALUE);
    return a != b ? a > b : c.index() > than.index();
  }
}
