package io.stagehand.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.model.Edit;
import io.stagehand.core.spi.StagedEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The array-backed staged log against a tree map of the same entries, over random operations. */
class StagedEntriesPropertiesTest {

  @Property(tries = 200)
  void behavesLikeASortedMap(@ForAll("operations") List<int[]> operations, @ForAll boolean compactEarly) {
    // compacting after a few holes exercises what a long log does after hundreds
    StagedEntries log = compactEarly ? new StagedEntries(2) : new StagedEntries();
    TreeMap<Long, StagedEntry> model = new TreeMap<>();
    Deque<StagedEntry> removed = new ArrayDeque<>();
    long next = 1;
    for (int[] op : operations) {
      switch (op[0]) {
        case 0 -> { // append a run of entries
          for (int i = 0; i <= op[1] % 8; i++) {
            StagedEntry e = new StagedEntry(next++, Edit.remove("r" + op[1]));
            log.append(e);
            model.put(e.sequence(), e);
          }
        }
        case 1 -> { // remove one, present or not
          long seq = 1 + op[1] % next;
          StagedEntry got = log.remove(seq);
          assertThat(got).isEqualTo(model.remove(seq));
          if (got != null) {
            removed.push(got);
          }
        }
        case 2 -> { // undo the latest removal
          if (!removed.isEmpty()) {
            StagedEntry e = removed.pop();
            log.restore(e);
            model.put(e.sequence(), e);
          }
        }
        default -> { // undo an append: drop everything after a sequence
          long after = op[1] % next;
          log.truncateAfter(after);
          model.tailMap(after, false).clear();
          removed.removeIf(e -> e.sequence() > after);
        }
      }
      assertThat(log.list()).containsExactlyElementsOf(new ArrayList<>(model.values()));
    }
  }

  @Provide
  Arbitrary<List<int[]>> operations() {
    Arbitrary<int[]> op = Arbitraries.integers().between(0, 9).flatMap(kind -> Arbitraries.integers()
        .between(0, 100_000).map(arg -> new int[] {kind < 3 ? 0 : kind < 8 ? 1 : kind < 9 ? 2 : 3, arg}));
    return op.list().ofMinSize(1).ofMaxSize(400);
  }
}
