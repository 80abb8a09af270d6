package io.stagehand.core.plan;

import io.stagehand.core.model.ResourceId;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An ordering edge of a plan: {@code before}'s action commits before {@code after}'s starts, with the
 * reason in words. A first deployment has hundreds of thousands of edges and most reasons are never
 * read, so the planner's reasons are worded when first asked for.
 */
public final class PlanEdge {
  private final ResourceId before;
  private final ResourceId after;
  /** The reason, or what words it on first use (a String once worded; racing to word it is harmless). */
  private Object reason;

  public PlanEdge(ResourceId before, ResourceId after, String reason) {
    this.before = Objects.requireNonNull(before, "before");
    this.after = Objects.requireNonNull(after, "after");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  private PlanEdge(ResourceId before, ResourceId after, Supplier<String> reason) {
    this.before = before;
    this.after = after;
    this.reason = reason;
  }

  static PlanEdge worded(ResourceId before, ResourceId after, Supplier<String> reason) {
    return new PlanEdge(before, after, reason);
  }

  public ResourceId before() {
    return before;
  }

  public ResourceId after() {
    return after;
  }

  public String reason() {
    Object r = reason;
    if (r instanceof Supplier<?> s) {
      r = s.get();
      reason = r;
    }
    return (String) r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlanEdge e && before.equals(e.before) && after.equals(e.after) && reason().equals(e.reason());
  }

  @Override
  public int hashCode() {
    return Objects.hash(before, after, reason());
  }

  @Override
  public String toString() {
    return "PlanEdge[before=" + before + ", after=" + after + ", reason=" + reason() + "]";
  }
}
