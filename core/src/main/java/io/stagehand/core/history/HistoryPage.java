package io.stagehand.core.history;

import io.stagehand.core.internal.json.StateJson;
import java.util.List;

/** One page of the commit log in apply order: the commits, where the page starts, and the total. */
public record HistoryPage(List<Commit> commits, long offset, long total) {
  public HistoryPage {
    commits = List.copyOf(commits);
  }

  /**
   * The page as JSON for tools ({@code docs/formats.md}): each commit with its position, tag, index,
   * action, time, what it reverts, its input changes (sensitive sides as {@code "(sensitive)"}) and the
   * connections before and after.
   */
  public String toJson() {
    return StateJson.history(commits, offset, total);
  }

  public boolean hasMore() {
    return offset + commits.size() < total;
  }

  /** The offset of the next page. */
  public long nextOffset() {
    return offset + commits.size();
  }
}
