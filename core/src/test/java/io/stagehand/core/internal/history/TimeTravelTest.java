package io.stagehand.core.internal.history;

import static io.stagehand.core.internal.history.HistoryFixture.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.CommitLog;
import io.stagehand.core.spi.StagedLog;
import io.stagehand.core.spi.StateStore;
import io.stagehand.core.spi.StoreReader;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class TimeTravelTest {
  private final HistoryFixture log = new HistoryFixture();
  private final Resource a1 = svc("a", "x", 1).build();
  private final Resource a2 = svc("a", "x", 2).build();
  private final Resource a3 = svc("a", "x", 3).build();
  private final Resource b = svc("b").build();
  private final Resource c = svc("c").build();

  {
    log.commit("t1", "a", null, a1);
    log.commit("t1", "b", null, b);
    log.commit("t2", "a", a1, a2);
    log.commit("t2", "c", null, c);
    log.commit("t3", "a", a2, a3);
    log.commit("t3", "b", b, null);
  }

  /** The store as the commits above left it. */
  private final StoreReader store = new StoreReader() {
    @Override
    public StateStore state() {
      return new OnlyAll(List.of(a3, c));
    }

    @Override
    public StagedLog staged() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CommitLog commits() {
      return log;
    }

    @Override
    public List<io.stagehand.core.history.ApplyRecord> applies() {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.Optional<io.stagehand.core.history.ApplyRecord> applyRecord(Tag tag) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<io.stagehand.core.history.ApplyRecord> openApplies() {
      throw new UnsupportedOperationException();
    }
  };

  @Test
  void theStateAtATagUndoesEveryLaterApply() {
    assertThat(TimeTravel.stateAt(store, Tag.of("t1"))).isEqualTo(DeploymentState.of(List.of(a1, b)));
    assertThat(TimeTravel.stateAt(store, Tag.of("t2"))).isEqualTo(DeploymentState.of(List.of(a2, b, c)));
    assertThat(TimeTravel.stateAt(store, Tag.of("t3"))).isEqualTo(DeploymentState.of(List.of(a3, c)));
    assertThatThrownBy(() -> TimeTravel.stateAt(store, Tag.of("t0")))
        .hasMessage("there is no apply tagged t0 (latest: t1, t2, t3)");
  }

  @Test
  void theStateAtAPositionUndoesTheLaterCommitsOfItsApplyToo() {
    assertThat(TimeTravel.stateAt(store, CommitPosition.global(1))).isEqualTo(DeploymentState.of(List.of(a1)));
    assertThat(TimeTravel.stateAt(store, CommitPosition.global(3))).isEqualTo(DeploymentState.of(List.of(a2, b)));
    assertThat(TimeTravel.stateAt(store, CommitPosition.global(6))).isEqualTo(DeploymentState.of(List.of(a3, c)));
    assertThatThrownBy(() -> TimeTravel.stateAt(store, CommitPosition.global(7)))
        .hasMessage("there is no commit at position 7");
  }

  @Test
  void undoingTakesTheLatestCommitBackFirst() {
    // a's two updates: taken back from the latest, a ends as it was before the first
    assertThat(TimeTravel.undo(List.of(a3), log.ofResource(ResourceId.of("a")).subList(1, 3)))
        .isEqualTo(DeploymentState.of(List.of(a1)));
    assertThat(TimeTravel.undo(List.of(a3, c), List.of())).isEqualTo(DeploymentState.of(List.of(a3, c)));
  }

  /** An applied state that can only list its resources, which is all time travel reads. */
  private record OnlyAll(List<Resource> all) implements StateStore {
    @Override
    public Optional<Resource> get(ResourceId id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedSet<Connection> outgoing(ResourceId emitter) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedSet<Event> eventsFrom(ResourceId source) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long count() {
      return all.size();
    }
  }
}
