package io.stagehand.store.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.StoreException;
import io.stagehand.core.history.ApplyOutcome;
import io.stagehand.core.history.ApplyRecord;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.InputRef;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.model.ValueJson;
import io.stagehand.core.spi.CommitDraft;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stored JSON of resources, staged edits and commits, on jackson-core's streaming generator and
 * parser, every value through core's {@link ValueJson}. What it writes without a {@link SecretCodec}
 * is the format the store has always had; it reads fields in any order (PostgreSQL's {@code jsonb}
 * reorders them) and skips fields it does not know.
 *
 * <p>With a codec, the value of every sensitive input is written sealed instead: left out of its
 * map ({@code own}, {@code resolved}, {@code inputs}) or field ({@code value}), and put under a
 * {@code "sealed"} object that mirrors the document's own field names, e.g.
 * {@code "sealed": {"own": {"token": "v1:k1:..."}}}. No document of the old format has that field,
 * and a value is never a sealed text, so the two cannot be mistaken for each other. Sensitive are,
 * in a resource, the inputs it marks ({@link Resource#allSensitiveInputs()}); in a create, the
 * inputs it marks; a set when it marks its input. Commits hold resources and follow their rule.
 *
 * <p>A document that does not read is a {@link StoreException} that says where and why, never what
 * the text was: values may be secrets. Jackson's own messages may quote the text, so they are not
 * passed on, not even as a cause.
 */
final class JsonCodec {
  /**
   * The longest sealed text (and string) a document may hold. A sealed value is one string however
   * large the value is; PostgreSQL's {@code jsonb} holds no document larger than this anyway.
   */
  static final int MAX_SEALED_LENGTH = (1 << 28) - 1;
  /** How many levels a value sits below the top of a document at most: commit, its resource, the inputs. */
  private static final int DEPTH_ABOVE_VALUES = 3;
  private static final JsonFactory FACTORY = ValueJson.factory(DEPTH_ABOVE_VALUES, MAX_SEALED_LENGTH).rebuild()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private static final String RESOURCE = "resource";
  private static final String EDIT = "staged edit";
  private static final String COMMIT = "commit";
  private static final String APPLY = "apply record";

  private final Optional<SecretCodec> secrets;

  /** A codec that writes sensitive values sealed by {@code secrets}, or in clear if it is empty. */
  JsonCodec(Optional<SecretCodec> secrets) {
    this.secrets = secrets;
  }

  /** What a commit stores in its body; its tag, index and position are columns of its row. */
  private record CommitBody(Action action, List<String> reactions, Instant time, Optional<Tag> revertOf, Diff diff) {
    static CommitBody of(CommitDraft c) {
      return new CommitBody(c.action(), c.reactions(), c.time(), c.revertOf(), c.diff());
    }
  }

  // ---------------------------------------------------------------- the entry points

  String write(Resource r) {
    return write(g -> resource(g, r));
  }

  String write(Edit e) {
    return write(g -> edit(g, e));
  }

  String write(CommitDraft c) {
    return write(g -> commit(g, CommitBody.of(c)));
  }

  String write(ApplyRecord a) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("tag", a.tag().name());
      g.writeStringField("started", a.started().toString());
      if (a.finished().isPresent()) {
        g.writeStringField("finished", a.finished().get().toString());
      }
      g.writeStringField("outcome", a.outcome().name());
      g.writeNumberField("planned", a.planned());
      g.writeNumberField("succeeded", a.succeeded());
      g.writeNumberField("failed", a.failed());
      g.writeNumberField("skipped", a.skipped());
      g.writeNumberField("notStarted", a.notStarted());
      g.writeArrayFieldStart("failures");
      for (String f : a.failures()) {
        g.writeString(f);
      }
      g.writeEndArray();
      if (!a.plannedResources().isEmpty()) {
        g.writeArrayFieldStart("plannedResources");
        for (ResourceId id : a.plannedResources()) {
          g.writeString(id.name());
        }
        g.writeEndArray();
      }
      if (a.resumes() > 0) {
        g.writeNumberField("resumes", a.resumes());
      }
      if (a.firstIndex() > 0) {
        g.writeNumberField("firstIndex", a.firstIndex());
      }
      if (a.error().isPresent()) {
        g.writeStringField("error", a.error().get());
      }
      if (a.author().isPresent()) {
        g.writeStringField("author", a.author().get());
      }
      if (a.description().isPresent()) {
        g.writeStringField("description", a.description().get());
      }
      g.writeEndObject();
    });
  }

  ApplyRecord readApplyRecord(String text) {
    return new Reader(APPLY).document(text, Reader::applyRecord);
  }

  Resource readResource(String text) {
    return new Reader(RESOURCE).document(text, Reader::resource);
  }

  Edit readEdit(String text) {
    return new Reader(EDIT).document(text, Reader::edit);
  }

  /** A commit from its stored body and the columns that hold its tag, index and position. */
  Commit readCommit(String text, Tag tag, int index, CommitPosition position) {
    CommitBody b = new Reader(COMMIT).document(text, Reader::commit);
    return Commit.of(CommitDraft.builder().tag(tag).index(index).diff(b.diff()).action(b.action())
        .reactions(b.reactions()).time(b.time()).revertOf(b.revertOf()).build(), position);
  }

  /**
   * {@code text} written again if it holds a value sealed under another key than the codec's current
   * one, or a sensitive value in clear while the codec is set; empty if it is as this codec writes it.
   */
  Optional<String> resealResource(String text) {
    Reader r = new Reader(RESOURCE);
    Resource read = r.document(text, Reader::resource);
    return r.stale ? Optional.of(write(read)) : Optional.empty();
  }

  /** {@link #resealResource} for a staged edit. */
  Optional<String> resealEdit(String text) {
    Reader r = new Reader(EDIT);
    Edit read = r.document(text, Reader::edit);
    return r.stale ? Optional.of(write(read)) : Optional.empty();
  }

  /** {@link #resealResource} for a commit's body. */
  Optional<String> resealCommit(String text) {
    Reader r = new Reader(COMMIT);
    CommitBody read = r.document(text, Reader::commit);
    return r.stale ? Optional.of(write(g -> commit(g, read))) : Optional.empty();
  }

  // ---------------------------------------------------------------- writing

  /** Writes one document to a generator. */
  private interface Writing {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Writing writing) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writing.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter failed", e);
    }
    return out.toString();
  }

  private void resource(JsonGenerator g, Resource r) throws IOException {
    Set<String> sealing = secrets.isPresent() ? r.allSensitiveInputs() : Set.of();
    g.writeStartObject();
    g.writeStringField("id", r.id().name());
    g.writeStringField("kind", r.kind());
    g.writeFieldName("own");
    Map<String, String> sealedOwn = inputs(g, r.ownInputs(), sealing, r.id());
    names(g, "sensitive", r.sensitiveInputs(), false);
    names(g, "sensitiveFed", r.sensitiveFedInputs(), false);
    if (!r.incoming().isEmpty()) {
      g.writeFieldName("incoming");
      connections(g, r.incoming());
    }
    if (!r.events().isEmpty()) {
      g.writeArrayFieldStart("events");
      for (Event e : r.events()) {
        event(g, e);
      }
      g.writeEndArray();
    }
    if (r.location().isPresent()) {
      g.writeStringField("location", r.location().get().name());
    }
    names(g, "labels", r.labels(), false);
    if (r.isProtected()) {
      g.writeBooleanField("protected", true);
    }
    g.writeFieldName("resolved");
    Map<String, String> sealedResolved = inputs(g, r.resolvedInputs(), sealing, r.id());
    Map<String, String> sealedOutputs = outputs(g, r.outputs(), r.sensitiveOutputs(), r.id());
    if (!sealedOwn.isEmpty() || !sealedResolved.isEmpty() || !sealedOutputs.isEmpty()) {
      g.writeObjectFieldStart("sealed");
      sealedGroup(g, "own", sealedOwn);
      sealedGroup(g, "resolved", sealedResolved);
      sealedGroup(g, "outputs", sealedOutputs);
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /**
   * Writes {@code inputs} as a map, less those named in {@code sealing}, which it returns sealed,
   * by name.
   */
  private Map<String, String> inputs(JsonGenerator g, Map<String, Value> inputs, Set<String> sealing, ResourceId of)
      throws IOException {
    Map<String, String> sealed = sealing.isEmpty() ? Map.of() : new TreeMap<>();
    g.writeStartObject();
    for (Map.Entry<String, Value> e : inputs.entrySet()) {
      if (sealing.contains(e.getKey())) {
        sealed.put(e.getKey(), seal(e.getValue(), of, e.getKey()));
      } else {
        g.writeFieldName(e.getKey());
        ValueJson.write(g, e.getValue());
      }
    }
    g.writeEndObject();
    return sealed;
  }

  /**
   * Writes {@code outputs} (left out when empty) and the names of the sensitive ones, and returns
   * those sealed, by name.
   */
  private Map<String, String> outputs(JsonGenerator g, Map<String, Value> outputs, Set<String> sensitive, ResourceId of)
      throws IOException {
    if (outputs.isEmpty()) {
      return Map.of();
    }
    g.writeFieldName("outputs");
    Map<String, String> sealed = inputs(g, outputs, secrets.isPresent() ? sensitive : Set.of(), of);
    names(g, "sensitiveOutputs", sensitive, false);
    return sealed;
  }

  private static void sealedGroup(JsonGenerator g, String field, Map<String, String> sealed) throws IOException {
    if (sealed.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : sealed.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private String seal(Value value, ResourceId of, String input) {
    String sealed = secrets.orElseThrow().seal(value.toJson());
    if (sealed == null) {
      throw new StoreException("the SecretCodec returned no sealed text for input " + input + " of " + of);
    }
    if (sealed.length() > MAX_SEALED_LENGTH) {
      throw new StoreException("the value of input " + of + "." + input + " is " + sealed.length()
          + " characters once sealed; the store keeps sealed values of at most " + MAX_SEALED_LENGTH);
    }
    if (sealed.indexOf('\0') >= 0) {
      throw new StoreException("the SecretCodec sealed input " + of + "." + input + " into a text with the NUL "
          + "character, which PostgreSQL cannot store");
    }
    return sealed;
  }

  /** A sorted set of names as an array; left out when empty unless {@code always}. */
  private static void names(JsonGenerator g, String field, Collection<String> names, boolean always)
      throws IOException {
    if (names.isEmpty() && !always) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (String n : names) {
      g.writeString(n);
    }
    g.writeEndArray();
  }

  private static void connections(JsonGenerator g, Collection<Connection> connections) throws IOException {
    g.writeStartArray();
    for (Connection c : connections) {
      connection(g, c);
    }
    g.writeEndArray();
  }

  private static void connection(JsonGenerator g, Connection c) throws IOException {
    g.writeStartObject();
    g.writeStringField("from", c.emitter().toString());
    g.writeStringField("to", c.receiver().toString());
    if (c.collecting()) {
      g.writeBooleanField("collecting", true);
    }
    if (c.key().isPresent()) {
      g.writeStringField("key", c.key().get());
    }
    if (c.readsOutput()) {
      g.writeBooleanField("output", true);
    }
    g.writeEndObject();
  }

  private static void event(JsonGenerator g, Event e) throws IOException {
    g.writeStartObject();
    g.writeStringField("source", e.source().name());
    g.writeStringField("trigger", e.trigger());
    g.writeStringField("target", e.target().name());
    if (e.reaction().isPresent()) {
      g.writeStringField("reaction", e.reaction().get());
    }
    g.writeEndObject();
  }

  private void edit(JsonGenerator g, Edit e) throws IOException {
    g.writeStartObject();
    if (e instanceof Edit.Create || e instanceof Edit.Import) {
      Edit.Create c = e instanceof Edit.Import i ? i.create() : (Edit.Create) e;
      g.writeStringField("op", e instanceof Edit.Import ? "import" : "create");
      g.writeStringField("id", c.id().name());
      g.writeStringField("kind", c.kind());
      g.writeFieldName("inputs");
      Map<String, String> sealed = inputs(g, c.inputs(), secrets.isPresent() ? c.sensitive() : Set.of(), c.id());
      names(g, "sensitive", c.sensitive(), true);
      if (c.location().isPresent()) {
        g.writeStringField("location", c.location().get().name());
      }
      names(g, "labels", c.labels(), true);
      if (c.isProtected()) {
        g.writeBooleanField("protected", true);
      }
      Map<String, String> sealedOutputs = e instanceof Edit.Import i
          ? outputs(g, i.outputs(), i.sensitiveOutputs(), c.id()) : Map.of();
      if (!sealed.isEmpty() || !sealedOutputs.isEmpty()) {
        g.writeObjectFieldStart("sealed");
        sealedGroup(g, "inputs", sealed);
        sealedGroup(g, "outputs", sealedOutputs);
        g.writeEndObject();
      }
    } else if (e instanceof Edit.AddEvent a) {
      g.writeStringField("op", "addEvent");
      g.writeFieldName("event");
      event(g, a.event());
    } else if (e instanceof Edit.RemoveEvent r) {
      g.writeStringField("op", "removeEvent");
      g.writeFieldName("event");
      event(g, r.event());
    } else if (e instanceof Edit.Place p) {
      g.writeStringField("op", "place");
      g.writeStringField("id", p.id().name());
      if (p.location().isPresent()) {
        g.writeStringField("location", p.location().get().name());
      }
    } else if (e instanceof Edit.Touch t) {
      g.writeStringField("op", "touch");
      g.writeStringField("id", t.id().name());
    } else if (e instanceof Edit.Adopt ad) {
      g.writeStringField("op", "adopt");
      g.writeStringField("id", ad.id().name());
      g.writeFieldName("inputs");
      Map<String, String> sealed = inputs(g, ad.inputs(), secrets.isPresent() ? ad.sensitive() : Set.of(), ad.id());
      names(g, "sensitive", ad.sensitive(), true);
      Map<String, String> sealedOutputs = outputs(g, ad.outputs(), ad.sensitiveOutputs(), ad.id());
      if (!sealed.isEmpty() || !sealedOutputs.isEmpty()) {
        g.writeObjectFieldStart("sealed");
        sealedGroup(g, "inputs", sealed);
        sealedGroup(g, "outputs", sealedOutputs);
        g.writeEndObject();
      }
    } else if (e instanceof Edit.Replace rp) {
      g.writeStringField("op", "replace");
      g.writeStringField("id", rp.id().name());
    } else if (e instanceof Edit.Forget f) {
      g.writeStringField("op", "forget");
      g.writeStringField("id", f.id().name());
    } else if (e instanceof Edit.Protect pr) {
      g.writeStringField("op", pr.on() ? "protect" : "unprotect");
      g.writeStringField("id", pr.id().name());
    } else if (e instanceof Edit.Label l) {
      g.writeStringField("op", l.add() ? "label" : "unlabel");
      g.writeStringField("id", l.id().name());
      g.writeStringField("label", l.label());
    } else if (e instanceof Edit.SetInput s) {
      g.writeStringField("op", "set");
      g.writeStringField("id", s.id().name());
      g.writeStringField("input", s.input());
      boolean sealing = s.sensitive() && secrets.isPresent();
      if (!sealing) {
        g.writeFieldName("value");
        ValueJson.write(g, s.value());
      }
      if (s.sensitive()) {
        g.writeBooleanField("sensitive", true);
      }
      if (sealing) {
        g.writeObjectFieldStart("sealed");
        g.writeStringField("value", seal(s.value(), s.id(), s.input()));
        g.writeEndObject();
      }
    } else if (e instanceof Edit.UnsetInput u) {
      g.writeStringField("op", "unset");
      g.writeStringField("id", u.id().name());
      g.writeStringField("input", u.input());
    } else if (e instanceof Edit.Remove r) {
      g.writeStringField("op", "remove");
      g.writeStringField("id", r.id().name());
    } else if (e instanceof Edit.Connect c) {
      g.writeStringField("op", "connect");
      g.writeFieldName("connection");
      connection(g, c.connection());
    } else {
      g.writeStringField("op", "disconnect");
      g.writeFieldName("connection");
      connection(g, ((Edit.Disconnect) e).connection());
    }
    g.writeEndObject();
  }

  private void commit(JsonGenerator g, CommitBody c) throws IOException {
    g.writeStartObject();
    g.writeStringField("action", c.action().name());
    names(g, "reactions", c.reactions(), false);
    g.writeStringField("time", c.time().toString());
    if (c.revertOf().isPresent()) {
      g.writeStringField("revertOf", c.revertOf().get().name());
    }
    Diff d = c.diff();
    g.writeStringField("resource", d.resource().name());
    if (d.before().isPresent()) {
      g.writeFieldName("before");
      resource(g, d.before().get());
    }
    if (d.after().isPresent()) {
      g.writeFieldName("after");
      resource(g, d.after().get());
    }
    g.writeFieldName("connectionsBefore");
    connections(g, d.connectionsBefore());
    g.writeFieldName("connectionsAfter");
    connections(g, d.connectionsAfter());
    g.writeEndObject();
  }

  // ---------------------------------------------------------------- reading

  /** Reads one part of a document, starting at the parser's current token. */
  private interface Reading<T> {
    T read(Reader r) throws IOException;
  }

  /**
   * Reads one document, remembering whether it is {@link #stale}: whether it holds a value sealed
   * under another key than the codec's current one, or (with a codec) a sensitive value in clear.
   */
  private final class Reader {
    private final String what;
    private JsonParser p;
    boolean stale;

    Reader(String what) {
      this.what = what;
    }

    <T> T document(String text, Reading<T> reading) {
      try (JsonParser parser = FACTORY.createParser(text)) {
        p = parser;
        if (p.nextToken() == null) {
          throw unreadable("it is empty");
        }
        T out = reading.read(this);
        if (p.nextToken() != null) {
          throw unreadable("there is more text after the document");
        }
        return out;
      } catch (JsonProcessingException e) {
        // never e.getMessage(), nor e as the cause: Jackson's messages may quote the text
        throw new StoreException("the stored " + what + " is unreadable" + at(e.getLocation()) + ": " + fault(e));
      } catch (InvalidInputException e) {
        // core's messages never repeat the text that broke a rule, so the cause may say which rule
        throw new StoreException("the stored " + what + " is unreadable: something in it breaks a rule of Stagehand's "
            + "model (the cause names the rule); was the store changed behind Stagehand's back?", e);
      } catch (IOException e) {
        throw new UncheckedIOException("reading a string failed", e);
      }
    }

    private String fault(JsonProcessingException e) {
      if (e instanceof StreamConstraintsException) {
        return "it is over a limit (nesting, or the length of a string or number)";
      }
      if (e instanceof JsonEOFException) {
        return "the text ends inside the document";
      }
      return "it is not valid JSON, or a field appears twice";
    }

    private String at(JsonLocation location) {
      return location == null || location.getCharOffset() < 0 ? "" : " at character " + location.getCharOffset();
    }

    StoreException unreadable(String why) {
      return new StoreException("the stored " + what + " is unreadable" + at(p.currentTokenLocation()) + ": " + why);
    }

    // ------------------------------------------------------------ tokens

    private void expect(JsonToken token, String field, String shape) {
      if (p.currentToken() != token) {
        throw unreadable("'" + field + "' should be " + shape);
      }
    }

    /** True, and the parser on the next field's value, while an object has fields left. */
    private boolean nextField() throws IOException {
      if (p.nextToken() != JsonToken.FIELD_NAME) {
        return false;
      }
      p.nextToken();
      return true;
    }

    private boolean isNull() {
      return p.currentToken() == JsonToken.VALUE_NULL;
    }

    private String text(String field) throws IOException {
      expect(JsonToken.VALUE_STRING, field, "a string");
      return p.getText();
    }

    private boolean bool(String field) {
      JsonToken t = p.currentToken();
      if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
        throw unreadable("'" + field + "' should be true or false");
      }
      return t == JsonToken.VALUE_TRUE;
    }

    private Optional<ResourceId> optionalId(String field) throws IOException {
      return isNull() ? Optional.empty() : Optional.of(ResourceId.of(text(field)));
    }

    ApplyRecord applyRecord() throws IOException {
      expect(JsonToken.START_OBJECT, APPLY, "an object");
      ApplyRecord.Builder b = ApplyRecord.builder();
      String tag = null;
      String started = null;
      String outcome = null;
      while (nextField()) {
        String field = p.currentName();
        switch (field) {
          case "tag" -> tag = text(field);
          case "started" -> started = text(field);
          case "finished" -> b.finished(instant(field));
          case "outcome" -> outcome = text(field);
          case "planned" -> b.planned(count(field));
          case "succeeded" -> b.succeeded(count(field));
          case "failed" -> b.failed(count(field));
          case "skipped" -> b.skipped(count(field));
          case "notStarted" -> b.notStarted(count(field));
          case "failures" -> b.failures(strings(field));
          case "plannedResources" -> strings(field).forEach(id -> b.addPlannedResources(ResourceId.of(id)));
          case "resumes" -> b.resumes(count(field));
          case "firstIndex" -> b.firstIndex(count(field));
          case "error" -> b.error(text(field));
          case "author" -> b.author(text(field));
          case "description" -> b.description(text(field));
          default -> p.skipChildren();
        }
      }
      try {
        return b.tag(Tag.of(required(tag, "tag")))
            .started(Instant.parse(required(started, "started")))
            .outcome(ApplyOutcome.valueOf(required(outcome, "outcome")))
            .build();
      } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
        throw unreadable("its start or outcome is none Stagehand writes");
      }
    }

    private Instant instant(String field) throws IOException {
      try {
        return Instant.parse(text(field));
      } catch (java.time.format.DateTimeParseException e) {
        throw unreadable("'" + field + "' should be an instant");
      }
    }

    private int count(String field) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
        throw unreadable("'" + field + "' should be a whole number");
      }
      return p.getIntValue();
    }

    private <T> T required(T found, String field) {
      if (found == null) {
        throw unreadable("'" + field + "' is missing");
      }
      return found;
    }

    /** An array of strings, in order; null reads as empty. */
    private List<String> strings(String field) throws IOException {
      List<String> out = new ArrayList<>();
      if (isNull()) {
        return out;
      }
      expect(JsonToken.START_ARRAY, field, "an array of strings");
      while (p.nextToken() != JsonToken.END_ARRAY) {
        out.add(text(field));
      }
      return out;
    }

    /** A map of values by input name; null reads as empty. */
    private TreeMap<String, Value> inputs(String field) throws IOException {
      TreeMap<String, Value> out = new TreeMap<>();
      if (isNull()) {
        return out;
      }
      expect(JsonToken.START_OBJECT, field, "an object of values");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        out.put(name, ValueJson.read(p));
      }
      return out;
    }

    /** A map of sealed texts by input name. */
    private TreeMap<String, String> sealedTexts(String field) throws IOException {
      TreeMap<String, String> out = new TreeMap<>();
      expect(JsonToken.START_OBJECT, field, "an object of sealed texts");
      while (nextField()) {
        out.put(p.currentName(), text(field));
      }
      return out;
    }

    /** Adds the opened values of {@code sealed} to {@code into}, which must not hold them in clear too. */
    private void open(Map<String, String> sealed, Map<String, Value> into, String field) {
      for (Map.Entry<String, String> e : sealed.entrySet()) {
        if (into.put(e.getKey(), open(e.getValue())) != null) {
          throw unreadable("an input of '" + field + "' is both sealed and in clear");
        }
      }
    }

    private Value open(String sealed) {
      if (secrets.isEmpty()) {
        throw new StoreException("the stored " + what + " holds sensitive values sealed (encrypted) with a key, and "
            + "this store has no SecretCodec to open them: build the store with .secrets(...) holding that key");
      }
      SecretCodec codec = secrets.get();
      String plaintext = codec.open(sealed);
      if (!codec.currentKeyId().equals(codec.keyIdOf(sealed))) {
        stale = true;
      }
      try {
        return ValueJson.parse(plaintext);
      } catch (InvalidInputException e) {
        // no cause: a value that does not parse is still a secret
        throw unreadable("a sealed value opens to text that is not a value");
      }
    }

    /** With a codec, a sensitive value found in clear makes the document stale. */
    private void clearSensitive(Collection<String> sensitive, Map<String, Value> clear) {
      if (secrets.isPresent() && !stale) {
        for (String name : sensitive) {
          if (clear.containsKey(name)) {
            stale = true;
            return;
          }
        }
      }
    }

    // ------------------------------------------------------------ documents

    private Connection connection() throws IOException {
      expect(JsonToken.START_OBJECT, "connection", "an object");
      String from = null;
      String to = null;
      boolean collecting = false;
      Optional<String> key = Optional.empty();
      boolean output = false;
      while (nextField()) {
        switch (p.currentName()) {
          case "from" -> from = text("from");
          case "to" -> to = text("to");
          case "collecting" -> collecting = !isNull() && bool("collecting");
          case "key" -> key = isNull() ? Optional.empty() : Optional.of(text("key"));
          case "output" -> output = !isNull() && bool("output");
          default -> p.skipChildren();
        }
      }
      return new Connection(InputRef.parse(required(from, "from")), InputRef.parse(required(to, "to")), collecting,
          key, output);
    }

    private TreeSet<Connection> connections(String field) throws IOException {
      TreeSet<Connection> out = new TreeSet<>();
      if (isNull()) {
        return out;
      }
      expect(JsonToken.START_ARRAY, field, "an array of connections");
      while (p.nextToken() != JsonToken.END_ARRAY) {
        out.add(connection());
      }
      return out;
    }

    private Event event() throws IOException {
      expect(JsonToken.START_OBJECT, "event", "an object");
      String source = null;
      String trigger = null;
      String target = null;
      Optional<String> reaction = Optional.empty();
      while (nextField()) {
        switch (p.currentName()) {
          case "source" -> source = text("source");
          case "trigger" -> trigger = text("trigger");
          case "target" -> target = text("target");
          case "reaction" -> reaction = isNull() ? Optional.empty() : Optional.of(text("reaction"));
          default -> p.skipChildren();
        }
      }
      return new Event(ResourceId.of(required(source, "source")), required(trigger, "trigger"),
          ResourceId.of(required(target, "target")), reaction);
    }

    Resource resource() throws IOException {
      expect(JsonToken.START_OBJECT, RESOURCE, "an object");
      String id = null;
      String kind = null;
      TreeMap<String, Value> own = new TreeMap<>();
      TreeMap<String, Value> resolved = new TreeMap<>();
      Map<String, String> sealedOwn = Map.of();
      Map<String, String> sealedResolved = Map.of();
      List<String> sensitive = List.of();
      List<String> sensitiveFed = List.of();
      TreeSet<Connection> incoming = new TreeSet<>();
      TreeSet<Event> events = new TreeSet<>();
      Optional<ResourceId> location = Optional.empty();
      List<String> labels = List.of();
      boolean protect = false;
      TreeMap<String, Value> outputs = new TreeMap<>();
      Map<String, String> sealedOutputs = Map.of();
      List<String> sensitiveOutputs = List.of();
      while (nextField()) {
        switch (p.currentName()) {
          case "id" -> id = text("id");
          case "kind" -> kind = text("kind");
          case "protected" -> protect = !isNull() && bool("protected");
          case "outputs" -> outputs = inputs("outputs");
          case "sensitiveOutputs" -> sensitiveOutputs = strings("sensitiveOutputs");
          case "own" -> own = inputs("own");
          case "resolved" -> resolved = inputs("resolved");
          case "sensitive" -> sensitive = strings("sensitive");
          case "sensitiveFed" -> sensitiveFed = strings("sensitiveFed");
          case "incoming" -> incoming = connections("incoming");
          case "events" -> {
            if (!isNull()) {
              expect(JsonToken.START_ARRAY, "events", "an array of events");
              while (p.nextToken() != JsonToken.END_ARRAY) {
                events.add(event());
              }
            }
          }
          case "location" -> location = optionalId("location");
          case "labels" -> labels = strings("labels");
          case "sealed" -> {
            expect(JsonToken.START_OBJECT, "sealed", "an object");
            while (nextField()) {
              switch (p.currentName()) {
                case "own" -> sealedOwn = sealedTexts("own");
                case "resolved" -> sealedResolved = sealedTexts("resolved");
                case "outputs" -> sealedOutputs = sealedTexts("outputs");
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      clearSensitive(sensitive, own);
      clearSensitive(sensitive, resolved);
      clearSensitive(sensitiveFed, own);
      clearSensitive(sensitiveFed, resolved);
      open(sealedOwn, own, "own");
      open(sealedResolved, resolved, "resolved");
      clearSensitive(sensitiveOutputs, outputs);
      open(sealedOutputs, outputs, "outputs");
      return Resource.builder()
          .outputs(outputs)
          .sensitiveOutputs(sensitiveOutputs)
          .id(ResourceId.of(required(id, "id")))
          .kind(required(kind, "kind"))
          .ownInputs(own)
          .sensitiveInputs(sensitive)
          .sensitiveFedInputs(sensitiveFed)
          .incoming(incoming)
          .events(events)
          .location(location)
          .labels(labels)
          .resolvedInputs(resolved)
          .protect(protect)
          .build();
    }

    Edit edit() throws IOException {
      expect(JsonToken.START_OBJECT, "edit", "an object");
      String op = null;
      String id = null;
      String kind = null;
      String input = null;
      String label = null;
      TreeMap<String, Value> inputs = new TreeMap<>();
      Value value = null;
      List<String> sensitiveNames = List.of();
      boolean sensitive = false;
      Optional<ResourceId> location = Optional.empty();
      List<String> labels = List.of();
      boolean protect = false;
      Event event = null;
      Connection connection = null;
      Map<String, String> sealedInputs = Map.of();
      String sealedValue = null;
      TreeMap<String, Value> outputs = new TreeMap<>();
      Map<String, String> sealedOutputs = Map.of();
      List<String> sensitiveOutputs = List.of();
      while (nextField()) {
        switch (p.currentName()) {
          case "op" -> op = text("op");
          case "outputs" -> outputs = inputs("outputs");
          case "sensitiveOutputs" -> sensitiveOutputs = strings("sensitiveOutputs");
          case "id" -> id = text("id");
          case "kind" -> kind = text("kind");
          case "input" -> input = text("input");
          case "label" -> label = text("label");
          case "inputs" -> inputs = inputs("inputs");
          case "value" -> value = ValueJson.read(p);
          // a create names its sensitive inputs, a set says whether it marks its own
          case "sensitive" -> {
            if (p.currentToken() == JsonToken.START_ARRAY) {
              sensitiveNames = strings("sensitive");
            } else {
              sensitive = !isNull() && bool("sensitive");
            }
          }
          case "location" -> location = optionalId("location");
          case "labels" -> labels = strings("labels");
          case "protected" -> protect = !isNull() && bool("protected");
          case "event" -> event = event();
          case "connection" -> connection = connection();
          case "sealed" -> {
            expect(JsonToken.START_OBJECT, "sealed", "an object");
            while (nextField()) {
              switch (p.currentName()) {
                case "inputs" -> sealedInputs = sealedTexts("inputs");
                case "outputs" -> sealedOutputs = sealedTexts("outputs");
                case "value" -> sealedValue = text("value");
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      switch (required(op, "op")) {
        case "create":
        case "import": {
          clearSensitive(sensitiveNames, inputs);
          open(sealedInputs, inputs, "inputs");
          Edit.Create create = new Edit.Create(ResourceId.of(required(id, "id")), required(kind, "kind"), inputs,
              new TreeSet<>(sensitiveNames), location, new TreeSet<>(labels), protect);
          clearSensitive(sensitiveOutputs, outputs);
          open(sealedOutputs, outputs, "outputs");
          return op.equals("import") ? new Edit.Import(create, outputs, new TreeSet<>(sensitiveOutputs)) : create;
        }
        case "forget":
          return new Edit.Forget(ResourceId.of(required(id, "id")));
        case "touch":
          return new Edit.Touch(ResourceId.of(required(id, "id")));
        case "replace":
          return new Edit.Replace(ResourceId.of(required(id, "id")));
        case "adopt": {
          clearSensitive(sensitiveNames, inputs);
          open(sealedInputs, inputs, "inputs");
          clearSensitive(sensitiveOutputs, outputs);
          open(sealedOutputs, outputs, "outputs");
          return new Edit.Adopt(ResourceId.of(required(id, "id")), inputs, new TreeSet<>(sensitiveNames), outputs,
              new TreeSet<>(sensitiveOutputs));
        }
        case "set": {
          if (value != null && sealedValue != null) {
            throw unreadable("the value of a set is both sealed and in clear");
          }
          if (sealedValue != null) {
            value = open(sealedValue);
          } else if (sensitive && secrets.isPresent()) {
            stale = true;
          }
          return new Edit.SetInput(ResourceId.of(required(id, "id")), required(input, "input"),
              required(value, "value"), sensitive);
        }
        case "unset":
          return new Edit.UnsetInput(ResourceId.of(required(id, "id")), required(input, "input"));
        case "remove":
          return new Edit.Remove(ResourceId.of(required(id, "id")));
        case "place":
          return new Edit.Place(ResourceId.of(required(id, "id")), location);
        case "protect":
        case "unprotect":
          return new Edit.Protect(ResourceId.of(required(id, "id")), op.equals("protect"));
        case "label":
        case "unlabel":
          return new Edit.Label(ResourceId.of(required(id, "id")), required(label, "label"), op.equals("label"));
        case "addEvent":
          return new Edit.AddEvent(required(event, "event"));
        case "removeEvent":
          return new Edit.RemoveEvent(required(event, "event"));
        case "connect":
          return new Edit.Connect(required(connection, "connection"));
        case "disconnect":
          return new Edit.Disconnect(required(connection, "connection"));
        default:
          // not the op itself: a damaged row may hold anything
          throw unreadable("its 'op' is none Stagehand knows");
      }
    }

    CommitBody commit() throws IOException {
      expect(JsonToken.START_OBJECT, COMMIT, "an object");
      Action action = null;
      List<String> reactions = List.of();
      Instant time = null;
      Optional<Tag> revertOf = Optional.empty();
      String resource = null;
      Optional<Resource> before = Optional.empty();
      Optional<Resource> after = Optional.empty();
      SortedMap<String, TreeSet<Connection>> connections = new TreeMap<>();
      while (nextField()) {
        String field = p.currentName();
        switch (field) {
          case "action" -> {
            try {
              action = Action.valueOf(text("action"));
            } catch (IllegalArgumentException e) {
              throw unreadable("its 'action' is none Stagehand knows");
            }
          }
          case "reactions" -> reactions = strings("reactions");
          case "time" -> {
            try {
              time = Instant.parse(text("time"));
            } catch (DateTimeParseException e) {
              throw unreadable("its 'time' is not an instant");
            }
          }
          case "revertOf" -> revertOf = isNull() ? Optional.empty() : Optional.of(Tag.of(text("revertOf")));
          case "resource" -> resource = text("resource");
          case "before" -> before = isNull() ? Optional.empty() : Optional.of(resource());
          case "after" -> after = isNull() ? Optional.empty() : Optional.of(resource());
          case "connectionsBefore", "connectionsAfter" -> connections.put(field, connections(field));
          default -> p.skipChildren();
        }
      }
      Diff diff = Diff.builder()
          .resource(ResourceId.of(required(resource, "resource")))
          .before(before)
          .after(after)
          .connectionsBefore(connections.getOrDefault("connectionsBefore", new TreeSet<>()))
          .connectionsAfter(connections.getOrDefault("connectionsAfter", new TreeSet<>()))
          .recordOnly(action != null && !action.runsHandler())
          // an UPDATE committed with nothing changed was a touch
          .touched(action == Action.UPDATE && before.equals(after))
          .replaced(action == Action.REPLACE)
          .build();
      return new CommitBody(required(action, "action"), reactions, required(time, "time"), revertOf, diff);
    }
  }
}
