package io.stagehand.core.model;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;
import java.util.Objects;
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
public final class Connection implements Comparable<Connection> {
  // the two ends kept flat, not as two InputRefs: about 40 bytes less on every connection a store holds
  private final ResourceId emitterResource;
  private final String emitterInput;
  private final ResourceId receiverResource;
  private final String receiverInput;
  private final String key;
  private final boolean collecting;
  private final boolean output;

  public Connection(InputRef emitter, InputRef receiver, boolean collecting, Optional<String> key) {
    this(emitter, receiver, collecting, key, false);
  }

  /**
   * A connection that reads the emitter's output {@code emitter.input()} if {@code output}, else its
   * input of that name.
   */
  public Connection(InputRef emitter, InputRef receiver, boolean collecting, Optional<String> key, boolean output) {
    if (emitter == null || receiver == null || key == null) {
      throw new InvalidInputException("a connection needs an emitter and a receiver input");
    }
    key.ifPresent(k -> Names.check("map key", k, 100));
    this.emitterResource = emitter.resource();
    this.emitterInput = emitter.input();
    this.receiverResource = receiver.resource();
    this.receiverInput = receiver.input();
    this.key = key.orElse(null);
    this.collecting = collecting;
    this.output = output;
  }

  public Connection(InputRef emitter, InputRef receiver, boolean collecting) {
    this(emitter, receiver, collecting, Optional.empty());
  }

  /**
   * True if the connection carries one of the emitter's outputs (a value its handler returns, such as
   * an IP a cloud assigned) rather than one of its inputs. Staging settles it when the connection is
   * made: {@code vm1.ip -> web.host} reads the input {@code ip} if {@code vm1} has one then, else its
   * output {@code ip}. It is not part of the connection's identity: one pair of ends is one
   * connection.
   */
  public boolean readsOutput() {
    return output;
  }

  /** This connection reading the emitter's output of its name ({@link #readsOutput()}). */
  public Connection asOutput() {
    return output ? this : new Connection(emitter(), receiver(), collecting, key(), true);
  }

  /** The emitter's input (or output, {@link #readsOutput()}) whose value this connection carries. */
  public InputRef emitter() {
    return InputRef.trusted(emitterResource, emitterInput);
  }

  /** The receiver's input that takes the value. */
  public InputRef receiver() {
    return InputRef.trusted(receiverResource, receiverInput);
  }

  /** True if the receiver input collects the values of all its emitters into a list. */
  public boolean collecting() {
    return collecting;
  }

  /** The key of the receiver's map input that this connection feeds, if it feeds one key. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
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
    return key != null && !collecting && own instanceof Value.MapValue m && !m.entries().containsKey(key);
  }

  /** True if this connection feeds one key of a plain input ({@code a.x -> b.map.key}). */
  public boolean feedsOneKey() {
    return key != null && !collecting;
  }

  /** True if this connection touches {@code id} at either end. */
  public boolean touches(ResourceId id) {
    return emitterResource.equals(id) || receiverResource.equals(id);
  }

  /** The same ends (and key), regardless of the collecting mark. */
  public boolean sameEnds(Connection other) {
    return emitterResource.equals(other.emitterResource) && emitterInput.equals(other.emitterInput)
        && receiverResource.equals(other.receiverResource) && receiverInput.equals(other.receiverInput)
        && Objects.equals(key, other.key);
  }

  /** The receiver side as written: {@code b.y}, {@code b.y[]}, {@code b.y.k} or {@code b.y[].k}. */
  public String target() {
    return receiverResource + "." + receiverInput + (collecting ? "[]" : "") + (key == null ? "" : "." + key);
  }

  @Override
  public int compareTo(Connection o) {
    // by emitter, receiver, key (none first), plain before collecting; written out, as sorted sets
    // of connections are compared millions of times while planning and applying
    int c = emitterResource.compareTo(o.emitterResource);
    if (c != 0) {
      return c;
    }
    c = emitterInput.compareTo(o.emitterInput);
    if (c != 0) {
      return c;
    }
    c = receiverResource.compareTo(o.receiverResource);
    if (c != 0) {
      return c;
    }
    c = receiverInput.compareTo(o.receiverInput);
    if (c != 0) {
      return c;
    }
    c = (key == null ? "" : key).compareTo(o.key == null ? "" : o.key);
    if (c != 0) {
      return c;
    }
    return Boolean.compare(collecting, o.collecting);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Connection c && sameEnds(c) && collecting == c.collecting;
  }

  @Override
  public int hashCode() {
    int h = emitterResource.hashCode();
    h = 31 * h + emitterInput.hashCode();
    h = 31 * h + receiverResource.hashCode();
    h = 31 * h + receiverInput.hashCode();
    h = 31 * h + Objects.hashCode(key);
    return 31 * h + Boolean.hashCode(collecting);
  }

  @Override
  public String toString() {
    return emitterResource + "." + emitterInput + " -> " + target();
  }
}
