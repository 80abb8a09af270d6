package io.stagehand.core.model;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;
import java.util.Optional;

/**
 * An event between two resources' actions, as Solar's {@code depends_on} and {@code react_on}. An
 * <em>ordering</em> event ({@code depend b after a}) puts b's action after a's when both are planned.
 * A <em>reaction</em> ({@code react a UPDATE -> b restart}) gives b the action {@code restart}
 * whenever a gets the action {@code UPDATE} ({@code *} for any action); the handler receives the
 * custom name. Like a connection, an event belongs to its target b and is staged, committed and
 * restored with it.
 */
public record Event(ResourceId source, String trigger, ResourceId target, Optional<String> reaction)
    implements Comparable<Event> {

  public Event {
    if (source == null || target == null || trigger == null || reaction == null) {
      throw new InvalidInputException("an event needs a source, a trigger, a target and a reaction (or none)");
    }
    if (!trigger.equals("*")) {
      Names.check("trigger", trigger, 100);
    }
    reaction.ifPresent(r -> Names.check("reaction", r, 100));
    if (reaction.isEmpty() && !trigger.equals("*")) {
      throw new InvalidInputException("an ordering event applies to any action of its source; use trigger *");
    }
  }

  /** {@code target}'s action runs after {@code source}'s when both are in a plan. */
  public static Event dependsOn(String target, String source) {
    return new Event(ResourceId.of(source), "*", ResourceId.of(target), Optional.empty());
  }

  /** When {@code source} gets the action {@code trigger} (or {@code *}), {@code target} gets {@code reaction}. */
  public static Event reaction(String source, String trigger, String target, String reaction) {
    return new Event(ResourceId.of(source), trigger, ResourceId.of(target), Optional.of(reaction));
  }

  public boolean isReaction() {
    return reaction.isPresent();
  }

  /** True if an action named {@code action} of the source triggers this event. */
  public boolean triggeredBy(String action) {
    return trigger.equals("*") || trigger.equals(action);
  }

  @Override
  public int compareTo(Event o) {
    int c = source.compareTo(o.source);
    if (c != 0) {
      return c;
    }
    c = trigger.compareTo(o.trigger);
    if (c != 0) {
      return c;
    }
    c = target.compareTo(o.target);
    return c != 0 ? c : reaction.orElse("").compareTo(o.reaction.orElse(""));
  }

  /** {@code b after a} or {@code a UPDATE -> b restart}. */
  @Override
  public String toString() {
    return reaction.map(r -> source + " " + trigger + " -> " + target + " " + r).orElse(target + " after " + source);
  }
}
