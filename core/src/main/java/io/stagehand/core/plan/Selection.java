package io.stagehand.core.plan;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which part of the staged changes a plan or apply covers. {@code only}: the selected resources plus
 * what they need first (empty = everything); {@code exclude}: minus the excluded resources and
 * everything that depends on them. What is left out stays staged. Built by chaining:
 * {@code Selection.only(Selector.label("web")).exclude(Selector.id("web3"))}, or
 * {@code Selection.all().exclude(...)}.
 */
public record Selection(Set<Selector> only, Set<Selector> exclude) {
  public Selection {
    only = Set.copyOf(only);
    exclude = Set.copyOf(exclude);
  }

  /** Everything staged. */
  public static Selection all() {
    return new Selection(Set.of(), Set.of());
  }

  public static Selection only(Selector... selectors) {
    return new Selection(Set.of(selectors), Set.of());
  }

  /** This selection, also leaving out {@code selectors} and everything that depends on them. */
  public Selection exclude(Selector... selectors) {
    Set<Selector> more = new java.util.HashSet<>(exclude);
    more.addAll(java.util.Arrays.asList(selectors));
    return new Selection(only, more);
  }

  public boolean isAll() {
    return only.isEmpty() && exclude.isEmpty();
  }

  @Override
  public String toString() {
    return (only.isEmpty() ? "" : "only " + new TreeSet<>(only.stream().map(Selector::toString).toList()))
        + (exclude.isEmpty() ? "" : " exclude " + new TreeSet<>(exclude.stream().map(Selector::toString).toList()));
  }
}
