package io.stagehand.core.internal.stage;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules an edit must follow against the desired state, each written once: a value set by hand
 * on a connected input, a connection's shape against the receiver's other connections, a cycle,
 * the removal of a protected resource.
 * The desired state calls them before it changes anything.
 */
public final class EditRules {
  private EditRules() {}

  /** {@code remove}: the resource is not protected. */
  public static void checkRemove(Definition r) {
    if (r.isProtected()) {
      throw new InvalidInputException("cannot remove " + r.id() + ": it is protected; stage unprotect "
          + r.id() + " before removing it");
    }
  }

  /** {@code set}: the input takes no connection, or only ones into keys the value leaves free. */
  public static void checkSet(Edit.SetInput s, Definition r) {
    for (Connection c : r.incoming()) {
      if (!c.receiver().input().equals(s.input())) {
        continue;
      }
      if (!c.leavesKeyFree(s.value())) {
        throw new InvalidInputException("cannot set " + s.id() + "." + s.input() + ": "
            + (c.feedsOneKey()
                ? "its key " + c.key().get() + " is connected from " + c.emitter() + "; set a map without it"
                : "it is connected from " + c.emitter() + "; disconnect it first"));
      }
    }
  }

  /**
   * {@code connect}: returns the connection as made, reading the emitter's output of that name if
   * the emitter has no such input; the receiver's input is not set by hand (but for a
   * free key); no connection with the same ends; plain and collecting, whole and keyed connections
   * do not share an input; a plain input (or key) takes one connection, a collecting keyed input one
   * per emitter and key.
   */
  public static Connection checkConnect(Connection c, Definition emitter, Definition receiver) {
    String in = c.emitter().input();
    // a name the emitter has no input of is one of its outputs, known once its handler returns it
    Connection made = c.readsOutput() || emitter.ownInputs().containsKey(in) || emitter.isConnected(in)
        ? c : c.asOutput();
    String out = c.receiver().input();
    Value own = receiver.ownInputs().get(out);
    if (own != null) {
      if (!c.leavesKeyFree(own)) {
        throw new InvalidInputException("cannot connect " + c + ": " + c.receiver()
            + (c.feedsOneKey() && own instanceof Value.MapValue
                ? " sets key " + c.key().get() + " by hand; remove it from the value before connecting"
                : " is set by hand; unset it before connecting"));
      }
    }
    for (Connection existing : receiver.incoming()) {
      if (!existing.receiver().input().equals(out)) {
        continue;
      }
      if (existing.sameEnds(c)) {
        throw new InvalidInputException("cannot connect " + c + ": " + existing + " is already connected");
      }
      if (existing.collecting() != c.collecting()) {
        throw new InvalidInputException("cannot connect " + c + ": " + c.receiver() + " already takes "
            + (existing.collecting() ? "collecting connections ([])" : "a plain connection")
            + " (" + existing + "); plain and collecting connections cannot share one input");
      }
      if (existing.key().isPresent() != c.key().isPresent()) {
        throw new InvalidInputException("cannot connect " + c + ": " + c.receiver() + " already takes "
            + (existing.key().isPresent() ? "connections into its keys" : "a connection as a whole")
            + " (" + existing + "); an input is fed either whole or key by key");
      }
      if (c.collecting()) {
        if (c.key().isPresent() && existing.key().equals(c.key())
            && existing.emitter().resource().equals(c.emitter().resource())) {
          throw new InvalidInputException("cannot connect " + c + ": " + c.emitter().resource()
              + " already feeds " + existing.target() + " (" + existing + ")");
        }
        continue;
      }
      if (existing.key().equals(c.key())) {
        throw new InvalidInputException("cannot connect " + c + ": " + existing.target()
            + " already has a connection (" + existing + "); a plain input takes one, connect into "
            + c.receiver() + "[] to collect several");
      }
    }
    return made;
  }

  /** The refusal of an edit that would close the cycle {@code from} -> {@code path}. */
  public static InvalidInputException cycle(String what, ResourceId from, List<ResourceId> path) {
    List<String> names = new ArrayList<>();
    names.add(from.name());
    path.forEach(id -> names.add(id.name()));
    return new InvalidInputException("cannot " + what + ": it would make a cycle " + String.join(" -> ", names));
  }
}
