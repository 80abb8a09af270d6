package io.stagehand.core;

/** An ordering edge of a plan: {@code before}'s action commits before {@code after}'s starts. */
public record PlanEdge(ResourceId before, ResourceId after, String reason) {}
