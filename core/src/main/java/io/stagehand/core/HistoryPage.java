package io.stagehand.core;

import java.util.List;

/** One page of the commit log in apply order: the commits, where the page starts, and the total. */
public record HistoryPage(List<Commit> commits, long offset, long total) {
  public HistoryPage {
    commits = List.copyOf(commits);
  }

  public boolean hasMore() {
    return offset + commits.size() < total;
  }

  /** The offset of the next page. */
  public long nextOffset() {
    return offset + commits.size();
  }
}
