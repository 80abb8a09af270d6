package io.stagehand.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link ArrayMap} behaves as the {@link TreeMap} with the same entries, for every operation a reader has. */
class ArrayMapTest {

  @Provide
  Arbitrary<Map<String, Integer>> maps() {
    return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(0).ofMaxLength(3),
        Arbitraries.integers().between(0, 9)).ofMaxSize(12);
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings().alpha().ofMinLength(0).ofMaxLength(3);
  }

  @Property
  void readsAsTheTreeMapWithTheSameEntries(@ForAll("maps") Map<String, Integer> entries,
      @ForAll("keys") String a, @ForAll("keys") String b) {
    // a HashMap gives the entries in no order, so the copy has to sort them
    ArrayMap<Integer> map = ArrayMap.copyOf(new HashMap<>(entries));
    TreeMap<String, Integer> expected = new TreeMap<>(entries);

    assertThat(map).isEqualTo(expected);
    assertThat(expected).isEqualTo(map);
    assertThat(map.hashCode()).isEqualTo(expected.hashCode());
    assertThat(map.toString()).isEqualTo(expected.toString());
    assertThat(new ArrayList<>(map.entrySet())).isEqualTo(new ArrayList<>(expected.entrySet()));
    assertThat(new ArrayList<>(map.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
    assertThat(new ArrayList<>(map.values())).isEqualTo(new ArrayList<>(expected.values()));
    assertThat(map.get(a)).isEqualTo(expected.get(a));
    assertThat(map.containsKey(b)).isEqualTo(expected.containsKey(b));
    assertThat(map.keySet().contains(a)).isEqualTo(expected.containsKey(a));
    assertThat(map.headMap(a)).isEqualTo(expected.headMap(a));
    assertThat(map.tailMap(b)).isEqualTo(expected.tailMap(b));
    String lo = a.compareTo(b) <= 0 ? a : b;
    String hi = a.compareTo(b) <= 0 ? b : a;
    assertThat(map.subMap(lo, hi)).isEqualTo(expected.subMap(lo, hi));
    List<String> walked = new ArrayList<>();
    map.forEach((k, v) -> walked.add(k + "=" + v));
    List<String> expectedWalk = new ArrayList<>();
    expected.forEach((k, v) -> expectedWalk.add(k + "=" + v));
    assertThat(walked).isEqualTo(expectedWalk);
    if (!expected.isEmpty()) {
      assertThat(map.firstKey()).isEqualTo(expected.firstKey());
      assertThat(map.lastKey()).isEqualTo(expected.lastKey());
    }
  }

  @Test
  void aCopyOfOneIsTheSameMapAndSortedInputIsTakenInOrder() {
    SortedMap<String, Integer> sorted = new TreeMap<>(Map.of("b", 2, "a", 1, "c", 3));
    ArrayMap<Integer> map = ArrayMap.copyOf(sorted);
    assertThat(ArrayMap.copyOf(map)).isSameAs(map);
    assertThat(map.keyAt(0)).isEqualTo("a");
    assertThat(map.valueAt(2)).isEqualTo(3);
    assertThat(ArrayMap.copyOf(new LinkedHashMap<>())).isSameAs(ArrayMap.of());
  }

  @Test
  void changesNothing() {
    ArrayMap<Integer> map = ArrayMap.copyOf(Map.of("a", 1, "b", 2));
    assertThatThrownBy(() -> map.put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.entrySet().iterator().next().setValue(5))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.replaceAll((k, v) -> v + 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(map).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
  }

  @Test
  void anEmptyMapHasNoFirstKeyAndNullsAreRefused() {
    assertThatThrownBy(() -> ArrayMap.of().firstKey()).isInstanceOf(NoSuchElementException.class);
    Map<String, Integer> withNull = new HashMap<>();
    withNull.put("a", null);
    assertThatThrownBy(() -> ArrayMap.copyOf(withNull)).isInstanceOf(NullPointerException.class);
  }
}
