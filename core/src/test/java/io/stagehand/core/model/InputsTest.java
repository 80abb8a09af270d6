package io.stagehand.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.InputTypeException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class InputsTest {
  private final Inputs in = Inputs.of(ResourceId.of("web1"), new TreeMap<>(Map.of(
      "dir", Value.of("/srv"),
      "port", Value.of(8080),
      "ratio", Value.of(new BigDecimal("0.5")),
      "tls", Value.of(true),
      "hosts", Value.list(Value.of("a"), Value.of("b")),
      "env", Value.map(Map.of("A", Value.of("1"))),
      "token", Value.of("s3cr3t-value"))));

  @Test
  void typedAccessorsReadEachKind() {
    assertThat(in.getString("dir")).isEqualTo("/srv");
    assertThat(in.getLong("port")).isEqualTo(8080L);
    assertThat(in.getDecimal("ratio")).isEqualByComparingTo("0.5");
    assertThat(in.getBoolean("tls")).isTrue();
    assertThat(in.getList("hosts")).containsExactly(Value.of("a"), Value.of("b"));
    assertThat(in.getMap("env")).containsEntry("A", Value.of("1"));
    assertThat(in.findString("missing")).isEmpty();
    assertThat(in.findLong("port")).contains(8080L);
    assertThat(in.find("dir")).contains(Value.of("/srv"));
    assertThat(in).containsEntry("dir", Value.of("/srv")).hasSize(7);
    assertThat(Value.of("x").asString()).contains("x");
    assertThat(Value.of(3).asLong()).hasValue(3);
    assertThat(Value.of("x").asLong()).isEmpty();
    assertThat(Value.of(true).asBoolean()).contains(true);
    assertThat(Value.list(Value.of(1)).asList()).contains(List.of(Value.of(1)));
    assertThat(Value.of(1).asMap()).isEmpty();
  }

  @Test
  void missingOrMistypedInputsNameTheProblemNotTheValue() {
    assertThatThrownBy(() -> in.getString("missing")).isInstanceOf(InputTypeException.class)
        .hasMessage("input missing of web1 is not set; expected a string");
    assertThatThrownBy(() -> in.getLong("token")).isInstanceOf(InputTypeException.class)
        .hasMessage("input token of web1 is a string, not a whole number");
    assertThatThrownBy(() -> in.findBoolean("token")).hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> in.getLong("ratio")).hasMessageContaining("not a whole number");
    assertThatThrownBy(() -> in.getMap("hosts")).hasMessage("input hosts of web1 is a list, not a map");
    assertThat(Inputs.none(ResourceId.of("x"))).isEmpty();
  }
}
