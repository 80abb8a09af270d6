package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stagehand.core.StoreException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.CommitDraft;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The stored JSON: every document round-trips with and without a {@link SecretCodec}; documents as
 * the jackson-databind codec before it wrote them (and as PostgreSQL's jsonb gives them back) still
 * read; unknown fields are skipped; a document that does not read says so without repeating its text.
 */
class JsonCodecTest {
  private static final JsonCodec CLEAR = new JsonCodec(Optional.empty());
  private static final byte[] KEY_1 = AesGcmSecretCodec.newKey();
  private static final byte[] KEY_2 = AesGcmSecretCodec.newKey();
  private static final SecretCodec CODEC_1 = AesGcmSecretCodec.builder().currentKey("k1", KEY_1).build();
  private static final SecretCodec CODEC_2 =
      AesGcmSecretCodec.builder().currentKey("k2", KEY_2).oldKey("k1", KEY_1).build();
  private static final JsonCodec SEALING_1 = new JsonCodec(Optional.of(CODEC_1));
  private static final JsonCodec SEALING_2 = new JsonCodec(Optional.of(CODEC_2));

  /** Written by the jackson-databind codec (commit 6c1e2b5) for {@link #keystone()}. */
  private static final String OLD_KEYSTONE = "{\"id\":\"k1\",\"kind\":\"keystone\",\"own\":{\"big\":123456789012345678901234567890.5"
      + ",\"cfg\":{\"a\":[true,false,-1.5]},\"endpoint\":{\"port\":443},\"huge\":1E+300"
      + ",\"name\":\"ünï \\\"q\\\" 日本 🚀\\n\\t\\u0007\",\"password\":\"s3cret\",\"port\":5E+3,\"small\":1E-30}"
      + ",\"sensitive\":[\"password\"],\"sensitiveFed\":[\"token\"],\"incoming\":[{\"from\":\"a.x\",\"to\":\"k1.endpoint\""
      + ",\"key\":\"host\"},{\"from\":\"n1.ip\",\"to\":\"k1.backends\",\"collecting\":true},{\"from\":\"n2.ip\""
      + ",\"to\":\"k1.backends\",\"collecting\":true},{\"from\":\"n2.port\",\"to\":\"k1.pool\",\"collecting\":true"
      + ",\"key\":\"port\"},{\"from\":\"node1.ip\",\"to\":\"k1.ip\"},{\"from\":\"vault.token\",\"to\":\"k1.token\"}]"
      + ",\"events\":[{\"source\":\"cfg\",\"trigger\":\"UPDATE\",\"target\":\"k1\""
      + ",\"reaction\":\"restart\"},{\"source\":\"db\",\"trigger\":\"*\",\"target\":\"k1\"}],\"location\":\"node1\""
      + ",\"labels\":[\"frontend\",\"web\"],\"resolved\":{\"backends\":[\"10.0.0.1\",\"10.0.0.2\"]"
      + ",\"big\":123456789012345678901234567890.5,\"cfg\":{\"a\":[true,false,-1.5]},\"endpoint\":{\"host\":\"h1\""
      + ",\"port\":443},\"huge\":1E+300,\"ip\":\"10.0.0.1\",\"name\":\"ünï \\\"q\\\" 日本 🚀\\n\\t\\u0007\""
      + ",\"password\":\"s3cret\",\"pool\":[{\"port\":8E+1}],\"port\":5E+3,\"small\":1E-30,\"token\":\"t0ken\"}}";

  /** {@link #OLD_KEYSTONE} as PostgreSQL's jsonb gives it back: keys by length, spaces, numbers spelt out. */
  private static final String JSONB_KEYSTONE = ("{\"id\": \"k1\", \"own\": {\"big\": 123456789012345678901234567890.5, "
      + "\"cfg\": {\"a\": [true, false, -1.5]}, \"huge\": HUGE, \"name\": \"ünï \\\"q\\\" 日本 🚀\\n\\t\\u0007\", "
      + "\"port\": 5000, \"small\": 0.000000000000000000000000000001, \"endpoint\": {\"port\": 443}, "
      + "\"password\": \"s3cret\"}, \"kind\": \"keystone\", \"events\": [{\"source\": \"cfg\", \"target\": \"k1\", "
      + "\"trigger\": \"UPDATE\", \"reaction\": \"restart\"}, {\"source\": \"db\", \"target\": \"k1\", \"trigger\": \"*\"}], "
      + "\"labels\": [\"frontend\", \"web\"], \"incoming\": [{\"to\": \"k1.endpoint\", \"key\": \"host\", \"from\": \"a.x\"}, "
      + "{\"to\": \"k1.backends\", \"from\": \"n1.ip\", \"collecting\": true}, {\"to\": \"k1.backends\", \"from\": \"n2.ip\", "
      + "\"collecting\": true}, {\"to\": \"k1.pool\", \"key\": \"port\", \"from\": \"n2.port\", \"collecting\": true}, "
      + "{\"to\": \"k1.ip\", \"from\": \"node1.ip\"}, {\"to\": \"k1.token\", \"from\": \"vault.token\"}], \"location\": \"node1\", "
      + "\"resolved\": {\"ip\": \"10.0.0.1\", \"big\": 123456789012345678901234567890.5, \"cfg\": {\"a\": [true, false, -1.5]}, "
      + "\"huge\": HUGE, \"name\": \"ünï \\\"q\\\" 日本 🚀\\n\\t\\u0007\", \"pool\": [{\"port\": 80}], \"port\": 5000, "
      + "\"small\": 0.000000000000000000000000000001, \"token\": \"t0ken\", \"backends\": [\"10.0.0.1\", \"10.0.0.2\"], "
      + "\"endpoint\": {\"host\": \"h1\", \"port\": 443}, \"password\": \"s3cret\"}, \"sensitive\": [\"password\"], "
      + "\"sensitiveFed\": [\"token\"]}").replace("HUGE", "1" + "0".repeat(300));

  /** Written by the jackson-databind codec for {@link #edits()}, in that order. */
  private static final List<String> OLD_EDITS = List.of(
      "{\"op\":\"create\",\"id\":\"db\",\"kind\":\"postgres\",\"inputs\":{\"port\":5432,\"pw\":\"x\"},"
          + "\"sensitive\":[\"pw\"],\"location\":\"node1\",\"labels\":[\"data\"]}",
      "{\"op\":\"create\",\"id\":\"a\",\"kind\":\"svc\",\"inputs\":{},\"sensitive\":[],\"labels\":[]}",
      "{\"op\":\"set\",\"id\":\"k1\",\"input\":\"port\",\"value\":5001}",
      "{\"op\":\"set\",\"id\":\"db\",\"input\":\"pw\",\"value\":\"n3w\",\"sensitive\":true}",
      "{\"op\":\"unset\",\"id\":\"k1\",\"input\":\"port\"}",
      "{\"op\":\"remove\",\"id\":\"k1\"}",
      "{\"op\":\"connect\",\"connection\":{\"from\":\"node1.ip\",\"to\":\"k1.ip\"}}",
      "{\"op\":\"connect\",\"connection\":{\"from\":\"n1.ip\",\"to\":\"k1.backends\",\"collecting\":true}}",
      "{\"op\":\"connect\",\"connection\":{\"from\":\"n2.port\",\"to\":\"k1.pool\",\"collecting\":true,\"key\":\"port\"}}",
      "{\"op\":\"connect\",\"connection\":{\"from\":\"a.x\",\"to\":\"k1.endpoint\",\"key\":\"host\"}}",
      "{\"op\":\"disconnect\",\"connection\":{\"from\":\"node1.ip\",\"to\":\"k1.ip\"}}",
      "{\"op\":\"place\",\"id\":\"k1\",\"location\":\"node1\"}",
      "{\"op\":\"place\",\"id\":\"k1\"}",
      "{\"op\":\"label\",\"id\":\"k1\",\"label\":\"web\"}",
      "{\"op\":\"unlabel\",\"id\":\"k1\",\"label\":\"web\"}",
      "{\"op\":\"addEvent\",\"event\":{\"source\":\"db\",\"trigger\":\"*\",\"target\":\"k1\"}}",
      "{\"op\":\"addEvent\",\"event\":{\"source\":\"cfg\",\"trigger\":\"UPDATE\",\"target\":\"k1\",\"reaction\":\"restart\"}}",
      "{\"op\":\"removeEvent\",\"event\":{\"source\":\"db\",\"trigger\":\"*\",\"target\":\"k1\"}}");

  /** Written by the jackson-databind codec for {@link #commits()}, in that order. */
  private static final List<String> OLD_COMMITS = List.of(
      "{\"action\":\"REACT\",\"reactions\":[\"restart\",\"reload\"],\"time\":\"2026-12-02T11:00:00.123456Z\","
          + "\"revertOf\":\"t0\",\"resource\":\"k1\",\"before\":" + OLD_KEYSTONE + ",\"after\":" + OLD_KEYSTONE
          + ",\"connectionsBefore\":[{\"from\":\"node1.ip\",\"to\":\"k1.ip\"}],\"connectionsAfter\":[{\"from\":\"a.x\","
          + "\"to\":\"k1.endpoint\",\"key\":\"host\"},{\"from\":\"n1.ip\",\"to\":\"k1.backends\",\"collecting\":true},"
          + "{\"from\":\"n2.ip\",\"to\":\"k1.backends\",\"collecting\":true},{\"from\":\"n2.port\",\"to\":\"k1.pool\","
          + "\"collecting\":true,\"key\":\"port\"},{\"from\":\"node1.ip\",\"to\":\"k1.ip\"},{\"from\":\"vault.token\","
          + "\"to\":\"k1.token\"}]}",
      "{\"action\":\"RUN\",\"time\":\"2026-12-02T11:00:00Z\",\"resource\":\"a\",\"after\":{\"id\":\"a\",\"kind\":\"svc\","
          + "\"own\":{},\"resolved\":{}},\"connectionsBefore\":[],\"connectionsAfter\":[]}",
      "{\"action\":\"REMOVE\",\"time\":\"2026-12-02T11:00:01Z\",\"resource\":\"a\",\"before\":{\"id\":\"a\","
          + "\"kind\":\"svc\",\"own\":{},\"resolved\":{}},\"connectionsBefore\":[],\"connectionsAfter\":[]}");

  /**
   * A resource with everything a resource can hold: a hand-marked and a fed sensitive input, plain,
   * keyed, collecting and keyed collecting connections, events, a location, labels, numbers large,
   * small and exact, and text in several scripts with control characters.
   */
  static Resource keystone() {
    Map<String, Value> own = new TreeMap<>();
    own.put("port", Value.of(5000));
    own.put("big", Value.of(new BigDecimal("123456789012345678901234567890.5")));
    own.put("small", Value.of(new BigDecimal("1E-30")));
    own.put("huge", Value.of(new BigDecimal("1E+300")));
    own.put("name", Value.of("ünï \"q\" 日本 🚀\n\t\u0007"));
    own.put("cfg", Value.map(Map.of("a", Value.list(Value.of(true), Value.of(false),
        Value.of(new BigDecimal("-1.50"))))));
    own.put("password", Value.of("s3cret"));
    own.put("endpoint", Value.map(Map.of("port", Value.of(443))));
    Map<String, Value> resolved = new TreeMap<>(own);
    resolved.put("ip", Value.of("10.0.0.1"));
    resolved.put("token", Value.of("t0ken"));
    resolved.put("endpoint", Value.map(Map.of("port", Value.of(443), "host", Value.of("h1"))));
    resolved.put("backends", Value.list(Value.of("10.0.0.1"), Value.of("10.0.0.2")));
    resolved.put("pool", Value.list(Value.map(Map.of("port", Value.of(80)))));
    return Resource.builder().id(ResourceId.of("k1")).kind("keystone").ownInputs(own)
        .addSensitiveInputs("password").sensitiveFedInputs(List.of("token"))
        .incoming(List.of(Connection.of("node1.ip", "k1.ip"), Connection.of("vault.token", "k1.token"),
            Connection.of("a.x", "k1.endpoint.host"), Connection.collecting("n1.ip", "k1.backends"),
            Connection.collecting("n2.ip", "k1.backends"), Connection.parse("n2.port -> k1.pool[].port")))
        .events(List.of(Event.dependsOn("k1", "db"), Event.reaction("cfg", "UPDATE", "k1", "restart")))
        .location(ResourceId.of("node1")).labels(List.of("frontend", "web")).resolvedInputs(resolved).build();
  }

  private static Resource plain() {
    return Resource.builder().id(ResourceId.of("a")).kind("svc").build();
  }

  /** Every kind of edit. */
  static List<Edit> edits() {
    return List.of(
        new Edit.Create(ResourceId.of("db"), "postgres", new TreeMap<>(Map.of("pw", Value.of("x"),
            "port", Value.of(5432))), new TreeSet<>(Set.of("pw")), Optional.of(ResourceId.of("node1")),
            new TreeSet<>(Set.of("data"))),
        Edit.create("a", "svc"),
        Edit.set("k1", "port", 5001), Edit.setSensitive("db", "pw", "n3w"), Edit.unset("k1", "port"),
        Edit.remove("k1"), Edit.connect("node1.ip", "k1.ip"), Edit.connectCollecting("n1.ip", "k1.backends"),
        new Edit.Connect(Connection.parse("n2.port -> k1.pool[].port")),
        new Edit.Connect(Connection.of("a.x", "k1.endpoint.host")), Edit.disconnect("node1.ip", "k1.ip"),
        Edit.place("k1", "node1"), Edit.unplace("k1"), Edit.label("k1", "web"), Edit.unlabel("k1", "web"),
        Edit.dependOn("k1", "db"), Edit.react("cfg", "UPDATE", "k1", "restart"),
        new Edit.RemoveEvent(Event.dependsOn("k1", "db")));
  }

  /** A reaction reverting t0 with the same resource before and after, a creation and a removal. */
  static List<CommitDraft> commits() {
    Resource k = keystone();
    Diff d = Diff.builder().resource(k.id()).before(k).after(k)
        .connectionsBefore(List.of(Connection.of("node1.ip", "k1.ip"))).connectionsAfter(k.incoming()).build();
    return List.of(
        CommitDraft.builder().tag(Tag.of("t1")).index(0).diff(d).action(Action.REACT)
            .reactions(List.of("restart", "reload")).time(Instant.parse("2026-12-02T11:00:00.123456Z"))
            .revertOf(Tag.of("t0")).build(),
        CommitDraft.builder().tag(Tag.of("t1")).index(1).diff(Diff.builder().resource(ResourceId.of("a"))
            .after(plain()).build()).action(Action.RUN).time(Instant.parse("2026-12-02T11:00:00Z")).build(),
        CommitDraft.builder().tag(Tag.of("t2")).index(0).diff(Diff.builder().resource(ResourceId.of("a"))
            .before(plain()).build()).action(Action.REMOVE).time(Instant.parse("2026-12-02T11:00:01Z")).build());
  }

  private static Commit read(JsonCodec codec, String text, CommitDraft like) {
    return codec.readCommit(text, like.tag(), like.index(), CommitPosition.global(7));
  }

  private static Commit placed(CommitDraft draft) {
    return Commit.of(draft, CommitPosition.global(7));
  }

  // ---------------------------------------------------------------- the old format

  @Test
  void documentsTheDatabindCodecWroteReadAsTheyWere() {
    assertThat(CLEAR.readResource(OLD_KEYSTONE)).isEqualTo(keystone());
    assertThat(CLEAR.readResource(JSONB_KEYSTONE)).isEqualTo(keystone());
    for (int i = 0; i < OLD_EDITS.size(); i++) {
      assertThat(CLEAR.readEdit(OLD_EDITS.get(i))).as(OLD_EDITS.get(i)).isEqualTo(edits().get(i));
    }
    for (int i = 0; i < OLD_COMMITS.size(); i++) {
      CommitDraft draft = commits().get(i);
      assertThat(read(CLEAR, OLD_COMMITS.get(i), draft)).isEqualTo(placed(draft));
    }
    // a codec with keys reads clear documents too: a database written before it was given one
    assertThat(SEALING_1.readResource(OLD_KEYSTONE)).isEqualTo(keystone());
    assertThat(read(SEALING_1, OLD_COMMITS.get(0), commits().get(0))).isEqualTo(placed(commits().get(0)));
  }

  @Test
  void withoutACodecTheFormatIsTheOldOneToTheByte() {
    for (int i = 0; i < OLD_EDITS.size(); i++) {
      assertThat(CLEAR.write(edits().get(i))).isEqualTo(OLD_EDITS.get(i));
    }
    assertThat(CLEAR.write(commits().get(1))).isEqualTo(OLD_COMMITS.get(1));
    assertThat(CLEAR.write(commits().get(2))).isEqualTo(OLD_COMMITS.get(2));
    // numbers are now written plain up to 40 digits of exponent ("5000" where databind wrote "5E+3"):
    // the same numbers, and the databind reader read both
    String written = CLEAR.write(keystone());
    assertThat(written).isEqualTo(OLD_KEYSTONE.replace("5E+3", "5000").replace("8E+1", "80")
        .replace("1E-30", "0.000000000000000000000000000001"));
  }

  @Test
  void everyDocumentRoundTripsWithAndWithoutACodec() {
    for (JsonCodec codec : List.of(CLEAR, SEALING_1)) {
      assertThat(codec.readResource(codec.write(keystone()))).isEqualTo(keystone());
      assertThat(codec.readResource(codec.write(plain()))).isEqualTo(plain());
      for (Edit e : edits()) {
        assertThat(codec.readEdit(codec.write(e))).isEqualTo(e);
      }
      for (CommitDraft c : commits()) {
        assertThat(read(codec, codec.write(c), c)).isEqualTo(placed(c));
      }
    }
  }

  @Test
  void unknownFieldsAreSkippedWherever() {
    String future = "\"future\":{\"x\":[1,{\"y\":null}],\"z\":\"s\"},";
    String resource = OLD_KEYSTONE.replace("{\"id\":\"k1\",", "{" + future + "\"id\":\"k1\",")
        .replace("{\"from\":\"a.x\",", "{" + future + "\"from\":\"a.x\",")
        .replace("{\"source\":\"db\",", "{" + future + "\"source\":\"db\",");
    assertThat(CLEAR.readResource(resource)).isEqualTo(keystone());
    Edit set = Edit.setSensitive("db", "pw", "n3w");
    String sealed = SEALING_1.write(set).replace("\"sealed\":{", "\"sealed\":{" + future);
    assertThat(SEALING_1.readEdit(sealed)).isEqualTo(set);
    String commit = OLD_COMMITS.get(1).replace("{\"action\":", "{\"later\":[[[]]],\"action\":");
    assertThat(read(CLEAR, commit, commits().get(1))).isEqualTo(placed(commits().get(1)));
  }

  // ---------------------------------------------------------------- sealing

  @Test
  void sensitiveValuesAreWrittenSealedAndOnlyThose() {
    String written = SEALING_1.write(keystone());
    assertThat(written).doesNotContain("s3cret", "t0ken")
        .contains("\"sealed\":{\"own\":{\"password\":\"v1:k1:")
        .contains("\"resolved\":{\"password\":\"v1:k1:")
        .contains("\"token\":\"v1:k1:")
        .contains("日本", "\"ip\":\"10.0.0.1\"");
    String create = SEALING_1.write(edits().get(0));
    assertThat(create).doesNotContain("\"x\"").contains("\"inputs\":{\"port\":5432}", "\"sealed\":{\"inputs\":{\"pw\":");
    String set = SEALING_1.write(Edit.setSensitive("db", "pw", Map.of("user", "n3w")));
    assertThat(set).doesNotContain("n3w", "\"value\":{").contains("\"sensitive\":true,\"sealed\":{\"value\":\"v1:k1:");
    assertThat(SEALING_1.write(Edit.set("k1", "port", 5001))).isEqualTo(OLD_EDITS.get(2));
    String commit = SEALING_1.write(commits().get(0));
    assertThat(commit).doesNotContain("s3cret", "t0ken");
    assertThat(SEALING_1.write(plain())).isEqualTo(CLEAR.write(plain()));
  }

  @Test
  void aSealedDocumentWithoutACodecSaysWhatItNeeds() {
    for (String text : List.of(SEALING_1.write(keystone()), SEALING_1.write(edits().get(3)),
        SEALING_1.write(commits().get(0)))) {
      Throwable thrown = catchThrowable(() -> {
        if (text.startsWith("{\"op\"")) {
          CLEAR.readEdit(text);
        } else if (text.startsWith("{\"action\"")) {
          read(CLEAR, text, commits().get(0));
        } else {
          CLEAR.readResource(text);
        }
      });
      assertThat(thrown).isInstanceOf(StoreException.class)
          .hasMessageContaining("sealed (encrypted)").hasMessageContaining(".secrets(...)");
    }
  }

  @Test
  void aValueUnderAKeyTheCodecLacksOrTamperedWithDoesNotOpen() {
    String written = SEALING_2.write(keystone());
    assertThatThrownBy(() -> SEALING_1.readResource(written)).isInstanceOf(StoreException.class)
        .hasMessageContaining("\"k2\"").hasMessageNotContaining("s3cret");
    SecretCodec wrongKey = AesGcmSecretCodec.builder().currentKey("k2", AesGcmSecretCodec.newKey()).build();
    assertThatThrownBy(() -> new JsonCodec(Optional.of(wrongKey)).readResource(written))
        .isInstanceOf(StoreException.class).hasMessageContaining("does not open").hasMessageNotContaining("s3cret");
  }

  @Test
  void resealingRewritesOnlyWhatIsNotUnderTheCurrentKey() {
    String underK1 = SEALING_1.write(commits().get(0));
    assertThat(SEALING_1.resealCommit(underK1)).isEmpty();
    String underK2 = SEALING_2.resealCommit(underK1).orElseThrow();
    assertThat(underK2).contains("v1:k2:").doesNotContain("v1:k1:");
    assertThat(SEALING_2.resealCommit(underK2)).isEmpty();
    assertThat(read(SEALING_2, underK2, commits().get(0))).isEqualTo(placed(commits().get(0)));
    // sensitive values in clear are sealed; documents without any are left alone
    assertThat(SEALING_2.resealResource(OLD_KEYSTONE)).hasValueSatisfying(
        text -> assertThat(text).doesNotContain("s3cret", "t0ken").contains("v1:k2:"));
    assertThat(SEALING_2.resealEdit(OLD_EDITS.get(0))).hasValueSatisfying(text -> assertThat(text).contains("v1:k2:"));
    assertThat(SEALING_2.resealEdit(OLD_EDITS.get(3))).hasValueSatisfying(
        text -> assertThat(text).doesNotContain("n3w"));
    assertThat(SEALING_2.resealEdit(OLD_EDITS.get(1))).isEmpty();
    assertThat(SEALING_2.resealEdit(OLD_EDITS.get(2))).isEmpty();
    assertThat(SEALING_2.resealCommit(OLD_COMMITS.get(1))).isEmpty();
    assertThat(SEALING_2.resealResource(SEALING_2.write(keystone()))).isEmpty();
  }

  // ---------------------------------------------------------------- what does not read

  @Test
  void anUnreadableDocumentIsAStoreExceptionThatRepeatsNoneOfItsText() {
    String secret = "hunter2";
    List<String> resources = List.of(
        "{\"id\":\"a\",\"kind\":\"svc\",\"own\":{\"pw\":\"" + secret,
        "{\"id\":\"a\",\"kind\":\"svc\",\"own\":{\"pw\":" + secret + "}}",
        "{\"id\":\"a\",\"kind\":\"svc\",\"own\":{\"pw\":null,\"x\":\"" + secret + "\"}}",
        "{\"id\":\"a\",\"kind\":\"svc\",\"own\":{\"pw\":\"" + secret + "\",\"pw\":\"" + secret + "\"}}",
        "{\"id\":\"a\",\"kind\":\"svc\",\"own\":[\"" + secret + "\"]}",
        "{\"id\":\"" + secret + "!\",\"kind\":\"svc\"}",
        "{\"id\":\"a\",\"kind\":\"svc\",\"own\":{\"pw\":\"" + secret + "\"}} " + secret,
        "{\"kind\":\"" + secret + "\"}",
        "{\"id\":\"a\",\"kind\":\"svc\",\"own\":{\"pw\":\"" + secret + "\"},\"sealed\":{\"own\":{\"pw\":\"v1:k1:AAAA\"}}}",
        "{\"id\":\"a\",\"kind\":\"svc\",\"sealed\":{\"own\":{\"pw\":\"" + secret + "\"}}}",
        "");
    for (String text : resources) {
      Throwable thrown = catchThrowable(() -> SEALING_1.readResource(text));
      assertThat(thrown).as(text).isInstanceOf(StoreException.class);
      for (Throwable t = thrown; t != null; t = t.getCause()) {
        assertThat(t.getMessage()).as(text).doesNotContain(secret);
      }
    }
    assertThat(catchThrowable(() -> CLEAR.readResource(resources.get(1)))).hasMessageStartingWith(
        "the stored resource is unreadable at character ").hasNoCause();
    for (String text : List.of("{\"op\":\"" + secret + "\"}", "{\"op\":\"set\",\"id\":\"a\",\"input\":\"x\"}")) {
      assertThat(catchThrowable(() -> CLEAR.readEdit(text))).isInstanceOf(StoreException.class)
          .hasMessageNotContaining(secret).hasMessageStartingWith("the stored staged edit is unreadable");
    }
    for (String text : List.of(OLD_COMMITS.get(1).replace("RUN", secret),
        OLD_COMMITS.get(1).replace("2026-12-02T11:00:00Z", secret))) {
      assertThat(catchThrowable(() -> read(CLEAR, text, commits().get(1)))).isInstanceOf(StoreException.class)
          .hasMessageNotContaining(secret).hasMessageStartingWith("the stored commit is unreadable");
    }
  }

  @Test
  void valuesNestedToTheLimitReadInsideACommitAndDeeperOnesDoNot() {
    Value deep = Value.of(1);
    for (int i = 0; i < 64; i++) {
      deep = Value.list(deep);
    }
    Resource r = Resource.builder().id(ResourceId.of("a")).kind("svc").ownInputs(Map.of("d", deep))
        .resolvedInputs(Map.of("d", deep)).build();
    CommitDraft c = CommitDraft.builder().tag(Tag.of("t")).index(0).action(Action.RUN).time(Instant.EPOCH)
        .diff(Diff.builder().resource(r.id()).after(r).build()).build();
    String text = CLEAR.write(c);
    assertThat(read(CLEAR, text, c)).isEqualTo(placed(c));
    String deeper = text.replace("\"own\":{\"d\":", "\"own\":{\"d\":[").replace("]},\"resolved\"", "]]},\"resolved\"");
    assertThatThrownBy(() -> read(CLEAR, deeper, c)).isInstanceOf(StoreException.class)
        .hasMessageContaining("unreadable");
  }
}
