package io.stagehand.core.internal.stage;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The rules of a resource built by hand, checked on resources made without them (as the desired
 * state makes its own), so that each rule is seen to refuse on its own.
 */
class ResourceChecksTest {
  private static final ApiAccess.Resources RESOURCES = ApiAccess.resources();
  private static final ResourceId A = ResourceId.of("a");
  private static final Connection BA = Connection.of("b.ip", "a.ip");

  @Test
  void aKindIsOneToTwoHundredPrintableCharactersOfValidUnicode() {
    assertThatCode(() -> ResourceChecks.checkKind("k".repeat(200), A)).doesNotThrowAnyException();
    assertThatCode(() -> ResourceChecks.checkKind("ünïcode/kind:1", A)).doesNotThrowAnyException();
    for (String bad : new String[] {"", " ", "k".repeat(201), "a b", "a\tb", "a\u0001", "a\ud800b"}) {
      assertThatThrownBy(() -> ResourceChecks.checkKind(bad, A)).isInstanceOf(InvalidInputException.class)
          .hasMessage("invalid resource a: the kind must be 1-200 characters without spaces or control characters, "
              + "of valid Unicode (no lone UTF-16 surrogate)");
    }
  }

  @Test
  void theIdAndTheKindAreRequired() {
    assertThatCode(() -> ResourceChecks.checkRequired(A, "svc")).doesNotThrowAnyException();
    assertThatThrownBy(() -> ResourceChecks.checkRequired(null, null)).isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot build Resource, some of required attributes are not set [id, kind]");
    assertThatThrownBy(() -> ResourceChecks.checkRequired(A, null)).hasMessageEndingWith("[kind]");
  }

  @Test
  void aGoodResourcePasses() {
    Resource r = resource("svc", inputs("port", 80), set(BA), null, set(Event.dependsOn("a", "b")), set("web"),
        inputs("port", 80, "ip", "10.0.0.1"));
    assertThatCode(() -> ResourceChecks.check(r, null)).doesNotThrowAnyException();
    assertThatCode(() -> ResourceChecks.check(r, ResourceId.of("n"))).doesNotThrowAnyException();
  }

  @Test
  void eachRuleRefusesInTheOrderTheMessageNamesThem() {
    refused(resource("a b", inputs(), set(), null, set(), set(), inputs()),
        "the kind must be 1-200 characters");
    refused(resource("svc", inputs("bad name", 1), set(), null, set(), set(), inputs("bad name", 1)),
        "invalid input name: character 4 is not allowed");
    refused(resource("svc", inputs("ip", "x"), set(BA), null, set(), set(), inputs("ip", "x")),
        "input ip is both set by hand and connected");
    refused(fed(resource("svc", inputs(), set(), null, set(), set(), inputs()), "ip"),
        "input ip is marked as fed a sensitive value but nothing is connected to it");
    refused(resource("svc", inputs(), set(), A, set(), set(), inputs()), "a resource cannot be its own location");
    refused(resource("svc", inputs(), set(), null, set(), set("no good"), inputs()),
        "invalid label: character 3 is not allowed");
    refused(resource("svc", inputs(), set(), null, set(Event.dependsOn("c", "b")), set(), inputs()),
        "event c after b does not target a");
    refused(resource("svc", inputs(), set(Connection.of("b.ip", "c.ip")), null, set(), set(), inputs()),
        "connection b.ip -> c.ip does not end at a");
    refused(resource("svc", inputs("port", 80), set(), null, set(), set(), inputs("port", 81)),
        "resolved input port differs from its own value");

    // named once, however many connections feed it
    Resource twice = resource("svc", inputs("ip", "x"), set(BA, Connection.of("c.ip", "a.ip")), null, set(), set(),
        inputs("ip", "x"));
    assertThatThrownBy(() -> ResourceChecks.check(twice, null))
        .hasMessage("invalid resource a: input ip is both set by hand and connected");

    Resource all = resource("a b", inputs("ip", "x"), set(BA), A, set(), set(), inputs("ip", "x"));
    assertThatThrownBy(() -> ResourceChecks.check(all, A))
        .hasMessage("invalid resource a: the kind must be 1-200 characters without spaces or control characters, "
            + "of valid Unicode (no lone UTF-16 surrogate); input ip is both set by hand and connected; "
            + "a resource cannot be its own location");
  }

  private static void refused(Resource r, String problem) {
    ResourceId location = r.location().orElse(null);
    assertThatThrownBy(() -> ResourceChecks.check(r, location)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("invalid resource a: " + problem);
  }

  private static Resource resource(String kind, SortedMap<String, Value> own, SortedSet<Connection> incoming,
      ResourceId location, SortedSet<Event> events, SortedSet<String> labels, SortedMap<String, Value> resolved) {
    return RESOURCES.trusted(A, kind, own, new TreeSet<>(), incoming, Optional.ofNullable(location), events, labels,
        resolved, false, null);
  }

  private static Resource fed(Resource r, String input) {
    return RESOURCES.withResolved(r, r.resolvedInputs(), set(input), new TreeSet<>());
  }

  private static SortedMap<String, Value> inputs(Object... namesAndValues) {
    SortedMap<String, Value> out = new TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      out.put((String) namesAndValues[i], v instanceof Integer n ? Value.of(n) : Value.of((String) v));
    }
    return out;
  }

  @SafeVarargs
  private static <T> SortedSet<T> set(T... items) {
    SortedSet<T> out = new TreeSet<>();
    for (T item : items) {
      out.add(item);
    }
    return out;
  }
}
