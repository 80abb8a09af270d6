package io.stagehand.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.InvalidInputException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ValueTest {
  @Test
  void numbersCompareByValue() {
    assertThat(Value.of(5000)).isEqualTo(Value.parse("5000.0")).isEqualTo(Value.of(new BigDecimal("5E+3")));
    assertThat(Value.parse("5000.0").toJson()).isEqualTo("5000");
    assertThat(Value.parse("-0.0")).isEqualTo(Value.of(0));
    assertThat(Value.parse("0.1").toJson()).isEqualTo("0.1");
    assertThat(Value.of(0.1).toJson()).isEqualTo("0.1");
    assertThat(Value.parse("1e400").toJson()).isEqualTo("1E+400");
    assertThat(Value.parse("12345678901234567890.5").toJson()).isEqualTo("12345678901234567890.5");
  }

  @Test
  void mapsPrintSortedAndCompact() {
    Value v = Value.parse(" { \"b\" : [1, true, \"x\"], \"a\": {} } ");
    assertThat(v.toJson()).isEqualTo("{\"a\":{},\"b\":[1,true,\"x\"]}");
    assertThat(Value.of("quote\" back\\ nl\n tab\t \u0001").toJson())
        .isEqualTo("\"quote\\\" back\\\\ nl\\n tab\\t \\u0001\"");
    assertThat(Value.parse("\"\\u00e9\\/\"")).isEqualTo(Value.of("é/"));
  }

  @Test
  void nullsAndNonJsonAreRefused() {
    assertThatThrownBy(() -> Value.parse("null")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("null is not a value");
    assertThatThrownBy(() -> Value.parse("[1,]")).hasMessageContaining("at character 3");
    assertThatThrownBy(() -> Value.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("a map key appears twice");
    assertThatThrownBy(() -> Value.parse("01")).hasMessageContaining("this is not JSON");
    assertThatThrownBy(() -> Value.parse("1 2")).hasMessageContaining("more text after the value");
    assertThatThrownBy(() -> Value.parse("")).hasMessageContaining("the text holds no value");
    assertThatThrownBy(() -> Value.of(Double.NaN)).hasMessageContaining("NaN is not a JSON value");
    assertThatThrownBy(() -> Value.from(Arrays.asList(1, null))).hasMessageContaining("value[1] is null");
    Map<String, Object> m = new HashMap<>();
    m.put("k", null);
    assertThatThrownBy(() -> Value.from(Map.of("outer", m))).hasMessageContaining("value.outer.k is null");
    assertThatThrownBy(() -> Value.from(Map.of(1, 2))).hasMessageContaining("a key of type java.lang.Integer; map keys must be strings");
    assertThatThrownBy(() -> Value.from(Double.NEGATIVE_INFINITY)).hasMessageContaining("-Infinity");
    assertThatThrownBy(() -> Value.list(Value.of(1), null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Value.of("a\0b")).hasMessageContaining("NUL character");
    assertThatThrownBy(() -> Value.parse("{\"k\\u0000\":1}")).hasMessageContaining("NUL character");
  }

  @Test
  void fromJavaConvertsPlainObjects() {
    assertThat(Value.from(Map.of("port", 5000, "hosts", List.of("a", "b"), "tls", true, "ratio", 0.5f)).toJson())
        .isEqualTo("{\"hosts\":[\"a\",\"b\"],\"port\":5000,\"ratio\":0.5,\"tls\":true}");
  }

  @Property(tries = 300)
  void jsonRoundTrips(@ForAll("values") Value v) {
    assertThat(Value.parse(v.toJson())).isEqualTo(v);
    assertThat(Value.parse(v.toJson()).toJson()).isEqualTo(v.toJson());
  }

  @Provide
  Arbitrary<Value> values() {
    return Arbitraries.recursive(this::leaf, this::nested, 3);
  }

  private Arbitrary<Value> leaf() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(8).excludeChars('\0').map(Value::of),
        Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12")).ofScale(4).map(Value::of),
        Arbitraries.of(true, false).map(Value::of));
  }

  private Arbitrary<Value> nested(Arbitrary<Value> inner) {
    return Arbitraries.oneOf(
        inner.list().ofMaxSize(3).map(Value::list),
        Arbitraries.maps(Arbitraries.strings().ofMaxLength(4).excludeChars('\0'), inner).ofMaxSize(3).map(Value::map));
  }
}
