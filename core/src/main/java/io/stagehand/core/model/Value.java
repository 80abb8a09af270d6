package io.stagehand.core.model;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.ArrayMap;
import io.stagehand.core.internal.Limits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable JSON-like input value: a string, an exact decimal number, a boolean, a list or a map
 * with string keys. There is no null: an input that has no value is absent. Numbers compare by
 * value, so {@code 5000} and {@code 5000.0} are the same value; map keys are kept sorted so that the
 * same value always prints the same way.
 */
public sealed interface Value
    permits Value.StringValue, Value.NumberValue, Value.BooleanValue, Value.ListValue, Value.MapValue {

  /** The value as compact JSON, map keys sorted. */
  String toJson();

  /** The string, if this is a string value. */
  default java.util.Optional<String> asString() {
    return this instanceof StringValue s ? java.util.Optional.of(s.value()) : java.util.Optional.empty();
  }

  /** The number as a long, if this is a whole number within the range of a long. */
  default java.util.OptionalLong asLong() {
    return java.util.OptionalLong.empty();
  }

  /** The exact number, if this is a number value. */
  default java.util.Optional<BigDecimal> asDecimal() {
    return this instanceof NumberValue n ? java.util.Optional.of(n.value()) : java.util.Optional.empty();
  }

  /** The boolean, if this is a boolean value. */
  default java.util.Optional<Boolean> asBoolean() {
    return this instanceof BooleanValue b ? java.util.Optional.of(b.value()) : java.util.Optional.empty();
  }

  /** The elements, if this is a list value. */
  default java.util.Optional<List<Value>> asList() {
    return this instanceof ListValue l ? java.util.Optional.of(l.values()) : java.util.Optional.empty();
  }

  /** The entries by key, if this is a map value. */
  default java.util.Optional<Map<String, Value>> asMap() {
    return this instanceof MapValue m ? java.util.Optional.of(m.entries()) : java.util.Optional.empty();
  }

  /** What kind of value {@code v} is, for messages: "a string", "a number", "a boolean", "a list", "a map". */
  static String typeName(Value v) {
    if (v instanceof StringValue) {
      return "a string";
    }
    if (v instanceof NumberValue) {
      return "a number";
    }
    if (v instanceof BooleanValue) {
      return "a boolean";
    }
    return v instanceof ListValue ? "a list" : "a map";
  }

  static Value of(String s) {
    if (s == null) {
      throw new InvalidInputException("a string value cannot be null");
    }
    return new StringValue(s);
  }

  static Value of(long n) {
    return new NumberValue(BigDecimal.valueOf(n));
  }

  /** A number; NaN and the infinities are not JSON and are rejected. */
  static Value of(double n) {
    if (Double.isNaN(n) || Double.isInfinite(n)) {
      throw new InvalidInputException("number " + n + " is not a JSON value");
    }
    return new NumberValue(new BigDecimal(Double.toString(n)));
  }

  static Value of(BigDecimal n) {
    if (n == null) {
      throw new InvalidInputException("a number value cannot be null");
    }
    return new NumberValue(n);
  }

  static Value of(boolean b) {
    return b ? BooleanValue.TRUE : BooleanValue.FALSE;
  }

  static Value list(Value... values) {
    return new ListValue(java.util.Arrays.asList(values));
  }

  static Value list(List<Value> values) {
    return new ListValue(values);
  }

  static Value map(Map<String, Value> entries) {
    return new MapValue(entries);
  }

  /**
   * Converts a plain Java object (String, Number, Boolean, List, Map with String keys, or Value)
   * into a value, rejecting nulls, NaN, infinities, non-string map keys and any other type with a
   * message that says where the bad part sits.
   */
  static Value from(Object o) {
    return ValueJson.fromJava(o, "value");
  }

  /** Parses compact or pretty JSON; {@code null} anywhere is rejected (absent is not a value). */
  static Value parse(String json) {
    return ValueJson.parse(json);
  }

  /** A string value. */
  record StringValue(String value) implements Value {
    public StringValue {
      if (value == null) {
        throw new InvalidInputException("a string value cannot be null");
      }
      Limits.checkString(value, "a string value");
    }

    @Override
    public String toJson() {
      return ValueJson.toJson(this);
    }

    @Override
    public String toString() {
      return toJson();
    }
  }

  /** An exact decimal number, kept in its shortest form so that equal numbers are equal values. */
  record NumberValue(BigDecimal value) implements Value {
    public NumberValue {
      if (value == null) {
        throw new InvalidInputException("a number value cannot be null");
      }
      Limits.checkMagnitude(value);
      value = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
      Limits.checkNumber(value);
    }

    /** The number as a long, if it is a whole number in range. */
    @Override
    public java.util.OptionalLong asLong() {
      try {
        BigInteger exact = value.toBigIntegerExact();
        return exact.bitLength() < 64
            ? java.util.OptionalLong.of(exact.longValue())
            : java.util.OptionalLong.empty();
      } catch (ArithmeticException notWhole) {
        return java.util.OptionalLong.empty();
      }
    }

    @Override
    public String toJson() {
      int exponent = value.precision() - value.scale() - 1;
      return Math.abs(exponent) <= 40 ? value.toPlainString() : value.toString();
    }

    @Override
    public String toString() {
      return toJson();
    }
  }

  /** {@code true} or {@code false}. */
  record BooleanValue(boolean value) implements Value {
    static final BooleanValue TRUE = new BooleanValue(true);
    static final BooleanValue FALSE = new BooleanValue(false);

    @Override
    public String toJson() {
      return Boolean.toString(value);
    }

    @Override
    public String toString() {
      return toJson();
    }
  }

  /** An ordered list of values; no element is null. */
  record ListValue(List<Value> values) implements Value {
    public ListValue {
      if (values == null) {
        throw new InvalidInputException("a list value cannot be null");
      }
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) == null) {
          throw new InvalidInputException("list element [" + i + "] is null; leave it out instead");
        }
      }
      values = List.copyOf(values);
    }

    @Override
    public String toJson() {
      return ValueJson.toJson(this);
    }

    @Override
    public String toString() {
      return toJson();
    }
  }

  /** A map from string keys to values, kept sorted by key; no key or value is null. */
  record MapValue(SortedMap<String, Value> entries) implements Value {
    public MapValue(Map<String, Value> entries) {
      this(copy(entries));
    }

    // kept as an ArrayMap: a TreeMap behind an unmodifiable view took about three times the memory
    public MapValue {
      entries = entries instanceof ArrayMap<Value> ? entries : ArrayMap.copyOf(copy(entries));
    }

    private static SortedMap<String, Value> copy(Map<String, Value> entries) {
      if (entries == null) {
        throw new InvalidInputException("a map value cannot be null");
      }
      if (entries instanceof ArrayMap<Value> checked) {
        return checked;
      }
      TreeMap<String, Value> copy = new TreeMap<>();
      for (Map.Entry<String, Value> e : entries.entrySet()) {
        if (e.getKey() == null) {
          throw new InvalidInputException("a map key is null; keys must be strings");
        }
        Limits.checkString(e.getKey(), "a map key");
        if (e.getValue() == null) {
          throw new InvalidInputException(
              "map entry " + quoteKey(e.getKey()) + " is null; leave the key out instead");
        }
        copy.put(e.getKey(), e.getValue());
      }
      return copy;
    }

    private static String quoteKey(String key) {
      return ValueJson.toJson(new StringValue(key));
    }

    @Override
    public String toJson() {
      return ValueJson.toJson(this);
    }

    @Override
    public String toString() {
      return toJson();
    }

    /** Lists of the entries as a new list, for callers that want to iterate in key order. */
    public List<Map.Entry<String, Value>> entryList() {
      return new ArrayList<>(entries.entrySet());
    }
  }
}
