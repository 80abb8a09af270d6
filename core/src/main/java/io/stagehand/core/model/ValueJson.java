package io.stagehand.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.stagehand.core.InputLimits;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Limits;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON codec of values, on jackson-core's streaming parser and generator: {@link Value#parse}
 * and {@link Value#toJson} use it, and a store that keeps values as JSON reads and writes them
 * through {@link #read(JsonParser)} and {@link #write(JsonGenerator, Value)} inside its own
 * documents. The parser's {@link StreamReadConstraints} and the checks of {@link InputLimits} bound
 * what it accepts; its errors say where the text went wrong and never repeat the text, which may be
 * a secret.
 */
public final class ValueJson {
  private static final JsonFactory FACTORY = factory(0, InputLimits.MAX_STRING_LENGTH);

  private ValueJson() {}

  /**
   * A factory for documents that hold values {@code extraDepth} levels down and strings up to
   * {@code maxStringLength} characters: the parser refuses deeper or longer text before it builds
   * anything. Source text is never part of its error locations.
   */
  public static JsonFactory factory(int extraDepth, int maxStringLength) {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            // one over, so that the reader's own check names the limit
            .maxNestingDepth(InputLimits.MAX_DEPTH + extraDepth + 1)
            .maxStringLength(maxStringLength)
            // map keys are strings under the same limit (jackson-core's own default is 50,000)
            .maxNameLength(maxStringLength)
            // digits plus sign, point and exponent: the exact limit is checked on the number
            .maxNumberLength(InputLimits.MAX_NUMBER_DIGITS + 2 * InputLimits.MAX_NUMBER_EXPONENT + 16)
            .build())
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();
  }

  /** Parses one value from JSON text; {@code null} anywhere is refused (absent is not a value). */
  public static Value parse(String json) {
    if (json == null) {
      throw new InvalidInputException("JSON text is missing");
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() == null) {
        throw new InvalidInputException("invalid JSON value: the text holds no value");
      }
      Value v = read(p);
      if (p.nextToken() != null) {
        throw new InvalidInputException("invalid JSON value at character " + offset(p.currentTokenLocation())
            + ": there is more text after the value");
      }
      return v;
    } catch (JsonProcessingException e) {
      throw invalid(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value as compact JSON, map keys sorted. */
  public static String toJson(Value v) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes {@code v} at the generator's position. */
  public static void write(JsonGenerator g, Value v) throws IOException {
    if (v instanceof Value.StringValue s) {
      g.writeString(s.value());
    } else if (v instanceof Value.NumberValue n) {
      g.writeNumber(n.toJson());
    } else if (v instanceof Value.BooleanValue b) {
      g.writeBoolean(b.value());
    } else if (v instanceof Value.ListValue l) {
      g.writeStartArray();
      for (Value e : l.values()) {
        write(g, e);
      }
      g.writeEndArray();
    } else {
      g.writeStartObject();
      for (Map.Entry<String, Value> e : ((Value.MapValue) v).entries().entrySet()) {
        g.writeFieldName(e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    }
  }

  /**
   * Reads the value that starts at the parser's current token and leaves the parser on its last
   * token. Refuses {@code null}, duplicate map keys and anything over {@link InputLimits} with
   * {@link InvalidInputException}.
   */
  public static Value read(JsonParser p) throws IOException {
    return read(p, 0);
  }

  private static Value read(JsonParser p, int depth) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new InvalidInputException("invalid JSON value: the text ends where a value should start");
    }
    switch (t) {
      case VALUE_STRING:
        return Value.of(p.getText());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return Value.of(number(p));
      case VALUE_TRUE:
        return Value.of(true);
      case VALUE_FALSE:
        return Value.of(false);
      case VALUE_NULL:
        throw new InvalidInputException("invalid JSON value at character " + offset(p.currentTokenLocation())
            + ": null is not a value; leave the input or element out instead");
      case START_ARRAY: {
        checkDepth(p, depth);
        List<Value> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          values.add(read(p, depth + 1));
        }
        return Value.list(values);
      }
      case START_OBJECT: {
        checkDepth(p, depth);
        TreeMap<String, Value> entries = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          long at = offset(p.currentTokenLocation());
          p.nextToken();
          if (entries.put(key, read(p, depth + 1)) != null) {
            throw new InvalidInputException("invalid JSON value at character " + at
                + ": a map key appears twice");
          }
        }
        return Value.map(entries);
      }
      default:
        throw new InvalidInputException("invalid JSON value at character " + offset(p.currentTokenLocation())
            + ": a value should start here");
    }
  }

  private static void checkDepth(JsonParser p, int depth) {
    if (depth + 1 > InputLimits.MAX_DEPTH) {
      throw new InvalidInputException("invalid JSON value at character " + offset(p.currentTokenLocation())
          + ": lists and maps are nested more than " + InputLimits.MAX_DEPTH + " deep");
    }
  }

  private static BigDecimal number(JsonParser p) throws IOException {
    String text = p.getText();
    BigDecimal n;
    try {
      n = new BigDecimal(text);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidInputException("invalid JSON value at character " + offset(p.currentTokenLocation())
          + ": the number is out of range; numbers lie within 1e-" + InputLimits.MAX_NUMBER_EXPONENT + " to 1e"
          + InputLimits.MAX_NUMBER_EXPONENT);
    }
    return n;
  }

  private static long offset(JsonLocation at) {
    return at.getCharOffset();
  }

  /** The parser's error as a message that names the place and the kind of fault, never the text. */
  private static InvalidInputException invalid(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at character " + offset(at);
    String what;
    if (e instanceof StreamConstraintsException) {
      what = "it is over a limit (lists and maps nested at most " + InputLimits.MAX_DEPTH + " deep, strings of at most "
          + InputLimits.MAX_STRING_LENGTH + " characters, numbers of at most " + InputLimits.MAX_NUMBER_DIGITS
          + " digits)";
    } else if (e instanceof JsonEOFException) {
      what = "the text ends inside a value (an unclosed string, list or map)";
    } else {
      what = "this is not JSON (write strings in double quotes, lists in [], maps in {})";
    }
    return new InvalidInputException("invalid JSON value" + where + ": " + what);
  }

  /**
   * Converts a plain Java object (String, Number, Boolean, List, Map with String keys, or Value) into
   * a value; {@code where} names the place in messages.
   */
  static Value fromJava(Object o, String where) {
    return fromJava(o, where, 0);
  }

  private static Value fromJava(Object o, String where, int depth) {
    if (o == null) {
      throw new InvalidInputException(where + " is null; an absent input has no value");
    }
    if (o instanceof Value v) {
      Limits.checkDepth(v, where);
      return v;
    }
    if (o instanceof String s) {
      return Value.of(s);
    }
    if (o instanceof Boolean b) {
      return Value.of(b);
    }
    if (o instanceof BigDecimal d) {
      return Value.of(d);
    }
    if (o instanceof BigInteger i) {
      return Value.of(new BigDecimal(i));
    }
    if (o instanceof Double || o instanceof Float) {
      double d = ((Number) o).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new InvalidInputException(where + " is " + d + ", which is not a JSON number");
      }
      return Value.of(d);
    }
    if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
      return Value.of(((Number) o).longValue());
    }
    if (o instanceof List || o instanceof Map) {
      if (depth + 1 > InputLimits.MAX_DEPTH) {
        throw new InvalidInputException(where + " is nested more than " + InputLimits.MAX_DEPTH
            + " lists or maps deep");
      }
    }
    if (o instanceof List<?> list) {
      List<Value> values = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        values.add(fromJava(list.get(i), where + "[" + i + "]", depth + 1));
      }
      return Value.list(values);
    }
    if (o instanceof Map<?, ?> map) {
      Map<String, Value> entries = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new InvalidInputException(where + " has a key of type "
              + (e.getKey() == null ? "null" : e.getKey().getClass().getName()) + "; map keys must be strings");
        }
        entries.put(key, fromJava(e.getValue(), where + "." + key, depth + 1));
      }
      return Value.map(entries);
    }
    throw new InvalidInputException(
        where + " is a " + o.getClass().getName()
            + "; use a string, number, boolean, list or map with string keys");
  }
}
