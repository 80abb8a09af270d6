package io.stagehand.core.model;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;

/** One input of one resource, written {@code resource.input}. */
public record InputRef(ResourceId resource, String input) implements Comparable<InputRef> {
  public InputRef {
    if (resource == null) {
      throw new InvalidInputException("an input reference needs a resource id");
    }
    Names.input(input);
  }

  public static InputRef of(ResourceId resource, String input) {
    return new InputRef(resource, input);
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
    return new InputRef(ResourceId.of(text.substring(0, dot)), text.substring(dot + 1));
  }

  @Override
  public int compareTo(InputRef o) {
    int c = resource.compareTo(o.resource);
    return c != 0 ? c : input.compareTo(o.input);
  }

  @Override
  public String toString() {
    return resource + "." + input;
  }
}
