package io.stagehand.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text and Java objects to {@link Value} and back. Core stays free of I/O libraries (its
 * dependencies are fixed by the module card), and {@link Value} needs one canonical text form for
 * plans, reports and error messages; this grammar is small enough to own.
 */
final class ValueJson {
  private final String text;
  private int pos;

  private ValueJson(String text) {
    this.text = text;
  }

  static Value parse(String json) {
    if (json == null) {
      throw new InvalidInputException("JSON text is missing");
    }
    ValueJson p = new ValueJson(json);
    p.skipSpace();
    Value v = p.value();
    p.skipSpace();
    if (p.pos != json.length()) {
      throw p.error("unexpected text after the value");
    }
    return v;
  }

  static Value fromJava(Object o, String where) {
    if (o == null) {
      throw new InvalidInputException(where + " is null; an absent input has no value");
    }
    if (o instanceof Value) {
      return (Value) o;
    }
    if (o instanceof String) {
      return Value.of((String) o);
    }
    if (o instanceof Boolean) {
      return Value.of((Boolean) o);
    }
    if (o instanceof BigDecimal) {
      return Value.of((BigDecimal) o);
    }
    if (o instanceof BigInteger) {
      return Value.of(new BigDecimal((BigInteger) o));
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
    if (o instanceof List) {
      List<?> list = (List<?>) o;
      List<Value> values = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        values.add(fromJava(list.get(i), where + "[" + i + "]"));
      }
      return Value.list(values);
    }
    if (o instanceof Map) {
      Map<String, Value> entries = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new InvalidInputException(
              where + " has key " + e.getKey() + " that is not a string; map keys must be strings");
        }
        String key = (String) e.getKey();
        entries.put(key, fromJava(e.getValue(), where + "." + key));
      }
      return Value.map(entries);
    }
    throw new InvalidInputException(
        where + " is a " + o.getClass().getName()
            + "; use a string, number, boolean, list or map with string keys");
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private Value value() {
    if (pos >= text.length()) {
      throw error("a value is missing");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return Value.of(string());
      case 't':
        literal("true");
        return Value.of(true);
      case 'f':
        literal("false");
        return Value.of(false);
      case 'n':
        literal("null");
        pos -= 4;
        throw error("null is not a value; leave the input or element out instead");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Value object() {
    pos++;
    Map<String, Value> entries = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return Value.map(entries);
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("a map key must be a string");
      }
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      Value v = value();
      if (entries.put(key, v) != null) {
        throw error("duplicate map key " + quote(key));
      }
      skipSpace();
      if (peek() == ',') {
        pos++;
        continue;
      }
      expect('}');
      return Value.map(entries);
    }
  }

  private Value array() {
    pos++;
    List<Value> values = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return Value.list(values);
    }
    while (true) {
      skipSpace();
      values.add(value());
      skipSpace();
      if (peek() == ',') {
        pos++;
        continue;
      }
      expect(']');
      return Value.list(values);
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in string; escape it");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"' -> b.append('"');
        case '\\' -> b.append('\\');
        case '/' -> b.append('/');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("short \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException bad) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> {
          pos--;
          throw error("bad escape '\\" + e + "'");
        }
      }
    }
  }

  private Value number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw error("a digit is missing");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("a digit is missing after '.'");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("a digit is missing in the exponent");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    return Value.of(new BigDecimal(text.substring(start, pos)));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected text");
    }
    pos += word.length();
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private InvalidInputException error(String what) {
    return new InvalidInputException(
        "invalid JSON value " + Names.quote(text) + " at position " + pos + ": " + what);
  }
}
