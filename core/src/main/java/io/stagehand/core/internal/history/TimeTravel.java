package io.stagehand.core.internal.history;

import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.CommitLog;
import io.stagehand.core.spi.StoreReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The applied state as it was at a point of history: the current state with every later commit undone. */
final class TimeTravel {
  private TimeTravel() {}

  /** The applied state right after the apply {@code tag}. */
  static DeploymentState stateAt(StoreReader r, Tag tag) {
    return undo(r.state().all(), UndoSelection.appliesAfter(r.commits(), tag));
  }

  /** The applied state right after the commit at {@code position}. */
  static DeploymentState stateAt(StoreReader r, CommitPosition position) {
    CommitLog log = r.commits();
    Commit c = UndoSelection.commitAt(log, position);
    List<Commit> later = new ArrayList<>();
    for (Commit same : log.ofTag(c.tag())) {
      if (same.index() > c.index()) {
        later.add(same);
      }
    }
    later.addAll(UndoSelection.appliesAfter(log, log.tags().indexOf(c.tag())));
    return undo(r.state().all(), later);
  }

  /** The state {@code applied} was in before {@code laterInApplyOrder}, each commit's diff taken back. */
  static DeploymentState undo(List<Resource> applied, List<Commit> laterInApplyOrder) {
    Map<ResourceId, Resource> state = new LinkedHashMap<>();
    for (Resource res : applied) {
      state.put(res.id(), res);
    }
    List<Commit> reversed = new ArrayList<>(laterInApplyOrder);
    Collections.reverse(reversed);
    for (Commit c : reversed) {
      if (c.diff().before().isPresent()) {
        state.put(c.resource(), c.diff().before().get());
      } else {
        state.remove(c.resource());
      }
    }
    return DeploymentState.of(state.values());
  }
}
