package io.stagehand.core.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.ValueJson;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlanEdge;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.plan.Selection;
import io.stagehand.core.plan.Selector;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A plan as JSON ({@code docs/formats.md}): its actions with waves, predecessors, reactions and
 * pending marks, its edges with their reasons, what it left out, its selection, the staged position
 * and the fingerprint of what it was made on. No input value is in it, so a saved plan holds no
 * secret; a plan read back renders as the original and can be applied, but its actions carry no
 * diffs.
 */
public final class PlanJson {
  static final int FORMAT = 1;
  private static final JsonFactory FACTORY = ValueJson.factory(8, 1 << 20);

  private PlanJson() {}

  public static String write(Plan plan) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("format", FORMAT);
      g.writeNumberField("stagedPosition", plan.stagedPosition());
      g.writeStringField("fingerprint", plan.fingerprint());
      g.writeObjectFieldStart("selection");
      StateJson.strings(g, "only", plan.selection().only().stream().map(Selector::toString).sorted().toList());
      StateJson.strings(g, "exclude", plan.selection().exclude().stream().map(Selector::toString).sorted().toList());
      g.writeEndObject();
      g.writeArrayFieldStart("actions");
      for (PlannedAction a : plan.actions()) {
        g.writeStartObject();
        g.writeStringField("resource", a.resource().name());
        g.writeStringField("action", a.action().name());
        g.writeNumberField("wave", a.wave());
        StateJson.strings(g, "after", a.predecessors().stream().map(ResourceId::name).toList());
        StateJson.strings(g, "reactions", a.reactions());
        if (a.diff().pending()) {
          g.writeBooleanField("pending", true);
        }
        List<String> owed = plan.owedReasons(a.resource());
        if (!owed.isEmpty()) {
          StateJson.strings(g, "owed", owed);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("edges");
      for (PlanEdge e : plan.edges()) {
        g.writeStartObject();
        g.writeStringField("before", e.before().name());
        g.writeStringField("after", e.after().name());
        g.writeStringField("reason", e.reason());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("leftOut");
      for (Map.Entry<ResourceId, String> e : plan.leftOut().entrySet()) {
        g.writeStringField(e.getKey().name(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public static Plan read(String json) {
    if (json == null) {
      throw new InvalidInputException("the plan's JSON is missing");
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, "a plan is a JSON object");
      long position = -1;
      String fingerprint = null;
      Set<Selector> only = Set.of();
      Set<Selector> exclude = Set.of();
      List<RawAction> raw = new ArrayList<>();
      List<PlanEdge> edges = new ArrayList<>();
      TreeMap<ResourceId, String> leftOut = new TreeMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "format" -> expect(p.getIntValue() == FORMAT, "this library reads plan format " + FORMAT);
          case "stagedPosition" -> position = p.getLongValue();
          case "fingerprint" -> fingerprint = p.getText();
          case "selection" -> {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String which = p.currentName();
              p.nextToken();
              Set<Selector> s = new java.util.HashSet<>();
              readStrings(p).forEach(t -> s.add(Selector.parse(t)));
              if (which.equals("only")) {
                only = s;
              } else if (which.equals("exclude")) {
                exclude = s;
              }
            }
          }
          case "actions" -> {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              raw.add(action(p));
            }
          }
          case "edges" -> {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              Map<String, String> e = new HashMap<>();
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                e.put(k, p.getText());
              }
              expect(e.containsKey("before") && e.containsKey("after") && e.containsKey("reason"),
                  "an edge has before, after and reason");
              edges.add(new PlanEdge(ResourceId.of(e.get("before")), ResourceId.of(e.get("after")), e.get("reason")));
            }
          }
          case "leftOut" -> {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              ResourceId id = ResourceId.of(p.currentName());
              p.nextToken();
              leftOut.put(id, p.getText());
            }
          }
          default -> p.skipChildren();
        }
      }
      expect(position >= 0 && fingerprint != null, "a plan has a stagedPosition and a fingerprint");
      Map<ResourceId, SortedSet<ResourceId>> successors = new HashMap<>();
      for (RawAction a : raw) {
        a.after().forEach(b -> successors.computeIfAbsent(b, k -> new TreeSet<>()).add(a.id()));
      }
      List<PlannedAction> actions = new ArrayList<>();
      Map<ResourceId, List<String>> owed = new HashMap<>();
      for (RawAction a : raw) {
        actions.add(PlannedAction.builder().resource(a.id()).action(a.action()).wave(a.wave())
            .predecessors(a.after()).successors(successors.getOrDefault(a.id(), new TreeSet<>()))
            .reactions(a.reactions()).diff(Diff.builder().resource(a.id()).pending(a.pending()).build())
            .remainingPath(0).build());
        if (!a.owed().isEmpty()) {
          owed.put(a.id(), a.owed());
        }
      }
      java.util.Set<ResourceId> pending = new java.util.HashSet<>();
      actions.stream().filter(a -> a.diff().pending()).forEach(a -> pending.add(a.resource()));
      List<PlanEdge> fixed = List.copyOf(edges);
      return ApiAccess.plans().plan(actions, () -> fixed, position, Map.of(), leftOut, pending, owed,
          new Selection(only, exclude), fingerprint);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("the plan's JSON cannot be read at character "
          + (e.getLocation() == null ? "?" : e.getLocation().getCharOffset()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record RawAction(ResourceId id, Action action, int wave, SortedSet<ResourceId> after,
      List<String> reactions, boolean pending, List<String> owed) {}

  private static RawAction action(JsonParser p) throws IOException {
    String resource = null;
    String action = null;
    int wave = 0;
    SortedSet<ResourceId> after = new TreeSet<>();
    List<String> reactions = List.of();
    List<String> owed = List.of();
    boolean pending = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "resource" -> resource = p.getText();
        case "action" -> action = p.getText();
        case "wave" -> wave = p.getIntValue();
        case "after" -> readStrings(p).forEach(s -> after.add(ResourceId.of(s)));
        case "reactions" -> reactions = readStrings(p);
        case "pending" -> pending = p.getBooleanValue();
        case "owed" -> owed = readStrings(p);
        default -> p.skipChildren();
      }
    }
    expect(resource != null && action != null, "an action has a resource and an action");
    Action a;
    try {
      a = Action.valueOf(action);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("the plan's JSON names an unknown action");
    }
    return new RawAction(ResourceId.of(resource), a, wave, after, reactions, pending, owed);
  }

  private static List<String> readStrings(JsonParser p) throws IOException {
    expect(p.currentToken() == JsonToken.START_ARRAY, "a list of strings is expected");
    List<String> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.VALUE_STRING) {
      out.add(p.getText());
    }
    expect(p.currentToken() == JsonToken.END_ARRAY, "a list of strings is expected");
    return out;
  }

  private static void expect(boolean ok, String what) {
    if (!ok) {
      throw new InvalidInputException("the plan's JSON cannot be read: " + what);
    }
  }
}
