package io.stagehand.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.plan.PlanEdge;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The hand-written Resource: its builder's checks and messages, and that a built value never changes. */
class ResourceTest {
  private static final ResourceId A = ResourceId.of("a");

  @Test
  void missingIdAndKindAreNamed() {
    assertThatThrownBy(() -> Resource.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot build Resource, some of required attributes are not set [id, kind]");
    assertThatThrownBy(() -> Resource.builder().id(A).build()).hasMessageEndingWith("[kind]");
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    Resource.Builder b = Resource.builder().id(A).kind("has space").putOwnInputs("bad name", Value.of(1))
        .addLabels("ok", "no good").location(A);
    assertThatThrownBy(b::build).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("invalid resource a: the kind must be 1-200 characters")
        .hasMessageContaining("invalid input name: character 4 is not allowed")
        .hasMessageContaining("invalid label: character 3 is not allowed")
        .hasMessageContaining("a resource cannot be its own location");
  }

  @Test
  void anInputSetByHandAndConnectedIsRefused() {
    Connection c = new Connection(new InputRef(ResourceId.of("n"), "ip"), new InputRef(A, "ip"), false);
    assertThatThrownBy(() -> Resource.builder().id(A).kind("svc").putOwnInputs("ip", Value.of("x"))
        .addIncoming(c).build())
        .hasMessage("invalid resource a: input ip is both set by hand and connected");
  }

  @Test
  void nullsAreRefusedByName() {
    assertThatThrownBy(() -> Resource.builder().putOwnInputs("x", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("ownInputs value");
    assertThatThrownBy(() -> new PlanEdge(A, null, "why")).isInstanceOf(NullPointerException.class)
        .hasMessage("after");
  }

  @Test
  void aBuiltResourceDoesNotFollowTheMapsItWasBuiltFrom() {
    TreeMap<String, Value> inputs = new TreeMap<>(Map.of("x", Value.of(1)));
    Resource r = Resource.builder().id(A).kind("svc").ownInputs(inputs).resolvedInputs(inputs).build();
    inputs.put("y", Value.of(2));
    assertThat(r.ownInputs()).containsOnlyKeys("x");
    assertThat(r.resolvedInputs()).containsOnlyKeys("x");
    assertThatThrownBy(() -> r.ownInputs().put("z", Value.of(3))).isInstanceOf(UnsupportedOperationException.class);
    Resource copy = Resource.builder().from(r).putOwnInputs("y", Value.of(2)).putResolvedInputs("y", Value.of(2))
        .build();
    assertThat(r.ownInputs()).containsOnlyKeys("x");
    assertThat(copy.ownInputs()).containsOnlyKeys("x", "y");
    assertThat(copy).isNotEqualTo(r);
    assertThat(Resource.builder().from(r).build()).isEqualTo(r).hasSameHashCodeAs(r);
  }
}
