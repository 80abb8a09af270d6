package io.stagehand.core.drift;

import io.stagehand.core.model.ResourceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a refresh found ({@code Orchestrator.refresh()}): the resources whose reality differs from
 * their applied state, those whose handler could not tell, and those whose read failed (with the
 * error, secrets taken out). Hand it to {@code repair} or {@code adopt}.
 */
public final class DriftReport {
  private final Instant time;
  private final List<Drift> drifts;
  private final List<ResourceId> unknown;
  private final SortedMap<ResourceId, String> failed;
  private final int read;

  public DriftReport(Instant time, int read, List<Drift> drifts, List<ResourceId> unknown,
      Map<ResourceId, String> failed) {
    this.time = Objects.requireNonNull(time, "time");
    this.read = read;
    this.drifts = List.copyOf(drifts);
    this.unknown = List.copyOf(unknown);
    this.failed = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(failed));
  }

  /** When the refresh started. */
  public Instant time() {
    return time;
  }

  /** How many applied resources the refresh asked about. */
  public int read() {
    return read;
  }

  /** The resources that drifted, by id. */
  public List<Drift> drifts() {
    return drifts;
  }

  /** The resources whose handler could not tell what is there. */
  public List<ResourceId> unknown() {
    return unknown;
  }

  /** The resources whose read threw, with why. */
  public SortedMap<ResourceId, String> failed() {
    return failed;
  }

  /** True if nothing drifted. */
  public boolean isEmpty() {
    return drifts.isEmpty();
  }

  /** One block per drift, then the unread and failed resources; {@code no drift} if there is none. */
  public String render() {
    List<String> lines = new ArrayList<>();
    drifts.forEach(d -> lines.add(d.toString()));
    if (lines.isEmpty()) {
      lines.add("no drift");
    }
    if (!unknown.isEmpty()) {
      lines.add("not read: " + String.join(", ", unknown.stream().map(ResourceId::name).toList()));
    }
    failed.forEach((id, why) -> lines.add("read failed: " + id + ": " + why));
    return String.join("\n", lines);
  }

  @Override
  public String toString() {
    return "DriftReport{read=" + read + ", drifts=" + drifts.size() + ", unknown=" + unknown.size() + ", failed="
        + failed.size() + "}";
  }
}
