package io.stagehand.core.model;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;

/** One input of one resource, written {@code resource.input}. */
public final class InputRef implements Comparable<InputRef> {
  /**
   * One instance per reference while any is in use, for {@link #of} and {@link #parse}: an
   * emitter's output feeds many receivers.
   */
  private static final Interner<InputRef> REFS = Interners.newWeakInterner();

  private final ResourceId resource;
  private final String input;

  public InputRef(ResourceId resource, String input) {
    if (resource == null) {
      throw new InvalidInputException("an input reference needs a resource id");
    }
    this.resource = resource;
    this.input = Names.input(input);
  }

  /** For a {@link Connection}'s ends, checked when the connection was made. */
  private InputRef(ResourceId resource, String input, boolean checked) {
    this.resource = resource;
    this.input = input;
  }

  static InputRef trusted(ResourceId resource, String input) {
    return new InputRef(resource, input, true);
  }

  public static InputRef of(ResourceId resource, String input) {
    return REFS.intern(new InputRef(resource, input));
  }

  /** Parses {@code resource.input}, e.g. {@code keystone1.ip}. */
  public static InputRef parse(String text) {
    if (text == null) {
      throw new InvalidInputException("an input reference is missing");
    }
    int dot = text.indexOf('.');
    if (dot < 0 || dot != text.lastIndexOf('.')) {
      throw new InvalidInputException(
          "invalid input reference: write <resource>.<input> (one dot)");
    }
    return of(ResourceId.of(text.substring(0, dot)), text.substring(dot + 1));
  }

  public ResourceId resource() {
    return resource;
  }

  public String input() {
    return input;
  }

  @Override
  public int compareTo(InputRef o) {
    int c = resource.compareTo(o.resource);
    return c != 0 ? c : input.compareTo(o.input);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof InputRef r && resource.equals(r.resource) && input.equals(r.input);
  }

  @Override
  public int hashCode() {
    return 31 * resource.hashCode() + input.hashCode();
  }

  @Override
  public String toString() {
    return resource + "." + input;
  }
}
