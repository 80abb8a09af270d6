package io.stagehand.core.internal.stage;

import static io.stagehand.core.internal.stage.OverlayTest.A;
import static io.stagehand.core.internal.stage.OverlayTest.AB;
import static io.stagehand.core.internal.stage.OverlayTest.B;
import static io.stagehand.core.internal.stage.OverlayTest.C;
import static io.stagehand.core.internal.stage.OverlayTest.N;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.model.Action;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Value;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The staged diffs: applied against resolved desired, only for what the change reaches. */
class StagedDiffsTest {
  private final AppliedFake applied = OverlayTest.applied();
  private final Overlay overlay = new Overlay(applied, List.of(C));
  private final InputResolver resolver = new InputResolver(overlay);
  private final StagedDiffs diffs = new StagedDiffs(overlay, resolver, Set.of(C));

  @Test
  void anUnchangedStateHasNoActionButKeepsThePendingMark() {
    assertThat(diffs.diffs()).isEmpty();
    Diff c = diffs.diff(C);
    assertThat(c.action()).isEmpty();
    assertThat(c.pending()).isTrue();
    assertThat(diffs.diff(N).pending()).isFalse();
    assertThat(diffs.diff(N).before()).isEqualTo(applied.get(N)).isEqualTo(diffs.diff(N).after());
  }

  @Test
  void aChangeReachesWhatItFeedsAndTheDiffsAreSorted() {
    Draft a = overlay.draft(A);
    a.ownForEdit().put("ip", Value.of("10.0.0.2"));
    a.resolvedForEdit().put("ip", Value.of("10.0.0.2"));
    resolver.clear();
    assertThat(diffs.diffs()).containsOnlyKeys(A, B);
    assertThat(List.copyOf(diffs.diffs().keySet())).containsExactly(A, B);
    Diff b = diffs.diff(B);
    assertThat(b.action()).contains(Action.UPDATE);
    assertThat(b.changes()).extracting(Object::toString).containsExactly("ip: \"10.0.0.1\" -> \"10.0.0.2\"");
    assertThat(b.connectionsBefore()).containsExactly(AB);
    assertThat(b.connectionsAfter()).containsExactly(AB);
  }

  @Test
  void aRemovalLosesItsConnections() {
    overlay.remove(overlay.find(A));
    resolver.clear();
    Diff a = diffs.diff(A);
    assertThat(a.action()).contains(Action.REMOVE);
    assertThat(a.after()).isEmpty();
    assertThat(a.connectionsBefore()).containsExactly(AB);
    assertThat(a.connectionsAfter()).isEmpty();
    assertThat(diffs.diff(B).connectionsAfter()).isEmpty();
    assertThat(diffs.diffs()).containsOnlyKeys(A, B);
  }

  @Test
  void anUnchangedResourceTouchesItsAppliedIncomingAndOutgoingConnections() {
    Diff a = StagedDiffs.unchanged(applied, applied.get(A).orElseThrow(), false);
    assertThat(a.connectionsBefore()).containsExactly(AB).isEqualTo(a.connectionsAfter());
    Diff b = StagedDiffs.unchanged(applied, applied.get(B).orElseThrow(), true);
    assertThat(b.connectionsBefore()).containsExactly(AB).isEqualTo(b.connectionsAfter());
    assertThat(b.action()).isEmpty();
    assertThat(b.pending()).isTrue();
    assertThat(StagedDiffs.unchanged(applied, applied.get(C).orElseThrow(), false).connectionsAfter()).isEmpty();
  }

  @Test
  void aDiffKeepsTheConnectionsOfWhenItWasMadeThoughTheyAreSortedWhenRead() {
    Draft a = overlay.draft(A);
    a.ownForEdit().put("ip", Value.of("10.0.0.2"));
    a.resolvedForEdit().put("ip", Value.of("10.0.0.2"));
    resolver.clear();
    Diff b = diffs.diff(B);
    // the desired state changes after the diff was made: B loses its connection
    overlay.remove(overlay.find(A));
    resolver.clear();
    assertThat(b.connectionsAfter()).containsExactly(AB);
    assertThat(diffs.diff(B).connectionsAfter()).isEmpty();
  }

  @Test
  void aDiffEqualsTheSameDiffBuiltByHand() {
    Diff b = diffs.diff(B);
    Diff byHand = Diff.builder().resource(B).before(applied.get(B)).after(applied.get(B))
        .connectionsBefore(List.of(AB)).connectionsAfter(List.of(AB)).build();
    assertThat(b).isEqualTo(byHand).hasSameHashCodeAs(byHand);
    assertThat(b).hasToString(byHand.toString());
    assertThat(byHand.inverse()).isEqualTo(byHand);
  }
}
