package io.stagehand.core.model;

import io.stagehand.core.InputTypeException;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.apply.ActionContext;
import java.math.BigDecimal;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;

/**
 * A resource's inputs by name, as a handler gets them ({@link ActionContext#before()},
 * {@link ActionContext#after()}), with typed accessors: {@code getString("dir")} for an input that
 * must be there, {@code findString("dir")} for one that may be absent. A missing input or one of
 * another type is an {@link InputTypeException} that names the resource, the input and the types,
 * never the value. It is also a read-only {@code Map<String, Value>}, sorted by name.
 */
public final class Inputs extends AbstractMap<String, Value> {
  private final ResourceId resource;
  private final SortedMap<String, Value> values;

  private Inputs(ResourceId resource, SortedMap<String, Value> values) {
    this.resource = resource;
    this.values = Collections.unmodifiableSortedMap(values);
  }

  /** The inputs {@code values} of {@code resource}. */
  public static Inputs of(ResourceId resource, SortedMap<String, Value> values) {
    if (resource == null || values == null) {
      throw new InvalidInputException("inputs need a resource id and a map of values");
    }
    return new Inputs(resource, values);
  }

  /** No inputs, as a RUN's {@code before} or a REMOVE's {@code after}. */
  public static Inputs none(ResourceId resource) {
    return of(resource, Collections.emptySortedMap());
  }

  /** The resource these inputs belong to. */
  public ResourceId resource() {
    return resource;
  }

  @Override
  public Set<Entry<String, Value>> entrySet() {
    return values.entrySet();
  }

  @Override
  public Value get(Object name) {
    return values.get(name);
  }

  @Override
  public boolean containsKey(Object name) {
    return values.containsKey(name);
  }

  @Override
  public int size() {
    return values.size();
  }

  /** The input {@code name}, if set. */
  public Optional<Value> find(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** The string input {@code name}; absent or another type is an {@link InputTypeException}. */
  public String getString(String name) {
    return findString(name).orElseThrow(() -> missing(name, "a string"));
  }

  /** The string input {@code name}, if set; another type is an {@link InputTypeException}. */
  public Optional<String> findString(String name) {
    return typed(name, Value.StringValue.class, "a string").map(Value.StringValue::value);
  }

  /** The whole-number input {@code name}, within {@code long}; otherwise an {@link InputTypeException}. */
  public long getLong(String name) {
    return findLong(name).orElseThrow(() -> missing(name, "a whole number"));
  }

  /** The whole-number input {@code name}, if set; a fraction or out of range is an {@link InputTypeException}. */
  public Optional<Long> findLong(String name) {
    Optional<Value.NumberValue> n = typed(name, Value.NumberValue.class, "a whole number");
    if (n.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong l = n.get().asLong();
    if (l.isEmpty()) {
      throw new InputTypeException("input " + name + " of " + resource
          + " is a number that is not a whole number within the range of a long");
    }
    return Optional.of(l.getAsLong());
  }

  /** The number input {@code name}, exact. */
  public BigDecimal getDecimal(String name) {
    return findDecimal(name).orElseThrow(() -> missing(name, "a number"));
  }

  /** The number input {@code name}, exact, if set. */
  public Optional<BigDecimal> findDecimal(String name) {
    return typed(name, Value.NumberValue.class, "a number").map(Value.NumberValue::value);
  }

  /** The boolean input {@code name}. */
  public boolean getBoolean(String name) {
    return findBoolean(name).orElseThrow(() -> missing(name, "a boolean"));
  }

  /** The boolean input {@code name}, if set. */
  public Optional<Boolean> findBoolean(String name) {
    return typed(name, Value.BooleanValue.class, "a boolean").map(Value.BooleanValue::value);
  }

  /** The list input {@code name}. */
  public List<Value> getList(String name) {
    return findList(name).orElseThrow(() -> missing(name, "a list"));
  }

  /** The list input {@code name}, if set. */
  public Optional<List<Value>> findList(String name) {
    return typed(name, Value.ListValue.class, "a list").map(Value.ListValue::values);
  }

  /** The map input {@code name}. */
  public Map<String, Value> getMap(String name) {
    return findMap(name).orElseThrow(() -> missing(name, "a map"));
  }

  /** The map input {@code name}, if set. */
  public Optional<Map<String, Value>> findMap(String name) {
    return typed(name, Value.MapValue.class, "a map").map(Value.MapValue::entries);
  }

  private <T extends Value> Optional<T> typed(String name, Class<T> type, String what) {
    Value v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!type.isInstance(v)) {
      throw new InputTypeException("input " + name + " of " + resource + " is " + Value.typeName(v) + ", not "
          + what);
    }
    return Optional.of(type.cast(v));
  }

  private InputTypeException missing(String name, String what) {
    return new InputTypeException("input " + name + " of " + resource + " is not set; expected " + what);
  }
}
