package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InputLimits;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.InputRef;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random values through staging, apply and history on a store: what is stored reads back equal, and
 * what is over a limit stages nothing.
 *
 * <p>The first property stages random resources (random kinds; inputs of random values, some marked
 * sensitive; connections plain, collecting and into map keys, chained), applies them, then sets,
 * unsets and removes and applies again. After each staging, the staged entries read back from the
 * store equal the edits staged and the desired state holds exactly the values staged and the values
 * the connections carry; the handler sees them; after each apply the applied state, every commit's
 * before and after and {@code stateAt} of every tag so far hold them; no value read back is nested
 * deeper than {@link InputLimits#MAX_DEPTH}. Everything is read through a new orchestrator, so that
 * nothing comes from a cache.
 *
 * <p>The second offers values just over each limit, through every way of making an edit, inside a
 * batch of good edits, and batches whose connections would carry a value over the depth limit: each
 * is refused with an {@link InvalidInputException} and the store is exactly as it was.
 *
 * <p>{@code -Dstagehand.values.tries=<n>} plays n deployments a property instead of 20.
 */
public abstract class ValueProperties {
  protected ValueProperties() {}

  private static final int RUNS = Integer.getInteger("stagehand.values.tries", 20);
  private static final int TRIES = 20;
  private static final int PER_TRY = Math.max(1, (RUNS + TRIES - 1) / TRIES);
  private static final String PLAIN_KIND = "svc";

  /** A new, empty store of the variant under test. */
  protected abstract Store createStore();

  /**
   * The longest map key staged: the limit of a string. A store's test may narrow it while a known
   * defect of the store is open, and names the defect (a disabled test that fails on it).
   */
  protected int longestMapKey() {
    return InputLimits.MAX_STRING_LENGTH;
  }

  /**
   * The largest power of ten of the numbers staged (either way): the limit. A store's test may narrow
   * it while a known defect of the store is open, and names the defect.
   */
  protected int largestNumberExponent() {
    return InputLimits.MAX_NUMBER_EXPONENT;
  }

  // ---------------------------------------------------------------- the generated deployment

  /** An input of a created resource. */
  record Input(String name, Value value, boolean sensitive) {}

  /** A resource to create; {@code asText} stages it through the edit syntax. */
  record Res(String kind, List<Input> inputs, boolean asText) {}

  /** How a connection feeds its receiver. */
  enum Shape { PLAIN, COLLECT, KEY, COLLECT_KEY }

  /** A connection from one of resource {@code from}'s inputs (by index) into resource {@code to}. */
  record Link(int from, int fromInput, int to, Shape shape) {}

  /** A later set (or unset, when the value is absent) of one of a resource's own inputs, by index. */
  record Later(int res, int input, Optional<Value> value, boolean sensitive, boolean asText) {}

  /** A whole run: the first batch's resources and connections, then the second batch's changes. */
  record Script(List<Res> resources, List<Link> links, List<Later> later, int remove, Optional<Res> added) {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < resources.size(); i++) {
        Res r = resources.get(i);
        b.append("r").append(i).append(' ').append(escape(r.kind()));
        r.inputs().forEach(in -> b.append(' ').append(in.name()).append(in.sensitive() ? "!=" : "=")
            .append(summary(in.value())));
        b.append(r.asText() ? " (as text)\n" : "\n");
      }
      links.forEach(l -> b.append(l).append('\n'));
      later.forEach(l -> b.append(l.res()).append('.').append(l.input()).append(" <- ")
          .append(l.value().map(ValueProperties::summary).orElse("unset")).append(l.sensitive() ? " !" : "")
          .append('\n'));
      return b.append("remove ").append(remove).append(", add ").append(added.isPresent()).toString();
    }
  }

  // ---------------------------------------------------------------- what is stored reads back equal

  @Property(tries = TRIES)
  void valuesReadBackEqualThroughStagingApplyAndHistory(@ForAll("scripts") List<Script> scripts) {
    for (Script s : scripts) {
      play(s);
    }
  }

  private void play(Script script) {
    Store store = createStore();
    Map<ResourceId, Map<String, Value>> seen = new ConcurrentHashMap<>();
    Orchestrator orchestrator = Orchestrator.builder().store(store).logProgress(false)
        .handler(c -> {
          if (c.action() != Action.REMOVE) {
            seen.put(c.resource(), new TreeMap<>(c.after()));
          }
        }).build();
    Model model = new Model();
    List<Edit> first = new ArrayList<>();
    for (int i = 0; i < script.resources().size(); i++) {
      first.add(model.create("r" + i, script.resources().get(i)));
    }
    for (Link l : script.links()) {
      model.link(l).ifPresent(first::add);
    }
    if (!stage(orchestrator, store, first, model, "the first batch")) {
      return;
    }
    Model afterT1 = apply(orchestrator, store, "t1", model, new Model(), seen);

    List<Edit> second = new ArrayList<>();
    Model before = afterT1.copy();
    for (Later l : script.later()) {
      model.later(l).ifPresent(second::add);
    }
    script.added().ifPresent(r -> {
      second.add(model.create("r9", r));
      // fed by every resource's first own input, so that the new one takes values through connections
      for (int i = 0; i < script.resources().size(); i++) {
        model.link(new Link(i, 0, 9, Shape.values()[i % Shape.values().length])).ifPresent(second::add);
      }
    });
    if (script.remove() >= 0 && script.remove() < script.resources().size()) {
      second.add(model.remove("r" + script.remove()));
    }
    if (second.isEmpty() || !stage(orchestrator, store, second, model, "the second batch")) {
      return;
    }
    Model afterT2 = apply(orchestrator, store, "t2", model, before, seen);
    Orchestrator fresh = Orchestrator.of(store);
    check(fresh.stateAt(Tag.of("t1")), afterT1, "stateAt(t1) after t2");
    if (fresh.tags().contains(Tag.of("t2"))) {
      check(fresh.stateAt(Tag.of("t2")), afterT2, "stateAt(t2)");
    }
  }

  /**
   * Stages {@code edits} and checks what the store gives back; false if staging refused the batch
   * (a value over the depth limit carried by connections: then nothing may be staged).
   */
  private boolean stage(Orchestrator orchestrator, Store store, List<Edit> edits, Model model, String what) {
    StoreSnapshot before = StoreSnapshot.of(store);
    List<StagedEntry> old = before.staged();
    try {
      orchestrator.stage(edits);
    } catch (InvalidInputException refused) {
      assertThat(model.overDepth()).as("%s was refused (%s) though every value it makes is within the limits",
          what, refused.getMessage()).isTrue();
      assertThat(StoreSnapshot.of(store)).as("the store after %s was refused", what).isEqualTo(before);
      Statistics.label("runs").collect("refused: connections carry a value over the depth limit");
      return false;
    }
    assertThat(model.overDepth()).as("%s stages a value nested more than %s deep through its connections",
        what, InputLimits.MAX_DEPTH).isFalse();
    Orchestrator fresh = Orchestrator.of(store);
    List<StagedEntry> entries = fresh.stagedEntries();
    assertThat(entries).as("staged entries after %s", what).hasSize(old.size() + edits.size());
    for (int i = 0; i < edits.size(); i++) {
      StagedEntry e = entries.get(old.size() + i);
      Edit expected = model.stored(edits.get(i));
      if (!e.edit().equals(expected)) {
        throw new AssertionError("staged entry " + e.sequence() + " read back differs from the edit staged ("
            + expected.describe() + "): " + difference(e.edit(), expected));
      }
    }
    assertThat(fresh.stagedPosition()).isEqualTo(before.stagedPosition() + edits.size());
    DeploymentState desired = fresh.desiredState();
    check(desired, model, "the desired state after " + what);
    for (Diff d : fresh.staged()) {
      d.after().ifPresent(r -> matches(r, model.expected(r.id()), "the staged diff of " + r.id() + " after " + what));
    }
    return true;
  }

  /** Applies everything with {@code tag} and checks the applied state, the commits and stateAt. */
  private Model apply(Orchestrator orchestrator, Store store, String tag, Model model, Model before,
      Map<ResourceId, Map<String, Value>> seen) {
    seen.clear();
    ApplyReport report = orchestrator.apply(ApplyOptions.builder().tag(tag).parallelism(2).build());
    assertThat(report.succeeded()).as("apply %s: %s", tag, report.render()).isTrue();
    for (Map.Entry<ResourceId, Map<String, Value>> e : seen.entrySet()) {
      sameValues(e.getValue(), model.expected(e.getKey()).resolved(), "what the handler of " + e.getKey()
          + " saw in " + tag);
    }
    Orchestrator fresh = Orchestrator.of(store);
    assertThat(fresh.stagedEntries()).as("staged entries after apply %s", tag).isEmpty();
    check(fresh.appliedState(), model, "the applied state after " + tag);
    // a batch may change nothing (a value set to itself): then the apply commits nothing
    List<Commit> commits = fresh.history(Tag.of(tag));
    for (Commit c : commits) {
      String what = "commit " + c.position() + " of " + c.resource() + " in " + tag;
      Optional<Resource> after = c.diff().after();
      if (model.has(c.resource())) {
        matches(after.orElseThrow(() -> new AssertionError(what + " has no after")), model.expected(c.resource()),
            what + " (after)");
      } else {
        assertThat(after).as(what + " removes").isEmpty();
      }
      if (before.has(c.resource())) {
        matches(c.diff().before().orElseThrow(() -> new AssertionError(what + " has no before")),
            before.expected(c.resource()), what + " (before)");
      } else {
        assertThat(c.diff().before()).as(what + " runs").isEmpty();
      }
    }
    if (!commits.isEmpty()) {
      check(fresh.stateAt(Tag.of(tag)), model, "stateAt(" + tag + ")");
    }
    Statistics.label("runs").collect("applied " + tag);
    return model.copy();
  }

  private static void check(DeploymentState state, Model model, String what) {
    assertThat(state.resources().keySet()).as("resources of %s", what).isEqualTo(model.ids());
    for (Resource r : state.resources().values()) {
      matches(r, model.expected(r.id()), what + ": " + r.id());
    }
  }

  private static void matches(Resource r, Expected e, String what) {
    if (!r.kind().equals(e.kind())) {
      throw new AssertionError(what + ": the kind reads back as " + escape(r.kind()) + ", staged as "
          + escape(e.kind()));
    }
    sameValues(r.ownInputs(), e.own(), what + ", own inputs");
    sameValues(r.resolvedInputs(), e.resolved(), what + ", resolved inputs");
    assertThat(r.sensitiveInputs()).as("%s, inputs marked sensitive", what).isEqualTo(e.marked());
    assertThat(r.sensitiveFedInputs()).as("%s, inputs fed from sensitive ones", what).isEqualTo(e.fed());
  }

  /** Equal values, input by input, or an error that says which differs and how, not the whole value. */
  private static void sameValues(Map<String, Value> actual, Map<String, Value> expected, String what) {
    assertThat(actual.keySet()).as("%s: the inputs", what).isEqualTo(expected.keySet());
    for (Map.Entry<String, Value> e : expected.entrySet()) {
      Value a = actual.get(e.getKey());
      if (!e.getValue().equals(a)) {
        throw new AssertionError(what + ": input " + e.getKey() + " reads back as " + summary(a) + ", expected "
            + summary(e.getValue()));
      }
      assertThat(FuzzValues.depth(a)).as("%s: input %s is nested", what, e.getKey())
          .isLessThanOrEqualTo(InputLimits.MAX_DEPTH);
    }
  }

  /** A value's JSON cut to a readable length, with its length and depth. */
  static String summary(Value v) {
    if (v == null) {
      return "(absent)";
    }
    String json = v.toJson();
    return escape(json) + (json.length() > 160 ? " (" + json.length() + " characters of JSON, nested "
        + FuzzValues.depth(v) + " deep)" : "");
  }

  /** Text cut to 160 characters, everything but printable ASCII escaped. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < Math.min(s.length(), 160); i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return b.append(s.length() > 160 ? "\"..." : "\"").toString();
  }

  private static String difference(Edit actual, Edit expected) {
    if (actual instanceof Edit.Create a && expected instanceof Edit.Create e) {
      List<String> out = new ArrayList<>();
      if (!a.kind().equals(e.kind())) {
        out.add("kind " + escape(a.kind()) + " instead of " + escape(e.kind()));
      }
      for (String k : new TreeSet<>(e.inputs().keySet())) {
        if (!Objects.equals(a.inputs().get(k), e.inputs().get(k))) {
          out.add("input " + k + " " + summary(a.inputs().get(k)) + " instead of " + summary(e.inputs().get(k)));
        }
      }
      if (!a.sensitive().equals(e.sensitive())) {
        out.add("sensitive " + a.sensitive() + " instead of " + e.sensitive());
      }
      return out.isEmpty() ? "the creates differ elsewhere" : String.join("; ", out);
    }
    if (actual instanceof Edit.SetInput a && expected instanceof Edit.SetInput e) {
      return "value " + summary(a.value()) + (a.sensitive() ? " (sensitive)" : "") + " instead of "
          + summary(e.value()) + (e.sensitive() ? " (sensitive)" : "");
    }
    return actual.describe() + " instead of " + expected.describe();
  }

  // ---------------------------------------------------------------- the model

  /** What a resource must read back as. */
  record Expected(String kind, SortedMap<String, Value> own, Set<String> marked, SortedMap<String, Value> resolved,
      Set<String> fed) {}

  /**
   * The deployment as staged, resolved the documented way: a plain connection carries the emitter's
   * value, a collecting one a list of the emitters' values by emitter, a keyed one a map key, a
   * collecting keyed one a list of one map per emitter; an input fed from a sensitive one is
   * sensitive.
   */
  static final class Model {
    private record Def(String kind, TreeMap<String, Value> own, TreeSet<String> marked, List<Connection> incoming) {
      Def copy() {
        return new Def(kind, new TreeMap<>(own), new TreeSet<>(marked), new ArrayList<>(incoming));
      }
    }

    private final TreeMap<String, Def> defs = new TreeMap<>();
    /** The input names each resource can emit: own inputs and connected ones. */
    private final Map<String, List<String>> emits = new HashMap<>();

    Model copy() {
      Model m = new Model();
      defs.forEach((k, v) -> m.defs.put(k, v.copy()));
      emits.forEach((k, v) -> m.emits.put(k, new ArrayList<>(v)));
      return m;
    }

    Set<ResourceId> ids() {
      Set<ResourceId> out = new TreeSet<>();
      defs.keySet().forEach(id -> out.add(ResourceId.of(id)));
      return out;
    }

    boolean has(ResourceId id) {
      return defs.containsKey(id.name());
    }

    Edit create(String id, Res r) {
      String kind = r.kind();
      if (!unicode(kind)) {
        // core refuses a kind that is not Unicode text: a store writing UTF-8 would change it
        assertThatThrownBy(() -> Edit.create(id, r.kind())).as("a kind with a lone surrogate")
            .isInstanceOf(InvalidInputException.class);
        kind = PLAIN_KIND;
      }
      TreeMap<String, Value> own = new TreeMap<>();
      TreeSet<String> marked = new TreeSet<>();
      for (Input in : r.inputs()) {
        own.put(in.name(), in.value());
        if (in.sensitive()) {
          marked.add(in.name());
        }
      }
      defs.put(id, new Def(kind, own, marked, new ArrayList<>()));
      emits.put(id, new ArrayList<>(own.keySet()));
      Edit.Create edit = Edit.create(id, kind, own, marked);
      if (!r.asText()) {
        return edit;
      }
      StringBuilder line = new StringBuilder("create ").append(id).append(' ').append(kind);
      own.forEach((k, v) -> line.append(' ').append(k).append(marked.contains(k) ? "!=" : "=").append(v.toJson()));
      Edit parsed = Edit.parse(line.toString());
      assertThat(parsed).as("the create of %s written in the edit syntax", id).isEqualTo(edit);
      return parsed;
    }

    Optional<Edit> link(Link l) {
      String from = "r" + l.from();
      String to = "r" + l.to();
      List<String> inputs = emits.get(from);
      if (inputs == null || inputs.isEmpty() || !defs.containsKey(to) || l.from() >= l.to()) {
        return Optional.empty();
      }
      String in = inputs.get(l.fromInput() % inputs.size());
      String key = "k" + l.from() + in;
      String receiver = switch (l.shape()) {
        case PLAIN -> to + ".p" + l.from() + in;
        case COLLECT -> to + ".all[]";
        case KEY -> to + ".map." + key;
        case COLLECT_KEY -> to + ".rows[]." + key;
      };
      Connection c = Connection.parse(from + "." + in + " -> " + receiver);
      Def d = defs.get(to);
      if (d.incoming().stream().anyMatch(c::sameEnds)) {
        return Optional.empty();
      }
      d.incoming().add(c);
      if (!emits.get(to).contains(c.receiver().input())) {
        emits.get(to).add(c.receiver().input());
      }
      return Optional.of(new Edit.Connect(c));
    }

    Optional<Edit> later(Later l) {
      List<String> withInputs = defs.keySet().stream().filter(k -> !defs.get(k).own().isEmpty()).toList();
      if (withInputs.isEmpty()) {
        return Optional.empty();
      }
      String id = withInputs.get(l.res() % withInputs.size());
      Def d = defs.get(id);
      String in = new ArrayList<>(d.own().keySet()).get(l.input() % d.own().size());
      if (l.value().isEmpty()) {
        d.own().remove(in);
        // an own input no longer there cannot feed a new connection
        emits.get(id).remove(in);
        return Optional.of(Edit.unset(id, in));
      }
      Value v = l.value().get();
      d.own().put(in, v);
      if (l.sensitive()) {
        d.marked().add(in);
      }
      Edit edit = l.sensitive() ? Edit.setSensitive(id, in, v) : Edit.set(id, in, v);
      if (!l.asText()) {
        return Optional.of(edit);
      }
      Edit parsed = Edit.parse("set " + id + " " + in + (l.sensitive() ? "!=" : "=") + v.toJson());
      assertThat(parsed).as("the set of %s.%s written in the edit syntax", id, in).isEqualTo(edit);
      return Optional.of(parsed);
    }

    Edit remove(String id) {
      defs.remove(id);
      emits.remove(id);
      defs.values().forEach(d -> d.incoming().removeIf(c -> c.touches(ResourceId.of(id))));
      return Edit.remove(id);
    }

    /** The edit as the staged log keeps it: a set of an input marked sensitive is marked itself. */
    Edit stored(Edit e) {
      if (e instanceof Edit.SetInput s && !s.sensitive() && defs.containsKey(s.id().name())
          && defs.get(s.id().name()).marked().contains(s.input())) {
        return s.asSensitive();
      }
      return e;
    }

    Expected expected(ResourceId id) {
      return resolve().get(id.name());
    }

    /** True if {@code s} has no lone UTF-16 surrogate. */
  static boolean unicode(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** True if a connection would carry a value nested deeper than the limit. */
    boolean overDepth() {
      for (Expected e : resolve().values()) {
        for (Value v : e.resolved().values()) {
          if (FuzzValues.depth(v) > InputLimits.MAX_DEPTH) {
            return true;
          }
        }
      }
      return false;
    }

    Map<String, Expected> resolve() {
      Map<String, Expected> out = new HashMap<>();
      // connections go from lower to higher numbers, so ids in order resolve emitters first
      List<String> order = new ArrayList<>(defs.keySet());
      order.sort(Comparator.comparingInt(id -> Integer.parseInt(id.substring(1))));
      for (String id : order) {
        Def d = defs.get(id);
        TreeMap<String, Value> resolved = new TreeMap<>(d.own());
        TreeSet<String> fed = new TreeSet<>();
        TreeMap<String, List<Value>> lists = new TreeMap<>();
        TreeMap<String, TreeMap<String, Value>> maps = new TreeMap<>();
        TreeMap<String, TreeMap<String, TreeMap<String, Value>>> rows = new TreeMap<>();
        List<Connection> incoming = new ArrayList<>(d.incoming());
        incoming.sort(Comparator.naturalOrder());
        for (Connection c : incoming) {
          InputRef e = c.emitter();
          Expected emitter = out.get(e.resource().name());
          Value v = emitter.resolved().get(e.input());
          String in = c.receiver().input();
          if (v != null && (emitter.marked().contains(e.input()) || emitter.fed().contains(e.input()))) {
            fed.add(in);
          }
          if (c.collecting() && c.key().isPresent()) {
            TreeMap<String, Value> row = rows.computeIfAbsent(in, k -> new TreeMap<>())
                .computeIfAbsent(e.resource().name(), k -> new TreeMap<>());
            if (v != null) {
              row.put(c.key().get(), v);
            }
          } else if (c.collecting()) {
            List<Value> list = lists.computeIfAbsent(in, k -> new ArrayList<>());
            if (v != null) {
              list.add(v);
            }
          } else if (c.key().isPresent()) {
            TreeMap<String, Value> map = maps.computeIfAbsent(in, k -> new TreeMap<>());
            if (v != null) {
              map.put(c.key().get(), v);
            }
          } else if (v != null) {
            resolved.put(in, v);
          }
        }
        lists.forEach((in, values) -> resolved.put(in, Value.list(values)));
        maps.forEach((in, keys) -> {
          if (!keys.isEmpty()) {
            resolved.put(in, Value.map(keys));
          }
        });
        rows.forEach((in, byEmitter) -> resolved.put(in, Value.list(byEmitter.values().stream()
            .filter(m -> !m.isEmpty()).map(Value::map).toList())));
        out.put(id, new Expected(d.kind(), new TreeMap<>(d.own()), new TreeSet<>(d.marked()), resolved, fed));
      }
      return out;
    }
  }

  // ---------------------------------------------------------------- over the limits, nothing staged

  /** A value (or kind) that is over a limit, and how it is offered. */
  record Bad(String what, Supplier<Edit> edit) {
    @Override
    public String toString() {
      return what;
    }
  }

  @Property(tries = TRIES)
  void valuesOverTheLimitsAreRefusedAndStageNothing(@ForAll("bads") List<Bad> bads, @ForAll("goods") List<Edit> goods,
      @ForAll boolean sensitiveEmitter) {
    Store store = createStore();
    Orchestrator orchestrator = Orchestrator.builder().store(store).logProgress(false).handler(c -> { }).build();
    Map<String, Value> inputs = Map.of("deep", FuzzValues.nest(Value.of("x"), InputLimits.MAX_DEPTH, 7), "n", Value.of(1));
    orchestrator.stage(Edit.create("base", "svc", inputs, sensitiveEmitter ? Set.of("deep") : Set.of()));
    orchestrator.apply(ApplyOptions.builder().tag("t1").build());
    orchestrator.stage(Edit.set("base", "n", 2));
    for (Bad bad : bads) {
      StoreSnapshot before = StoreSnapshot.of(store);
      try {
        List<Edit> batch = new ArrayList<>(goods);
        batch.add(goods.size() / 2, bad.edit().get());
        orchestrator.stage(batch);
        throw new AssertionError("staged " + bad + " among " + goods.size() + " good edits");
      } catch (InvalidInputException refused) {
        assertThat(refused.getMessage()).as("the refusal of %s", bad).isNotBlank().hasSizeLessThan(1000);
      }
      StoreSnapshot after = StoreSnapshot.of(store);
      assertThat(after.stagedPosition()).as("the staged position after %s", bad).isEqualTo(before.stagedPosition());
      assertThat(after.staged()).as("the staged entries after %s", bad).isEqualTo(before.staged());
      assertThat(after).as("the store after %s", bad).isEqualTo(before);
      Statistics.label("refused").collect(bad.what().replaceAll(" \\(.*", ""));
    }
  }

  @Provide
  Arbitrary<List<Edit>> goods() {
    return Arbitraries.integers().between(1, 5).map(n -> {
      List<Edit> edits = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        edits.add(Edit.create("g" + i, "svc", Map.of("x", i)));
      }
      if (n > 1) {
        edits.add(Edit.connect("g0.x", "g1.y"));
      }
      return edits;
    });
  }

  @Provide
  Arbitrary<List<Bad>> bads() {
    int max = InputLimits.MAX_DEPTH;
    Arbitrary<Bad> overDepth = Combinators.combine(Arbitraries.integers().between(max + 1, max + 3),
            Arbitraries.longs(), ways())
        .as((n, seed, way) -> way.offer("nested " + n + " deep", FuzzValues.nest(Value.of(1), n, seed)));
    Arbitrary<Bad> overLength = ways().map(way -> way.offer("a string of " + (InputLimits.MAX_STRING_LENGTH + 1)
        + " characters", () -> Value.of(FuzzValues.repeat("x\ud83d\ude00", InputLimits.MAX_STRING_LENGTH + 1))));
    Arbitrary<Bad> overKey = ways().map(way -> way.offer("a key of " + (InputLimits.MAX_STRING_LENGTH + 1)
        + " characters", () -> Value.map(Map.of("k".repeat(InputLimits.MAX_STRING_LENGTH + 1), Value.of(1)))));
    Arbitrary<Bad> overNumber = Combinators.combine(Arbitraries.of("1e1001", "-1e-1001", "100e2147483647",
            "1" + "2".repeat(InputLimits.MAX_NUMBER_DIGITS), "99.9e1000", "1e200000"), ways())
        .as((n, way) -> way.offerJson("the number " + (n.length() > 20 ? n.substring(0, 8) + "..." : n), n));
    Arbitrary<Bad> notUnicode = Combinators.combine(Arbitraries.of("\"a\\u0000b\"", "\"\\ud800\"", "{\"\\udc00\":1}",
            "[\"x\\udbff\"]"), ways())
        .as((json, way) -> way.offerJson("the string " + json, json));
    Arbitrary<Bad> deepThroughConnection = Arbitraries.of(0, 1, 2).map(shape -> new Bad(
        "a value nested " + max + " deep fed through a " + List.of("collecting", "keyed", "collecting keyed").get(shape)
            + " connection",
        () -> new Edit.Connect(Connection.parse("base.deep -> g0." + List.of("all[]", "map.k", "rows[].k").get(shape)))));
    return Arbitraries.frequencyOf(
        Tuple.of(3, overDepth), Tuple.of(1, overLength), Tuple.of(1, overKey), Tuple.of(3, overNumber),
        Tuple.of(2, notUnicode), Tuple.of(2, deepThroughConnection))
        .list().ofMinSize(1).ofMaxSize(3 * PER_TRY);
  }

  /** A way to make an edit from a value: Java objects, Value, JSON in the edit syntax, create or set. */
  interface Way {
    Bad offer(String what, Supplier<Value> value);

    default Bad offer(String what, Value value) {
      return offer(what, () -> value);
    }

    default Bad offerJson(String what, String json) {
      return offer(what, () -> Value.parse(json));
    }
  }

  private static Arbitrary<Way> ways() {
    return Arbitraries.of(
        (what, v) -> new Bad(what + " (set)", () -> Edit.set("base", "x", v.get())),
        (what, v) -> new Bad(what + " (set sensitive)", () -> Edit.setSensitive("base", "x", v.get())),
        (what, v) -> new Bad(what + " (create)", () -> Edit.create("c1", "svc", Map.of("x", v.get()))),
        (what, v) -> new Bad(what + " (create, sensitive)",
            () -> Edit.create("c1", "svc", Map.of("x", v.get()), Set.of("x"))),
        (what, v) -> new Bad(what + " (a Java list)", () -> Edit.set("base", "x", List.of(v.get()))),
        (what, v) -> new Bad(what + " (edit syntax)", () -> Edit.parse("set base x=" + v.get().toJson())),
        (Way) (what, v) -> new Bad(what + " (edit syntax, sensitive)",
            () -> Edit.parse("create c1 svc x!=" + v.get().toJson())));
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<List<Script>> scripts() {
    return script().list().ofSize(PER_TRY);
  }

  private Arbitrary<Script> script() {
    Arbitrary<Value> values = FuzzValues.values(longestMapKey(), largestNumberExponent());
    Arbitrary<List<Input>> inputs = Combinators.combine(values, Arbitraries.of(true, false, false))
        .as((v, s) -> new Input("x", v, s)).list().ofMaxSize(3).map(l -> {
          List<Input> named = new ArrayList<>();
          for (int i = 0; i < l.size(); i++) {
            named.add(new Input(List.of("in0", "pass_word", "cfg-2").get(i), l.get(i).value(), l.get(i).sensitive()));
          }
          return named;
        });
    Arbitrary<Res> res = Combinators.combine(FuzzValues.kinds(), inputs, Arbitraries.of(true, false))
        .as((kind, in, text) -> new Res(text ? PLAIN_KIND : kind, in, text));
    Arbitrary<Link> link = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 5),
            Arbitraries.integers().between(1, 4), Arbitraries.of(Shape.class))
        .as(Link::new);
    Arbitrary<Optional<Value>> laterValue = Arbitraries.frequencyOf(
        Tuple.of(4, values.map(Optional::of)), Tuple.of(1, Arbitraries.just(Optional.<Value>empty())));
    Arbitrary<Later> later = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 2),
            laterValue, Arbitraries.of(true, false, false), Arbitraries.of(true, false))
        .as(Later::new);
    return Combinators.combine(res.list().ofMinSize(1).ofMaxSize(5), link.list().ofMaxSize(6),
            later.list().ofMinSize(1).ofMaxSize(4), Arbitraries.integers().between(-4, 4), res.optional(0.3))
        .as(Script::new);
  }
}
