package io.stagehand.core;

import java.util.Comparator;

/**
 * {@code emitter.input -> receiver.input}: the receiver's input takes the emitter's resolved value.
 * A <em>collecting</em> receiver input (written {@code receiver.input[]}) takes the list of all its
 * emitters' values, ordered by emitter id and then input name. A connection belongs to its receiver:
 * it is applied and recorded with the receiver's action.
 */
public record Connection(InputRef emitter, InputRef receiver, boolean collecting)
    implements Comparable<Connection> {
  private static final Comparator<Connection> ORDER =
      Comparator.comparing(Connection::emitter)
          .thenComparing(Connection::receiver)
          .thenComparing(c -> c.collecting() ? 1 : 0);

  public Connection {
    if (emitter == null || receiver == null) {
      throw new InvalidInputException("a connection needs an emitter and a receiver input");
    }
  }

  /** A plain connection: the receiver input takes the emitter's value. */
  public static Connection of(String emitter, String receiver) {
    return new Connection(InputRef.parse(emitter), InputRef.parse(receiver), false);
  }

  /** A collecting connection: the receiver input is a list of all its emitters' values. */
  public static Connection collecting(String emitter, String receiver) {
    return new Connection(InputRef.parse(emitter), InputRef.parse(receiver), true);
  }

  /**
   * Parses the scenario form {@code a.x -> b.y} or {@code a.x -> b.y[]}.
   */
  public static Connection parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("->", -1);
    if (parts.length != 2) {
      throw new InvalidInputException(
          "invalid connection " + Names.quote(String.valueOf(text))
              + ": write <emitter>.<input> -> <receiver>.<input>[[]]");
    }
    String receiver = parts[1].trim();
    boolean collecting = receiver.endsWith("[]");
    if (collecting) {
      receiver = receiver.substring(0, receiver.length() - 2);
    }
    return new Connection(InputRef.parse(parts[0].trim()), InputRef.parse(receiver), collecting);
  }

  /** True if this connection touches {@code id} at either end. */
  public boolean touches(ResourceId id) {
    return emitter.resource().equals(id) || receiver.resource().equals(id);
  }

  /** The same ends, regardless of the collecting mark. */
  public boolean sameEnds(Connection other) {
    return emitter.equals(other.emitter) && receiver.equals(other.receiver);
  }

  @Override
  public int compareTo(Connection o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return emitter + " -> " + receiver + (collecting ? "[]" : "");
  }
}
