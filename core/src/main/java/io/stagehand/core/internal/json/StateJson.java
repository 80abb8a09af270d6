package io.stagehand.core.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.stagehand.core.InputLimits;
import io.stagehand.core.history.Commit;
import io.stagehand.core.model.Change;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.DeploymentState;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.Value;
import io.stagehand.core.model.ValueJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The applied or desired state and the history as JSON for tools ({@code docs/formats.md}), as
 * {@code terraform show -json} gives them. A sensitive value is written as {@code "(sensitive)"} and
 * its input is listed under {@code sensitive}: the JSON is safe to print, log or attach.
 */
public final class StateJson {
  static final int FORMAT = 1;
  private static final JsonFactory FACTORY = ValueJson.factory(8, InputLimits.MAX_STRING_LENGTH);

  private StateJson() {}

  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  public static String document(Body body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("format", FORMAT);
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public static String state(DeploymentState state) {
    return document(g -> {
      g.writeArrayFieldStart("resources");
      for (Resource r : state.resources().values()) {
        resource(g, r);
      }
      g.writeEndArray();
      connections(g, "connections", state.connections());
    });
  }

  public static String history(List<Commit> commits, long offset, long total) {
    return document(g -> {
      g.writeNumberField("offset", offset);
      g.writeNumberField("total", total);
      g.writeArrayFieldStart("commits");
      for (Commit c : commits) {
        commit(g, c);
      }
      g.writeEndArray();
    });
  }

  public static void commit(JsonGenerator g, Commit c) throws IOException {
    g.writeStartObject();
    g.writeStringField("position", c.position().toString());
    g.writeStringField("tag", c.tag().name());
    g.writeNumberField("index", c.index());
    g.writeStringField("resource", c.resource().name());
    g.writeStringField("action", c.action().name());
    if (!c.reactions().isEmpty()) {
      strings(g, "reactions", c.reactions());
    }
    g.writeStringField("time", c.time().toString());
    if (c.revertOf().isPresent()) {
      g.writeStringField("revertOf", c.revertOf().get().name());
    }
    g.writeArrayFieldStart("changes");
    for (Change ch : c.diff().changes()) {
      g.writeStartObject();
      g.writeStringField("input", ch.input());
      side(g, "from", ch.from(), ch.sensitive());
      side(g, "to", ch.to(), ch.sensitive());
      if (ch.sensitive()) {
        g.writeBooleanField("sensitive", true);
      }
      if (ch.knownAfterApply()) {
        g.writeBooleanField("knownAfterApply", true);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    if (!c.diff().otherChanges().isEmpty()) {
      strings(g, "otherChanges", c.diff().otherChanges());
    }
    connections(g, "connectionsBefore", c.diff().connectionsBefore());
    connections(g, "connectionsAfter", c.diff().connectionsAfter());
    g.writeEndObject();
  }

  private static void side(JsonGenerator g, String name, Optional<Value> v, boolean sensitive) throws IOException {
    if (v.isEmpty()) {
      return;
    }
    g.writeFieldName(name);
    if (sensitive) {
      g.writeString("(sensitive)");
    } else {
      ValueJson.write(g, v.get());
    }
  }

  public static void resource(JsonGenerator g, Resource r) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id().name());
    g.writeStringField("kind", r.kind());
    if (r.location().isPresent()) {
      g.writeStringField("location", r.location().get().name());
    }
    strings(g, "labels", List.copyOf(r.labels()));
    if (r.isProtected()) {
      g.writeBooleanField("protected", true);
    }
    values(g, "inputs", r.resolvedInputs(), r::isSensitive);
    strings(g, "sensitive", List.copyOf(r.allSensitiveInputs()));
    if (!r.outputs().isEmpty()) {
      values(g, "outputs", r.outputs(), r::isSensitiveOutput);
      strings(g, "sensitiveOutputs", List.copyOf(r.sensitiveOutputs()));
    }
    List<String> events = new ArrayList<>(r.events().size());
    for (Event e : r.events()) {
      events.add(e.toString());
    }
    strings(g, "events", events);
    g.writeEndObject();
  }

  /** A map of values by name, those {@code sensitive} names as {@code "(sensitive)"}. */
  private static void values(JsonGenerator g, String field, Map<String, Value> values,
      java.util.function.Predicate<String> sensitive) throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, Value> e : values.entrySet()) {
      g.writeFieldName(e.getKey());
      if (sensitive.test(e.getKey())) {
        g.writeString("(sensitive)");
      } else {
        ValueJson.write(g, e.getValue());
      }
    }
    g.writeEndObject();
  }

  private static void connections(JsonGenerator g, String name, Collection<Connection> cs) throws IOException {
    g.writeArrayFieldStart(name);
    for (Connection c : cs) {
      g.writeString(c.toString());
    }
    g.writeEndArray();
  }

  /** A field holding a list of strings; plans write theirs through it too. */
  public static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}
