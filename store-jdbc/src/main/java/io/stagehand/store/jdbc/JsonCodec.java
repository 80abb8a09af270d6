package io.stagehand.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagehand.core.Action;
import io.stagehand.core.Commit;
import io.stagehand.core.CommitDraft;
import io.stagehand.core.CommitPosition;
import io.stagehand.core.Connection;
import io.stagehand.core.Diff;
import io.stagehand.core.Edit;
import io.stagehand.core.Event;
import io.stagehand.core.InputRef;
import io.stagehand.core.Resource;
import io.stagehand.core.ResourceId;
import io.stagehand.core.StoreException;
import io.stagehand.core.Tag;
import io.stagehand.core.Value;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stored JSON form of values, resources, edits and commits, through Jackson's tree model. Numbers
 * stay exact decimals in both directions (no binary floating point on the way).
 */
final class JsonCodec {
  // Value normalises numbers itself, so the factory's handling of trailing zeros does not matter
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .build();

  private JsonCodec() {}

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  static JsonNode read(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  // ---------------------------------------------------------------- values

  static JsonNode value(Value v) {
    if (v instanceof Value.StringValue s) {
      return NODES.textNode(s.value());
    }
    if (v instanceof Value.NumberValue n) {
      return NODES.numberNode(n.value());
    }
    if (v instanceof Value.BooleanValue b) {
      return NODES.booleanNode(b.value());
    }
    if (v instanceof Value.ListValue l) {
      ArrayNode a = NODES.arrayNode();
      l.values().forEach(e -> a.add(value(e)));
      return a;
    }
    ObjectNode o = NODES.objectNode();
    ((Value.MapValue) v).entries().forEach((k, e) -> o.set(k, value(e)));
    return o;
  }

  static Value value(JsonNode n) {
    if (n.isTextual()) {
      return Value.of(n.textValue());
    }
    if (n.isNumber()) {
      return Value.of(n.isBigDecimal() ? n.decimalValue() : new BigDecimal(n.bigIntegerValue()));
    }
    if (n.isBoolean()) {
      return Value.of(n.booleanValue());
    }
    if (n.isArray()) {
      List<Value> values = new ArrayList<>();
      n.forEach(e -> values.add(value(e)));
      return Value.list(values);
    }
    if (n.isObject()) {
      TreeMap<String, Value> entries = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        entries.put(e.getKey(), value(e.getValue()));
      }
      return Value.map(entries);
    }
    throw new StoreException("stored value has an unsupported JSON type: " + n.getNodeType());
  }

  private static ObjectNode inputs(Map<String, Value> inputs) {
    ObjectNode o = NODES.objectNode();
    inputs.forEach((k, v) -> o.set(k, value(v)));
    return o;
  }

  private static TreeMap<String, Value> inputs(JsonNode o) {
    TreeMap<String, Value> out = new TreeMap<>();
    if (o != null) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        out.put(e.getKey(), value(e.getValue()));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- connections and resources

  static ObjectNode connection(Connection c) {
    ObjectNode o = NODES.objectNode();
    o.put("from", c.emitter().toString());
    o.put("to", c.receiver().toString());
    if (c.collecting()) {
      o.put("collecting", true);
    }
    c.key().ifPresent(k -> o.put("key", k));
    return o;
  }

  static Connection connection(JsonNode o) {
    return new Connection(InputRef.parse(o.get("from").textValue()), InputRef.parse(o.get("to").textValue()),
        o.path("collecting").asBoolean(false),
        o.has("key") ? Optional.of(o.get("key").textValue()) : Optional.empty());
  }

  private static ArrayNode connections(Iterable<Connection> cs) {
    ArrayNode a = NODES.arrayNode();
    cs.forEach(c -> a.add(connection(c)));
    return a;
  }

  private static TreeSet<Connection> connections(JsonNode a) {
    TreeSet<Connection> out = new TreeSet<>();
    if (a != null) {
      a.forEach(c -> out.add(connection(c)));
    }
    return out;
  }

  static ObjectNode resource(Resource r) {
    ObjectNode o = NODES.objectNode();
    o.put("id", r.id().name());
    o.put("kind", r.kind());
    o.set("own", inputs(r.ownInputs()));
    if (!r.sensitiveInputs().isEmpty()) {
      ArrayNode s = o.putArray("sensitive");
      r.sensitiveInputs().forEach(s::add);
    }
    if (!r.sensitiveFedInputs().isEmpty()) {
      ArrayNode s = o.putArray("sensitiveFed");
      r.sensitiveFedInputs().forEach(s::add);
    }
    if (!r.incoming().isEmpty()) {
      o.set("incoming", connections(r.incoming()));
    }
    if (!r.events().isEmpty()) {
      ArrayNode ev = o.putArray("events");
      r.events().forEach(e -> ev.add(event(e)));
    }
    r.location().ifPresent(l -> o.put("location", l.name()));
    if (!r.labels().isEmpty()) {
      ArrayNode l = o.putArray("labels");
      r.labels().forEach(l::add);
    }
    o.set("resolved", inputs(r.resolvedInputs()));
    return o;
  }

  static ObjectNode event(Event e) {
    ObjectNode o = NODES.objectNode();
    o.put("source", e.source().name()).put("trigger", e.trigger()).put("target", e.target().name());
    e.reaction().ifPresent(r -> o.put("reaction", r));
    return o;
  }

  static Event event(JsonNode o) {
    return new Event(ResourceId.of(o.get("source").textValue()), o.get("trigger").textValue(),
        ResourceId.of(o.get("target").textValue()),
        o.has("reaction") ? Optional.of(o.get("reaction").textValue()) : Optional.empty());
  }

  private static TreeSet<Event> events(JsonNode a) {
    TreeSet<Event> out = new TreeSet<>();
    if (a != null) {
      a.forEach(e -> out.add(event(e)));
    }
    return out;
  }

  private static List<String> listOf(JsonNode a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      a.forEach(s -> out.add(s.textValue()));
    }
    return out;
  }

  private static TreeSet<String> strings(JsonNode a) {
    TreeSet<String> out = new TreeSet<>();
    if (a != null) {
      a.forEach(s -> out.add(s.textValue()));
    }
    return out;
  }

  private static Optional<ResourceId> optionalId(JsonNode n) {
    return n == null || n.isNull() ? Optional.empty() : Optional.of(ResourceId.of(n.textValue()));
  }

  static Resource resource(JsonNode o) {
    TreeSet<String> sensitive = new TreeSet<>();
    o.path("sensitive").forEach(s -> sensitive.add(s.textValue()));
    return Resource.builder()
        .id(ResourceId.of(o.get("id").textValue()))
        .kind(o.get("kind").textValue())
        .ownInputs(inputs(o.get("own")))
        .sensitiveInputs(sensitive)
        .sensitiveFedInputs(strings(o.get("sensitiveFed")))
        .incoming(connections(o.get("incoming")))
        .events(events(o.get("events")))
        .location(optionalId(o.get("location")))
        .labels(strings(o.get("labels")))
        .resolvedInputs(inputs(o.get("resolved")))
        .build();
  }

  // ---------------------------------------------------------------- edits

  static ObjectNode edit(Edit e) {
    ObjectNode o = NODES.objectNode();
    if (e instanceof Edit.Create c) {
      o.put("op", "create").put("id", c.id().name()).put("kind", c.kind());
      o.set("inputs", inputs(c.inputs()));
      ArrayNode s = o.putArray("sensitive");
      c.sensitive().forEach(s::add);
      c.location().ifPresent(l -> o.put("location", l.name()));
      ArrayNode l = o.putArray("labels");
      c.labels().forEach(l::add);
    } else if (e instanceof Edit.AddEvent a) {
      o.put("op", "addEvent").set("event", event(a.event()));
    } else if (e instanceof Edit.RemoveEvent r) {
      o.put("op", "removeEvent").set("event", event(r.event()));
    } else if (e instanceof Edit.Place p) {
      o.put("op", "place").put("id", p.id().name());
      p.location().ifPresent(l -> o.put("location", l.name()));
    } else if (e instanceof Edit.Label l) {
      o.put("op", l.add() ? "label" : "unlabel").put("id", l.id().name()).put("label", l.label());
    } else if (e instanceof Edit.SetInput s) {
      o.put("op", "set").put("id", s.id().name()).put("input", s.input());
      o.set("value", value(s.value()));
      if (s.sensitive()) {
        o.put("sensitive", true);
      }
    } else if (e instanceof Edit.UnsetInput u) {
      o.put("op", "unset").put("id", u.id().name()).put("input", u.input());
    } else if (e instanceof Edit.Remove r) {
      o.put("op", "remove").put("id", r.id().name());
    } else if (e instanceof Edit.Connect c) {
      o.put("op", "connect").set("connection", connection(c.connection()));
    } else {
      o.put("op", "disconnect").set("connection", connection(((Edit.Disconnect) e).connection()));
    }
    return o;
  }

  static Edit edit(JsonNode o) {
    String op = o.get("op").textValue();
    switch (op) {
      case "create": {
        TreeSet<String> sensitive = new TreeSet<>();
        o.path("sensitive").forEach(s -> sensitive.add(s.textValue()));
        return new Edit.Create(ResourceId.of(o.get("id").textValue()), o.get("kind").textValue(),
            inputs(o.get("inputs")), sensitive, optionalId(o.get("location")), strings(o.get("labels")));
      }
      case "addEvent":
        return new Edit.AddEvent(event(o.get("event")));
      case "removeEvent":
        return new Edit.RemoveEvent(event(o.get("event")));
      case "place":
        return new Edit.Place(ResourceId.of(o.get("id").textValue()), optionalId(o.get("location")));
      case "label":
      case "unlabel":
        return new Edit.Label(ResourceId.of(o.get("id").textValue()), o.get("label").textValue(), op.equals("label"));
      case "set":
        return new Edit.SetInput(ResourceId.of(o.get("id").textValue()), o.get("input").textValue(),
            value(o.get("value")), o.path("sensitive").asBoolean(false));
      case "unset":
        return new Edit.UnsetInput(ResourceId.of(o.get("id").textValue()), o.get("input").textValue());
      case "remove":
        return new Edit.Remove(ResourceId.of(o.get("id").textValue()));
      case "connect":
        return new Edit.Connect(connection(o.get("connection")));
      case "disconnect":
        return new Edit.Disconnect(connection(o.get("connection")));
      default:
        throw new StoreException("stored edit has an unknown op: " + op);
    }
  }

  // ---------------------------------------------------------------- commits

  static ObjectNode commit(CommitDraft c) {
    ObjectNode o = NODES.objectNode();
    o.put("action", c.action().name());
    if (!c.reactions().isEmpty()) {
      ArrayNode r = o.putArray("reactions");
      c.reactions().forEach(r::add);
    }
    o.put("time", c.time().toString());
    c.revertOf().ifPresent(t -> o.put("revertOf", t.name()));
    Diff d = c.diff();
    o.put("resource", d.resource().name());
    d.before().ifPresent(r -> o.set("before", resource(r)));
    d.after().ifPresent(r -> o.set("after", resource(r)));
    o.set("connectionsBefore", connections(d.connectionsBefore()));
    o.set("connectionsAfter", connections(d.connectionsAfter()));
    return o;
  }

  /** A commit from its stored body and the columns that hold its tag, index and position. */
  static Commit commit(JsonNode o, Tag tag, int index, CommitPosition position) {
    Diff diff = Diff.builder()
        .resource(ResourceId.of(o.get("resource").textValue()))
        .before(o.has("before") ? Optional.of(resource(o.get("before"))) : Optional.empty())
        .after(o.has("after") ? Optional.of(resource(o.get("after"))) : Optional.empty())
        .connectionsBefore(connections(o.get("connectionsBefore")))
        .connectionsAfter(connections(o.get("connectionsAfter")))
        .build();
    CommitDraft draft = CommitDraft.builder()
        .tag(tag)
        .index(index)
        .diff(diff)
        .action(Action.valueOf(o.get("action").textValue()))
        .reactions(new ArrayList<>(listOf(o.get("reactions"))))
        .time(Instant.parse(o.get("time").textValue()))
        .revertOf(o.has("revertOf") ? Optional.of(Tag.of(o.get("revertOf").textValue())) : Optional.empty())
        .build();
    return Commit.of(draft, position);
  }
}
