package io.stagehand.core.plan;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;

/**
 * Picks resources for a partial apply: by id ({@code web1}) or by label ({@code label:frontend}).
 */
public record Selector(String kind, String name) {
  public Selector {
    if (!"id".equals(kind) && !"label".equals(kind)) {
      throw new InvalidInputException("a selector is by id or by label");
    }
    if ("id".equals(kind)) {
      ResourceId.of(name);
    } else {
      Names.check("label", name, 100);
    }
  }

  public static Selector id(String id) {
    return new Selector("id", id);
  }

  public static Selector label(String label) {
    return new Selector("label", label);
  }

  /** Parses {@code web1} or {@code label:frontend}. */
  public static Selector parse(String text) {
    if (text != null && text.startsWith("label:")) {
      return label(text.substring("label:".length()));
    }
    return id(text);
  }

  /** True if the selector picks {@code r}. */
  public boolean matches(Resource r) {
    return "id".equals(kind) ? r.id().name().equals(name) : r.labels().contains(name);
  }

  @Override
  public String toString() {
    return "id".equals(kind) ? name : "label:" + name;
  }
}
