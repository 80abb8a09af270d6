package io.stagehand.store.api;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.StagehandException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.RollbackMode;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Change;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Selection;
import io.stagehand.core.plan.Selector;
import io.stagehand.core.spi.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays a {@link Scenario} against one orchestrator and compares each case's output with the
 * expected lines; an expected line {@code error: *} matches any error.
 */
public final class ScenarioRunner {
  private final Orchestrator orchestrator;
  private volatile java.util.Set<ResourceId> failing = java.util.Set.of();
  /** The outputs an {@code apply outputs=} gives, by resource: name, value and whether it is sensitive. */
  private volatile Map<ResourceId, List<GivenOutput>> outputs = Map.of();

  private record GivenOutput(String name, io.stagehand.core.model.Value value, boolean sensitive) {}

  /** What the handler's read finds, by resource, as {@code drift} set it; others are as recorded. */
  private final Map<ResourceId, io.stagehand.core.drift.Observed> reality = new java.util.concurrent.ConcurrentHashMap<>();
  /** The report of the last {@code refresh}, which {@code repair} and {@code adopt} settle. */
  private io.stagehand.core.drift.DriftReport lastRefresh;

  /**
   * A runner over {@code store}, whose handler fails the resources an {@code apply fail=} names and
   * returns the outputs an {@code apply outputs=} gives.
   */
  public ScenarioRunner(Store store) {
    io.stagehand.core.apply.ActionHandler handler = new io.stagehand.core.apply.ActionHandler() {
      @Override
      public void handle(io.stagehand.core.apply.ActionContext context) {
        if (failing.contains(context.resource())) {
          throw new IllegalStateException("injected failure");
        }
        // a handler that ran makes reality what it deployed
        reality.remove(context.resource());
        boolean mayPut = context.action() == io.stagehand.core.model.Action.RUN
            || context.action() == io.stagehand.core.model.Action.UPDATE;
        for (GivenOutput o : mayPut ? outputs.getOrDefault(context.resource(), List.of()) : List.<GivenOutput>of()) {
          if (o.sensitive()) {
            context.putSensitiveOutput(o.name(), o.value());
          } else {
            context.putOutput(o.name(), o.value());
          }
        }
      }

      @Override
      public io.stagehand.core.drift.Observed read(io.stagehand.core.model.Resource resource) {
        io.stagehand.core.drift.Observed found = reality.get(resource.id());
        return found != null ? found : io.stagehand.core.drift.Observed.present(resource.resolvedInputs(), resource.outputs());
      }
    };
    this.orchestrator = Orchestrator.builder()
        .store(store)
        .handler(handler)
        .logProgress(false)
        .build();
  }

  public Orchestrator orchestrator() {
    return orchestrator;
  }

  /**
   * What playing a whole scenario gave: every case's output as it should be written back (the
   * expected lines where they matched, so that {@code error: *} survives a rewrite) and the cases
   * that differed.
   */
  public record Result(Scenario scenario, List<List<String>> outputs, List<String> mismatches) {
    public boolean passed() {
      return mismatches.isEmpty();
    }
  }

  /** Plays every case in order; a case that differs does not stop the ones after it. */
  public Result play(Scenario scenario) {
    List<List<String>> outputs = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (Scenario.Case c : scenario.cases()) {
      List<String> actual = run(c);
      boolean matched = matches(c.expected(), actual);
      outputs.add(matched ? c.expected() : actual);
      if (!matched) {
        mismatches.add(scenario.name() + ":" + c.line() + ": " + c.directive() + "\n  expected:\n"
            + indent(c.expected()) + "  actual:\n" + indent(actual));
      }
    }
    return new Result(scenario, outputs, mismatches);
  }

  private static String indent(List<String> lines) {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append("    ").append(l).append('\n'));
    return b.toString();
  }

  static boolean matches(List<String> expected, List<String> actual) {
    if (expected.size() == 1 && expected.get(0).equals("error: *")) {
      return actual.size() == 1 && actual.get(0).startsWith("error: ");
    }
    return expected.equals(actual);
  }

  /**
   * Runs one case and returns its output lines; an error becomes {@code error: <message>}. A
   * directive this runner cannot read (an unknown verb, a missing or malformed argument) throws
   * {@link UnsupportedDirectiveException} naming the line: the file itself is wrong.
   */
  public List<String> run(Scenario.Case c) {
    String[] words = c.directive().split("\\s+");
    String verb = words[0];
    Map<String, String> args = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 1; i < words.length; i++) {
      int eq = words[i].indexOf('=');
      if (eq > 0) {
        args.put(words[i].substring(0, eq), words[i].substring(eq + 1));
      } else {
        positional.add(words[i]);
      }
    }
    try {
      switch (verb) {
        case "stage":
          return stage(c.input());
        case "staged":
          return staged();
        case "discard":
          if (positional.isEmpty()) {
            orchestrator.discard();
          } else {
            orchestrator.discard(positional.stream().map(ResourceId::of).toArray(ResourceId[]::new));
          }
          return List.of("ok");
        case "state":
          return lines(orchestrator.appliedState().render());
        case "plan": {
          io.stagehand.core.plan.Plan plan = orchestrator.plan(selection(args));
          return lines(positional.contains("detailed") ? plan.renderDetailed() : plan.render());
        }
        case "apply":
          return apply(args, c);
        case "history":
          return history(positional);
        case "applies":
          return applies();
        case "revert": {
          RollbackMode mode = Boolean.parseBoolean(args.getOrDefault("force", "false"))
              ? RollbackMode.FORCE : RollbackMode.STRICT;
          if (args.containsKey("tag")) {
            orchestrator.revert(Tag.of(args.get("tag")), mode);
          } else if (args.containsKey("resource")) {
            int steps = number(args, "steps", 1, c);
            orchestrator.revertResource(ResourceId.of(args.get("resource")), steps, mode);
          } else if (args.containsKey("commit")) {
            orchestrator.revert(CommitPosition.parse(args.get("commit")), mode);
          } else {
            throw new UnsupportedDirectiveException(c, "revert takes tag=<t>, resource=<id> [steps=<n>] or commit=<position>");
          }
          return staged();
        }
        case "rollback-to":
          orchestrator.rollbackTo(Tag.of(required(args, "tag", "rollback-to", c)),
              Boolean.parseBoolean(args.getOrDefault("force", "false")) ? RollbackMode.FORCE : RollbackMode.STRICT);
          return staged();
        case "drift":
          if (positional.isEmpty()) {
            throw new UnsupportedDirectiveException(c, "drift takes <id> gone, or <id> <input>=<json> ...");
          }
          reality.put(ResourceId.of(positional.get(0)), observed(c));
          return List.of("ok");
        case "refresh":
          lastRefresh = orchestrator.refresh();
          return lines(lastRefresh.render());
        case "repair":
          orchestrator.repair(refreshed(c));
          return staged();
        case "adopt": {
          ApplyOptions.Builder options = ApplyOptions.builder().order(ApplyOptions.Order.PLAN_ORDER).parallelism(1);
          if (args.containsKey("tag")) {
            options.tag(args.get("tag"));
          }
          return lines(orchestrator.adopt(refreshed(c), options.build()).render());
        }
        case "state-at":
          return lines(orchestrator.stateAt(Tag.of(required(args, "tag", "state-at", c))).render());
        default:
          throw new UnsupportedDirectiveException(c, "the directive is not one of stage, staged, discard, state, plan, "
              + "apply, history, applies, revert, rollback-to, state-at, drift, refresh, repair and adopt");
      }
    } catch (UnsupportedDirectiveException e) {
      throw e;
    } catch (StagehandException e) {
      return List.of("error: " + e.getMessage());
    }
  }

  /**
   * A scenario file uses a directive this runner cannot read; the file itself is wrong. The message
   * names the line and never repeats its text.
   */
  public static final class UnsupportedDirectiveException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    UnsupportedDirectiveException(Scenario.Case c, String message) {
      super("line " + c.line() + ": " + message);
    }
  }

  private io.stagehand.core.drift.DriftReport refreshed(Scenario.Case c) {
    if (lastRefresh == null) {
      throw new UnsupportedDirectiveException(c, "repair and adopt settle the last refresh; refresh first");
    }
    return lastRefresh;
  }

  /**
   * {@code drift <id> gone}, or {@code drift <id> <input>=<json> ... out.<name>=<json> ...}: what the
   * handler's read finds of it (inputs left out are as recorded).
   */
  private static io.stagehand.core.drift.Observed observed(Scenario.Case c) {
    String[] words = c.directive().trim().split("\\s+");
    if (words.length == 3 && words[2].equals("gone")) {
      return io.stagehand.core.drift.Observed.gone();
    }
    Map<String, io.stagehand.core.model.Value> inputs = new java.util.TreeMap<>();
    Map<String, io.stagehand.core.model.Value> outputs = new java.util.TreeMap<>();
    for (int i = 2; i < words.length; i++) {
      int eq = words[i].indexOf('=');
      if (eq <= 0) {
        throw new UnsupportedDirectiveException(c, "drift takes <id> gone, or <id> <input>=<json> ... out.<name>=<json> ...");
      }
      String name = words[i].substring(0, eq);
      io.stagehand.core.model.Value v = io.stagehand.core.model.Value.parse(words[i].substring(eq + 1));
      if (name.startsWith("out.")) {
        outputs.put(name.substring("out.".length()), v);
      } else {
        inputs.put(name, v);
      }
    }
    return io.stagehand.core.drift.Observed.present(inputs, outputs);
  }

  private static String required(Map<String, String> args, String key, String verb, Scenario.Case c) {
    String v = args.get(key);
    if (v == null) {
      throw new UnsupportedDirectiveException(c, verb + " needs " + key + "=");
    }
    return v;
  }

  /** The whole number given as {@code key=}, or {@code absent} when there is none. */
  private static int number(Map<String, String> args, String key, int absent, Scenario.Case c) {
    String v = args.get(key);
    if (v == null) {
      return absent;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UnsupportedDirectiveException(c, key + "= takes a whole number (at most " + Integer.MAX_VALUE + ")");
    }
  }

  private List<String> history(List<String> positional) {
    List<Commit> commits = positional.isEmpty()
        ? orchestrator.history()
        : orchestrator.history(ResourceId.of(positional.get(0)));
    List<String> out = new ArrayList<>();
    for (Commit c : commits) {
      out.add(c.tag() + " " + c.name() + " " + c.resource()
          + c.revertOf().map(t -> " (revert of " + t + ")").orElse(""));
      out.addAll(changes(c.diff()));
    }
    return out.isEmpty() ? List.of("no history") : out;
  }

  /** One line per apply record, then one indented line per failed action. */
  private List<String> applies() {
    List<String> out = new ArrayList<>();
    for (io.stagehand.core.history.ApplyRecord r : orchestrator.applies()) {
      out.add(r.toString());
      r.failures().forEach(f -> out.add("  " + f));
    }
    return out.isEmpty() ? List.of("no applies") : out;
  }

  private List<String> apply(Map<String, String> args, Scenario.Case c) {
    ApplyOptions.Builder options = ApplyOptions.builder().order(ApplyOptions.Order.PLAN_ORDER).parallelism(1);
    java.util.Set<ResourceId> fail = new java.util.HashSet<>();
    for (Map.Entry<String, String> a : args.entrySet()) {
      switch (a.getKey()) {
        case "tag" -> options.tag(a.getValue());
        case "author" -> options.author(a.getValue());
        case "parallel" -> options.parallelism(number(args, "parallel", 1, c));
        case "fail" -> {
          for (String id : a.getValue().split(",")) {
            fail.add(ResourceId.of(id));
          }
        }
        case "only", "exclude" -> options.selection(selection(args));
        case "outputs" -> outputs = outputs(a.getValue(), c);
        default -> throw new UnsupportedDirectiveException(c, "apply takes tag=, author=, fail=, outputs=, parallel=, "
            + "only= and exclude= only");
      }
    }
    failing = java.util.Set.copyOf(fail);
    try {
      return lines(orchestrator.apply(options.build()).render());
    } finally {
      failing = java.util.Set.of();
      outputs = Map.of();
    }
  }

  /**
   * {@code vm1.ip="10.0.0.9",db.password!="s3cret"}: the outputs the handler returns, by resource;
   * {@code !=} marks one sensitive. A comma starts the next only before {@code <id>.<name>=}.
   */
  private static Map<ResourceId, List<GivenOutput>> outputs(String text, Scenario.Case c) {
    Map<ResourceId, List<GivenOutput>> out = new java.util.HashMap<>();
    for (String one : text.split(",(?=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+!?=)")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)(!?)=(.+)").matcher(one);
      if (!m.matches()) {
        throw new UnsupportedDirectiveException(c, "outputs= takes <id>.<name>=<json>, separated by commas");
      }
      out.computeIfAbsent(ResourceId.of(m.group(1)), k -> new ArrayList<>())
          .add(new GivenOutput(m.group(2), io.stagehand.core.model.Value.parse(m.group(4)), !m.group(3).isEmpty()));
    }
    return Map.copyOf(out);
  }

  private List<String> stage(List<String> input) {
    List<Edit> edits = new ArrayList<>();
    for (String line : input) {
      edits.add(Edit.parse(line));
    }
    orchestrator.stage(edits);
    return List.of("ok");
  }

  private List<String> staged() {
    List<Diff> diffs = orchestrator.staged();
    if (diffs.isEmpty()) {
      return List.of("nothing staged");
    }
    List<String> out = new ArrayList<>();
    for (Diff d : diffs) {
      out.add(d.resource() + " " + d.action().orElseThrow() + (d.pending() ? " (pending)" : ""));
      out.addAll(changes(d));
    }
    return out;
  }

  static List<String> changes(Diff d) {
    List<String> out = new ArrayList<>();
    for (Change change : d.changes()) {
      out.add("  " + d.render(change));
    }
    d.otherChanges().forEach(c -> out.add("  " + c));
    return out;
  }

  private static io.stagehand.core.plan.Selection selection(Map<String, String> args) {
    java.util.Set<io.stagehand.core.plan.Selector> only = new java.util.HashSet<>();
    java.util.Set<io.stagehand.core.plan.Selector> exclude = new java.util.HashSet<>();
    if (args.containsKey("only")) {
      for (String s : args.get("only").split(",")) {
        only.add(io.stagehand.core.plan.Selector.parse(s));
      }
    }
    if (args.containsKey("exclude")) {
      for (String s : args.get("exclude").split(",")) {
        exclude.add(io.stagehand.core.plan.Selector.parse(s));
      }
    }
    return new io.stagehand.core.plan.Selection(only, exclude);
  }

  private static List<String> lines(String text) {
    return List.of(text.split("\n", -1));
  }
}
