package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.StoreException;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.Value;
import io.stagehand.store.api.StoreSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensitive values at rest, on SQLite and PostgreSQL with both commit logs: with a {@link SecretCodec}
 * no plaintext is in any byte of the SQLite files nor in any row on PostgreSQL, staged log included,
 * and everything reads back as it was; without one the plaintext is there to find (so these checks
 * can fail). Rotation leaves only the new key's id, and turns a database written in clear into a
 * sealed one. A wrong or missing key is a StoreException that shows no value.
 */
class SecretsTest {
  private static final HikariDataSource POSTGRES = TestDatabases.newPostgres();
  /** Every run of a scenario gets the same commit times, so that snapshots of two stores compare. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
  private static final byte[] KEY_1 = AesGcmSecretCodec.newKey();
  private static final byte[] KEY_2 = AesGcmSecretCodec.newKey();
  private static final SecretCodec CODEC_1 = AesGcmSecretCodec.builder().currentKey("k1", KEY_1).build();

  @TempDir
  Path dir;

  private final String first = "first-" + UUID.randomUUID();
  private final String second = "second-" + UUID.randomUUID();
  private final String third = "third-" + UUID.randomUUID();
  /** A sensitive output the handler of api returns, and one an import records. */
  private static final String SESSION = "session-" + UUID.randomUUID();
  private final String imported = "imported-" + UUID.randomUUID();

  /** Where one store lives: a SQLite file opened as {@code sqliteFile} does, or a prefix on PostgreSQL. */
  private record Place(Optional<Path> file, String prefix, CommitLogVariant variant) {
    JdbcStore open(Optional<SecretCodec> codec) {
      JdbcStore.Builder b = JdbcStore.builder().variant(variant).createSchemaIfMissing(true);
      if (file.isPresent()) {
        b.sqliteFile(file.get());
      } else {
        b.dataSource(POSTGRES).tablePrefix(prefix);
      }
      codec.ifPresent(b::secrets);
      return b.build();
    }

    /** The text of every row of every table of the store, each column as the database gives it as text. */
    String rows() {
      StringBuilder out = new StringBuilder();
      try (Connection c = file.isPresent() ? DriverManager.getConnection("jdbc:sqlite:" + file.get())
          : POSTGRES.getConnection(); Statement st = c.createStatement()) {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(file.isPresent() ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
          while (rs.next()) {
            if (rs.getString(1).startsWith(prefix)) {
              tables.add(rs.getString(1));
            }
          }
        }
        assertThat(tables).as("the store's tables").contains(prefix + "staged", prefix + "resources", prefix + "commits");
        for (String table : tables) {
          try (ResultSet rs = st.executeQuery(file.isPresent() ? "SELECT * FROM " + table
              : "SELECT t::text FROM " + table + " t")) {
            while (rs.next()) {
              for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.append(rs.getString(i)).append('\n');
              }
            }
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return out.toString();
    }

    /**
     * What a search of the store's storage finds: every byte of the SQLite file and its -wal and -shm
     * files (bytes as Latin-1 characters, so that a UTF-8 text is found by its bytes), or every row
     * on PostgreSQL.
     */
    String everything() {
      if (file.isEmpty()) {
        return rows();
      }
      StringBuilder out = new StringBuilder();
      for (String suffix : List.of("", "-wal", "-shm")) {
        Path f = Path.of(file.get() + suffix);
        try {
          if (Files.exists(f)) {
            out.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return out.toString();
    }

    boolean holds(String text) {
      return everything().contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }
  }

  /** A new place of each database and commit log. */
  private List<Place> places(String name) {
    List<Place> out = new ArrayList<>();
    for (CommitLogVariant variant : CommitLogVariant.values()) {
      out.add(new Place(Optional.of(dir.resolve(name + "-" + variant + ".db")), "stagehand_", variant));
      out.add(new Place(Optional.empty(), TestDatabases.nextPrefix(), variant));
    }
    return out;
  }

  private static Orchestrator orchestrator(JdbcStore store) {
    return Orchestrator.builder().store(store).handler(c -> {
      if (c.resource().name().equals("api") && c.action() == io.stagehand.core.model.Action.RUN) {
        c.putSensitiveOutput("session", SESSION);
      }
    }).logProgress(false).clock(CLOCK).build();
  }

  private static JdbcStore open(Place place, SecretCodec codec) {
    return place.open(Optional.of(codec));
  }

  private static JdbcStore openClear(Place place) {
    return place.open(Optional.empty());
  }

  /** The scenario: a secret, a service fed from it, a new value for it; the staged diffs it shows. */
  private List<Diff> stage(Orchestrator o) {
    o.stage(Edit.parse("create vault secret token!=\"" + first + "\""), Edit.parse("create api svc"),
        Edit.parse("connect vault.token -> api.token"),
        Edit.parse("import kms kms out.key!=\"" + imported + "\""));
    o.stage(Edit.parse("set vault token!=\"" + second + "\""));
    return o.staged();
  }

  private static void apply(Orchestrator o) {
    assertThat(o.apply(ApplyOptions.builder().tag("t1").parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build())
        .succeeded()).isTrue();
  }

  /** Many rows of every kind, so that rotation reads each table in several pages. */
  @Test
  void rotationReadsLargeTablesPageByPage() {
    SecretCodec both = AesGcmSecretCodec.builder().currentKey("k2", KEY_2).oldKey("k1", KEY_1).build();
    int n = 600;
    for (Place place : places("many")) {
      StoreSnapshot before;
      try (JdbcStore store = open(place, CODEC_1)) {
        Orchestrator o = orchestrator(store);
        List<Edit> edits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          edits.add(Edit.create("s" + i, "svc", java.util.Map.of("pw", first + i, "port", i), java.util.Set.of("pw")));
        }
        o.stage(edits);
        // three commits per resource: pages of the per-resource log end inside a resource's versions
        for (int round = 1; round <= 3; round++) {
          if (round > 1) {
            List<Edit> sets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              sets.add(Edit.setSensitive("s" + i, "pw", second + round + "-" + i));
            }
            o.stage(sets);
          }
          assertThat(o.apply(ApplyOptions.builder().tag("t" + round).build()).succeeded()).isTrue();
        }
        List<Edit> staged = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          staged.add(Edit.setSensitive("s" + i, "pw", third + i));
        }
        o.stage(staged);
        before = StoreSnapshot.of(store);
      }
      try (JdbcStore store = open(place, both)) {
        assertThat(store.rotateSecrets()).as("staged, resources and commits of %s", place).isEqualTo(n + n + 3 * n);
        assertThat(StoreSnapshot.of(store)).isEqualTo(before);
      }
      assertThat(place.rows()).doesNotContain("v1:k1:");
    }
  }

  @Test
  void withACodecNoPlaintextIsStoredAndEverythingReadsBackAsWithout() {
    for (int i = 0; i < 4; i++) {
      Place sealed = places("sealed" + i).get(i);
      Place clear = places("clear" + i).get(i);
      try (JdbcStore s = open(sealed, CODEC_1); JdbcStore c = openClear(clear)) {
        Orchestrator os = orchestrator(s);
        Orchestrator oc = orchestrator(c);
        List<Diff> stagedSealed = stage(os);
        List<Diff> stagedClear = stage(oc);
        assertThat(stagedSealed).isEqualTo(stagedClear);
        assertThat(os.stagedEntries()).isEqualTo(oc.stagedEntries());
        for (String plaintext : List.of(first, second, imported)) {
          assertThat(sealed.holds(plaintext)).as("%s staged: %s in %s", sealed, plaintext, sealed).isFalse();
          assertThat(clear.holds(plaintext)).as("%s staged in clear: %s", clear, plaintext).isTrue();
        }
        apply(os);
        apply(oc);
        os.stage(Edit.parse("set vault token!=\"" + third + "\""));
        oc.stage(Edit.parse("set vault token!=\"" + third + "\""));
        for (String plaintext : List.of(first, second, third, SESSION, imported)) {
          assertThat(sealed.holds(plaintext)).as("%s applied: %s", sealed, plaintext).isFalse();
        }
        assertThat(clear.holds(second)).as("%s applied in clear", clear).isTrue();
        assertThat(clear.holds(SESSION)).as("%s output applied in clear", clear).isTrue();
        assertThat(clear.holds(third)).as("%s staged in clear", clear).isTrue();
        // the values come back through the public API, as the store without a codec gives them
        Resource api = os.appliedState().get("api").orElseThrow();
        assertThat(api.resolved("token")).contains(Value.of(second));
        assertThat(api.isSensitive("token")).isTrue();
        assertThat(api.outputs()).containsEntry("session", Value.of(SESSION));
        assertThat(api.isSensitiveOutput("session")).isTrue();
        assertThat(os.appliedState().get("kms").orElseThrow().outputs()).containsEntry("key", Value.of(imported));
        assertThat(os.appliedState()).isEqualTo(oc.appliedState());
        assertThat(os.history()).isEqualTo(oc.history()).hasSize(3);
        assertThat(os.staged()).isEqualTo(oc.staged());
        assertThat(StoreSnapshot.of(s)).isEqualTo(StoreSnapshot.of(c));
      }
      // closed: SQLite has checkpointed its WAL into the file
      for (String plaintext : List.of(first, second, third, SESSION, imported)) {
        assertThat(sealed.holds(plaintext)).as("%s closed: %s", sealed, plaintext).isFalse();
      }
    }
  }

  @Test
  void rotationReSealsEverythingUnderTheNewKeyInOneCall() {
    SecretCodec both = AesGcmSecretCodec.builder().currentKey("k2", KEY_2).oldKey("k1", KEY_1).build();
    SecretCodec onlyNew = AesGcmSecretCodec.builder().currentKey("k2", KEY_2).build();
    for (Place place : places("rotate")) {
      StoreSnapshot before;
      try (JdbcStore store = open(place, CODEC_1)) {
        Orchestrator o = orchestrator(store);
        stage(o);
        apply(o);
        o.stage(Edit.parse("set vault token!=\"" + third + "\""));
        before = StoreSnapshot.of(store);
      }
      assertThat(place.rows()).contains("v1:k1:").doesNotContain("v1:k2:");
      try (JdbcStore store = open(place, both)) {
        // the staged set, vault and api, and their commits at least
        assertThat(store.rotateSecrets()).as("rows rewritten in %s", place).isGreaterThanOrEqualTo(5);
        assertThat(store.rotateSecrets()).as("rows rewritten again").isZero();
      }
      assertThat(place.rows()).contains("v1:k2:").doesNotContain("v1:k1:");
      if (place.file().isPresent()) {
        assertThat(place.everything()).as("the old ciphertexts in the SQLite files").doesNotContain("v1:k1:");
      }
      try (JdbcStore store = open(place, onlyNew)) {
        assertThat(StoreSnapshot.of(store)).isEqualTo(before);
      }
      try (JdbcStore store = open(place, CODEC_1)) {
        assertThat(catchThrowable(() -> StoreSnapshot.of(store))).isInstanceOf(StoreException.class)
            .hasMessageContaining("\"k2\"");
      }
    }
  }

  @Test
  void aCodecGivenToADatabaseWrittenInClearSealsItAllOnRotation() {
    for (Place place : places("enable")) {
      StoreSnapshot before;
      try (JdbcStore store = openClear(place)) {
        Orchestrator o = orchestrator(store);
        stage(o);
        apply(o);
        o.stage(Edit.parse("set vault token!=\"" + third + "\""));
        before = StoreSnapshot.of(store);
      }
      assertThat(place.holds(second)).isTrue();
      try (JdbcStore store = open(place, CODEC_1)) {
        // a codec reads what is still in clear, then seals it
        assertThat(StoreSnapshot.of(store)).isEqualTo(before);
        assertThat(store.rotateSecrets()).isGreaterThanOrEqualTo(5);
        assertThat(store.rotateSecrets()).isZero();
        assertThat(StoreSnapshot.of(store)).isEqualTo(before);
      }
      for (String plaintext : List.of(first, second, third)) {
        assertThat(place.rows()).as("%s rows: %s", place, plaintext).doesNotContain(plaintext);
        assertThat(place.holds(plaintext)).as("%s: %s", place, plaintext).isFalse();
      }
    }
  }

  @Test
  void aWrongOrMissingKeyIsAStoreExceptionThatShowsNoValue() {
    for (Place place : places("wrong")) {
      try (JdbcStore store = open(place, CODEC_1)) {
        Orchestrator o = orchestrator(store);
        stage(o);
        apply(o);
        o.stage(Edit.parse("set vault token!=\"" + third + "\""));
      }
      SecretCodec wrongBytes = AesGcmSecretCodec.builder().currentKey("k1", AesGcmSecretCodec.newKey()).build();
      SecretCodec otherId = AesGcmSecretCodec.builder().currentKey("k9", KEY_1).build();
      List<Optional<SecretCodec>> codecs = List.of(Optional.of(wrongBytes), Optional.of(otherId), Optional.empty());
      List<String> expected = List.of("does not open", "under the key \"k1\"", ".secrets(...)");
      for (int i = 0; i < codecs.size(); i++) {
        try (JdbcStore store = place.open(codecs.get(i))) {
          Orchestrator o = orchestrator(store);
          for (Runnable read : List.<Runnable>of(o::appliedState, o::history, o::stagedEntries, o::staged)) {
            Throwable thrown = catchThrowable(read::run);
            assertThat(thrown).as("%s with %s", place, codecs.get(i)).isInstanceOf(StoreException.class)
                .hasMessageContaining(expected.get(i));
            for (Throwable t = thrown; t != null; t = t.getCause()) {
              assertThat(t.getMessage()).doesNotContain(first, second, third);
            }
          }
          if (codecs.get(i).isEmpty()) {
            assertThat(catchThrowable(store::rotateSecrets)).isInstanceOf(StoreException.class)
                .hasMessageContaining(".secrets(...)");
          } else {
            assertThat(catchThrowable(store::rotateSecrets)).isInstanceOf(StoreException.class)
                .hasMessageContaining(expected.get(i));
          }
        }
      }
      // nothing was rewritten by the refused rotations
      assertThat(place.rows()).contains("v1:k1:");
    }
  }
}
