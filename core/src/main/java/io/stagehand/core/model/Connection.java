package io.stagehand.core.model;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;
import java.util.Optional;

/**
 * {@code emitter.input -> receiver.input}: the receiver's input takes the emitter's resolved value.
 * A <em>collecting</em> receiver input (written {@code receiver.input[]}) takes the list of all its
 * emitters' values, ordered by emitter id and then input name. A connection may feed one
 * <em>key</em> of a map input instead of the whole input: {@code a.ip -> b.endpoint.host} sets key
 * {@code host} of {@code b.endpoint}, and {@code k1.ip -> lb.backends[].server} makes
 * {@code backends} a list with one map per emitter. A connection belongs to its receiver: it is
 * applied and recorded with the receiver's action.
 */
public record Connection(InputRef emitter, InputRef receiver, boolean collecting, Optional<String> key)
    implements Comparable<Connection> {
  public Connection {
    if (emitter == null || receiver == null || key == null) {
      throw new InvalidInputException("a connection needs an emitter and a receiver input");
    }
    key.ifPresent(k -> Names.check("map key", k, 100));
  }

  public Connection(InputRef emitter, InputRef receiver, boolean collecting) {
    this(emitter, receiver, collecting, Optional.empty());
  }

  /** A plain connection: the receiver input takes the emitter's value. */
  public static Connection of(String emitter, String receiver) {
    return parse(emitter + " -> " + receiver);
  }

  /** A collecting connection: the receiver input is a list of all its emitters' values. */
  public static Connection collecting(String emitter, String receiver) {
    return parse(emitter + " -> " + receiver + "[]");
  }

  /**
   * Parses the scenario form {@code a.x -> b.y}, {@code a.x -> b.y[]}, {@code a.x -> b.y.key} or
   * {@code a.x -> b.y[].key}.
   */
  public static Connection parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("->", -1);
    if (parts.length != 2) {
      throw usage(text);
    }
    String receiver = parts[1].trim();
    boolean collecting = false;
    Optional<String> key = Optional.empty();
    int brackets = receiver.indexOf("[]");
    if (brackets >= 0) {
      collecting = true;
      String rest = receiver.substring(brackets + 2);
      receiver = receiver.substring(0, brackets);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(".")) {
          throw usage(text);
        }
        key = Optional.of(rest.substring(1));
      }
    } else {
      String[] dotted = receiver.split("\\.", -1);
      if (dotted.length == 3) {
        receiver = dotted[0] + "." + dotted[1];
        key = Optional.of(dotted[2]);
      } else if (dotted.length != 2) {
        throw usage(text);
      }
    }
    return new Connection(InputRef.parse(parts[0].trim()), InputRef.parse(receiver), collecting, key);
  }

  private static InvalidInputException usage(String text) {
    return new InvalidInputException("invalid connection: write <emitter>.<input> -> <receiver>.<input>, with [] to collect and .<key> to feed one map key");
  }

  /**
   * The one rule for an input both set by hand and connected: allowed only when this connection
   * feeds one key of a plain (not collecting) input and {@code own}, the value set by hand, is a map
   * without that key. True if {@code own} leaves this connection's key free.
   */
  public boolean leavesKeyFree(Value own) {
    return key.isPresent() && !collecting && own instanceof Value.MapValue m && !m.entries().containsKey(key.get());
  }

  /** True if this connection feeds one key of a plain input ({@code a.x -> b.map.key}). */
  public boolean feedsOneKey() {
    return key.isPresent() && !collecting;
  }

  /** True if this connection touches {@code id} at either end. */
  public boolean touches(ResourceId id) {
    return emitter.resource().equals(id) || receiver.resource().equals(id);
  }

  /** The same ends (and key), regardless of the collecting mark. */
  public boolean sameEnds(Connection other) {
    return emitter.equals(other.emitter) && receiver.equals(other.receiver) && key.equals(other.key);
  }

  /** The receiver side as written: {@code b.y}, {@code b.y[]}, {@code b.y.k} or {@code b.y[].k}. */
  public String target() {
    return receiver + (collecting ? "[]" : "") + key.map(k -> "." + k).orElse("");
  }

  @Override
  public int compareTo(Connection o) {
    // by emitter, receiver, key (none first), plain before collecting; written out, as sorted sets
    // of connections are compared millions of times while planning and applying
    int c = emitter.compareTo(o.emitter);
    if (c != 0) {
      return c;
    }
    c = receiver.compareTo(o.receiver);
    if (c != 0) {
      return c;
    }
    c = key.orElse("").compareTo(o.key.orElse(""));
    if (c != 0) {
      return c;
    }
    return Boolean.compare(collecting, o.collecting);
  }

  @Override
  public String toString() {
    return emitter + " -> " + target();
  }
}
