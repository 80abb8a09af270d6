package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.LeaseLostException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.StoreException;
import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.store.api.StoreSnapshot;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** What the JDBC store says when the database is not as it should be, and what it round-trips. */
class JdbcStoreTest {
  private static final DataSource POSTGRES = TestDatabases.newPostgres();

  @TempDir
  Path dir;

  private static void exec(DataSource ds, String statement) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static Orchestrator orchestrator(JdbcStore store) {
    return Orchestrator.builder().store(store).handler(c -> { }).logProgress(false).build();
  }

  /** A store on {@code ds} with tables named {@code prefix}*, created if missing. */
  private static JdbcStore withSchema(DataSource ds, String prefix) {
    return JdbcStore.builder().dataSource(ds).tablePrefix(prefix).createSchemaIfMissing(true).build();
  }

  private static long count(DataSource ds, String query) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void consumedEntriesAreDeletedWhenTheApplyLeaseEnds() throws SQLException {
    for (DataSource ds : List.of(TestDatabases.newSqlite(), POSTGRES)) {
      JdbcStore store = withSchema(ds, "fold_");
      Orchestrator o = orchestrator(store);
      o.stage(Edit.create("n1", "node", Map.of("ip", "10.0.0.1")), Edit.create("s1", "svc"),
          Edit.create("s2", "svc"), Edit.connect("n1.ip", "s1.ip"));
      long[] seen = new long[2];
      Orchestrator watching = Orchestrator.builder().store(store).logProgress(false).handler(c -> { })
          .listener(new io.stagehand.core.apply.ApplyListener() {
            @Override
            public void applyFinished(io.stagehand.core.apply.ApplyReport report) {
              try {
                // every action has committed, the lease is still held: the entries are only marked
                seen[0] = count(ds, "SELECT COUNT(*) FROM fold_staged");
                seen[1] = count(ds, "SELECT COUNT(*) FROM fold_consumed");
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            }
          }).build();
      assertThat(watching.apply(ApplyOptions.defaults()).succeeded()).isTrue();
      assertThat(seen).containsExactly(4, 3);
      assertThat(o.stagedEntries()).isEmpty();
      assertThat(count(ds, "SELECT COUNT(*) FROM fold_staged")).isZero();
      assertThat(count(ds, "SELECT COUNT(*) FROM fold_consumed")).isZero();
    }
  }

  @Test
  void unreachableDatabase() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL("jdbc:postgresql://127.0.0.1:1/nowhere");
    ds.setConnectTimeout(2);
    assertThatThrownBy(() -> JdbcStore.builder().dataSource(ds).build())
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot reach the database while opening the store");
  }

  @Test
  void wrongCredentials() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://localhost:" + TestDatabases.postgresServer().getPort() + "/postgres");
    config.setUsername("nobody_here");
    config.setInitializationFailTimeout(-1);
    config.setConnectionTimeout(2000);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      assertThatThrownBy(() -> JdbcStore.builder().dataSource(ds).dialect(SqlDialect.POSTGRES).build())
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("the database refused the credentials");
    }
  }

  @Test
  void missingSchemaIsNamedUnlessAskedToCreateIt() {
    DataSource sqlite = TestDatabases.newSqlite();
    assertThatThrownBy(() -> JdbcStore.builder().dataSource(sqlite).tablePrefix("app_").build())
        .isInstanceOf(StoreException.class)
        .hasMessage("the Stagehand schema (tables app_*) is missing; call createSchema() or build the store "
            + "with createSchemaIfMissing(true)");
    JdbcStore created = withSchema(sqlite, "app_");
    assertThat(created.schemaVersion()).contains(Migrations.CURRENT);
    created.createSchema(); // again: a no-op
    assertThat(JdbcStore.builder().dataSource(sqlite).tablePrefix("app_").build().schemaVersion())
        .contains(Migrations.CURRENT);
  }

  /** A store with tables {@code prefix}* as version 1 left them, with applied state and a staged entry. */
  private static void versionOneSchema(DataSource ds, String prefix) throws SQLException {
    JdbcStore old = withSchema(ds, prefix);
    Orchestrator first = orchestrator(old);
    first.stage(Edit.create("n1", "node", Map.of("ip", "10.0.0.1")), Edit.create("s1", "svc"),
        Edit.connect("n1.ip", "s1.ip"), Edit.place("s1", "n1"));
    assertThat(first.apply(ApplyOptions.defaults()).succeeded()).isTrue();
    first.stage(Edit.create("a", "svc", Map.of("x", 1)));
    // what version 1 had: no change counter, no consumed marks, connections keyed by receiver, and
    // (version 2) no lease epoch nor lease session, (version 3) no location column, (version 4) no reactions owed
    exec(ds, "DROP TABLE " + prefix + "pending_reactions");
    exec(ds, "DROP INDEX " + prefix + "resources_location");
    exec(ds, "ALTER TABLE " + prefix + "resources DROP COLUMN location");
    exec(ds, "DELETE FROM " + prefix + "meta WHERE name = 'change_count'");
    exec(ds, "DELETE FROM " + prefix + "meta WHERE name = 'lease_epoch'");
    exec(ds, "ALTER TABLE " + prefix + "lease DROP COLUMN session_pid");
    exec(ds, "ALTER TABLE " + prefix + "lease DROP COLUMN acquired_at");
    exec(ds, "DROP TABLE " + prefix + "consumed");
    exec(ds, "DROP TABLE " + prefix + "connections");
    exec(ds, "CREATE TABLE " + prefix + "connections (receiver VARCHAR(200) NOT NULL, receiver_input VARCHAR(100) "
        + "NOT NULL, receiver_key VARCHAR(100) NOT NULL, emitter VARCHAR(200) NOT NULL, emitter_input VARCHAR(100) "
        + "NOT NULL, collecting BOOLEAN NOT NULL, PRIMARY KEY (receiver, receiver_input, receiver_key, emitter, "
        + "emitter_input))");
    exec(ds, "CREATE INDEX " + prefix + "connections_emitter ON " + prefix + "connections (emitter)");
    exec(ds, "INSERT INTO " + prefix + "connections VALUES ('s1', 'ip', '', 'n1', 'ip', FALSE)");
    exec(ds, "UPDATE " + prefix + "schema_version SET version = 1");
  }

  /** Opens the store of {@code prefix} and checks that it is at the current version with nothing lost. */
  private static void upgradedWithNothingLost(DataSource ds, String prefix) throws SQLException {
    JdbcStore upgraded = JdbcStore.builder().dataSource(ds).tablePrefix(prefix).build();
    assertThat(upgraded.schemaVersion()).contains(Migrations.CURRENT);
    Orchestrator o = orchestrator(upgraded);
    // the connection came across: changing the node reaches the service downstream
    o.stage(Edit.create("b", "svc", Map.of("x", 2)), Edit.set("n1", "ip", "10.0.0.2"));
    assertThat(o.plan().actions()).extracting(a -> a.action() + " " + a.resource().name())
        .containsExactly("RUN a", "RUN b", "UPDATE n1", "UPDATE s1");
    assertThat(upgraded.<java.util.OptionalLong>read(r -> r.changeCount())).hasValue(1);
    // the location came across from the stored body into its column
    assertThat(upgraded.<java.util.SortedSet<io.stagehand.core.model.ResourceId>>read(
        r -> r.state().residents(io.stagehand.core.model.ResourceId.of("n1"))))
        .containsExactly(io.stagehand.core.model.ResourceId.of("s1"));
    assertThat(o.apply(ApplyOptions.defaults()).succeeded()).isTrue();
    assertThat(o.stagedEntries()).isEmpty();
    assertThat(count(ds, "SELECT COUNT(*) FROM " + prefix + "connections")).isEqualTo(1);
  }

  @Test
  void versionOneSchemaIsUpgradedOnOpen() throws SQLException {
    for (DataSource ds : List.of(TestDatabases.newSqlite(), POSTGRES)) {
      versionOneSchema(ds, "v1_");
      upgradedWithNothingLost(ds, "v1_");
    }
  }

  @Test
  void anUpgradeCutShortAtAnyStepFinishesWhenTheStoreIsOpenedAgain() throws SQLException {
    for (DataSource ds : List.of(TestDatabases.newSqlite(), POSTGRES)) {
      for (int k = 0; k < Migrations.STEPS.size(); k++) {
        String prefix = "cut" + k + "_";
        String failing = Migrations.STEPS.get(k).name();
        versionOneSchema(ds, prefix);
        List<String> reached = new java.util.ArrayList<>();
        assertThatThrownBy(() -> JdbcStore.builder().dataSource(ds).tablePrefix(prefix).beforeMigrationStep(step -> {
          reached.add(step);
          if (step.equals(failing)) {
            throw new IllegalStateException("the process died in step " + step);
          }
        }).build()).hasMessage("the process died in step " + failing);
        assertThat(reached).as("steps run before the failure").last().isEqualTo(failing);
        // the steps before the failing one are done and recorded; the store opens and finishes the rest
        assertThat(count(ds, "SELECT COUNT(*) FROM " + prefix + "migrations")).isEqualTo(k);
        upgradedWithNothingLost(ds, prefix);
        assertThat(count(ds, "SELECT COUNT(*) FROM " + prefix + "migrations")).isEqualTo(Migrations.STEPS.size());
      }
    }
  }

  @Test
  void prefixesWhoseStringHashesCollideDoNotShareALock() {
    assertThat("tc0_".hashCode()).isEqualTo("tan_".hashCode()); // what made them collide before
    Statements a = new Statements("tc0_", SqlDialect.POSTGRES, CommitLogVariant.GLOBAL);
    Statements b = new Statements("tan_", SqlDialect.POSTGRES, CommitLogVariant.GLOBAL);
    assertThat(a.leaseLockKey()).isNotEqualTo(b.leaseLockKey());
    assertThat(a.writerLockKey()).isNotEqualTo(b.writerLockKey());
    JdbcStore first = withSchema(POSTGRES, "tc0_");
    JdbcStore second = withSchema(POSTGRES, "tan_");
    try (var one = first.tryLease("one").orElseThrow()) {
      assertThat(one.isValid()).isTrue();
      // two deployments in one database apply at the same time
      assertThat(second.tryLease("two")).as("the other prefix's lease").isPresent().get()
          .satisfies(io.stagehand.core.spi.ApplyLease::close);
      assertThat(first.tryLease("again")).as("the same prefix's lease, held").isEmpty();
    }
  }

  @Test
  void aPostgresLeaseWhoseHolderCannotBeRecordedGivesBackItsLockAndConnection() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(((HikariDataSource) POSTGRES).getJdbcUrl());
    config.setUsername("postgres");
    config.setMaximumPoolSize(2);
    config.setConnectionTimeout(3000);
    try (HikariDataSource small = new HikariDataSource(config)) {
      JdbcStore store = withSchema(small, "leak_");
      exec(small, "ALTER TABLE leak_lease RENAME TO leak_lease_gone");
      for (int i = 0; i < 3; i++) {
        // the advisory lock is taken, then recording the holder fails
        assertThatThrownBy(() -> store.tryLease("doomed")).isInstanceOf(StoreException.class);
      }
      exec(small, "ALTER TABLE leak_lease_gone RENAME TO leak_lease");
      assertThat(small.getHikariPoolMXBean().getActiveConnections()).as("connections still lent out").isZero();
      try (var lease = store.tryLease("next").orElseThrow(() -> new AssertionError("the lock was left held"))) {
        assertThat(lease.holder()).isEqualTo("next");
      }
    }
  }

  /** {@code ds}, counting the statements prepared on its connections. */
  private static DataSource counting(DataSource ds, java.util.concurrent.atomic.AtomicInteger statements) {
    return (DataSource) java.lang.reflect.Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          Object result = invoke(ds, method, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          Connection c = (Connection) result;
          return java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class}, (p, m, a) -> {
                if (m.getName().startsWith("prepare") || m.getName().equals("createStatement")) {
                  statements.incrementAndGet();
                }
                return invoke(c, m, a);
              });
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void planningReadsWhatLiesDownstreamInBulkNotOneQueryPerResource() {
    for (DataSource ds : List.of(TestDatabases.newSqlite(), POSTGRES)) {
      java.util.concurrent.atomic.AtomicInteger statements = new java.util.concurrent.atomic.AtomicInteger();
      JdbcStore store = withSchema(counting(ds, statements), "bulk_");
      Orchestrator o = orchestrator(store);
      // one node feeding 400 services, each feeding an agent: 801 resources downstream of the node
      List<Edit> edits = new java.util.ArrayList<>(List.of(Edit.create("n", "node", Map.of("ip", "10.0.0.1"))));
      for (int i = 0; i < 400; i++) {
        edits.add(Edit.create("s" + i, "svc"));
        edits.add(Edit.connect("n.ip", "s" + i + ".ip"));
        edits.add(Edit.create("a" + i, "agent"));
        edits.add(Edit.connect("s" + i + ".ip", "a" + i + ".ip"));
      }
      o.stage(edits);
      assertThat(o.apply(ApplyOptions.defaults()).succeeded()).isTrue();
      o.stage(Edit.set("n", "ip", "10.0.0.2"));
      statements.set(0);
      assertThat(o.plan().size()).isEqualTo(801);
      // three levels, each read in a few bulk queries, instead of three queries per resource (2,400)
      assertThat(statements.get()).as("statements prepared to plan 801 actions").isLessThan(60);
    }
  }

  @Test
  void aLargeApplyOnPostgresVacuumsTheStagedLogSoReadsDoNotScanDeletedEntries() throws SQLException {
    JdbcStore store = withSchema(POSTGRES, "vac_");
    Orchestrator o = orchestrator(store);
    List<Edit> edits = new java.util.ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      edits.add(Edit.create("r" + i, "svc", Map.of("n", i)));
    }
    o.stage(edits);
    assertThat(count(POSTGRES, "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'vac_staged' "
        + "AND last_vacuum IS NOT NULL")).as("vacuumed before the apply").isZero();
    assertThat(o.apply(ApplyOptions.defaults()).succeeded()).isTrue();
    assertThat(count(POSTGRES, "SELECT COUNT(*) FROM vac_staged")).isZero();
    assertThat(count(POSTGRES, "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'vac_staged' "
        + "AND last_vacuum IS NOT NULL")).as("vacuumed when the apply ended").isOne();
  }

  @Test
  void aSqliteLeaseWhoseHeartbeatStalledPastItsExpiryCannotCommitOnceAnotherApplyTookIt() throws Exception {
    Path file = dir.resolve("stalled.db");
    try (JdbcStore first = JdbcStore.builder().sqliteFile(file).createSchemaIfMissing(true)
            .leaseDuration(java.time.Duration.ofSeconds(30)).build();
        JdbcStore second = JdbcStore.builder().sqliteFile(file).leaseDuration(java.time.Duration.ofSeconds(30)).build()) {
      var stalled = first.tryLease("first").orElseThrow();
      // what a heartbeat stalled past the lease's duration leaves: a row whose expiry has passed
      try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = 10000");
        st.executeUpdate("UPDATE stagehand_lease SET expires_at = 0");
      }
      try (var taken = second.tryLease("second").orElseThrow(() -> new AssertionError("not taken over"))) {
        assertThat(taken.epoch()).isGreaterThan(stalled.epoch());
        assertThatThrownBy(() -> first.write(w -> {
          w.requireLease(stalled.epoch());
          return null;
        })).isInstanceOf(io.stagehand.core.LeaseLostException.class);
        second.write(w -> {
          w.requireLease(taken.epoch());
          return null;
        });
      }
      stalled.close();
    }
  }

  @Test
  void connectionsGoBackToThePoolAsTheyCame() throws SQLException {
    // a "pool" of one connection that, unlike HikariCP, resets nothing when it gets it back
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(((HikariDataSource) POSTGRES).getJdbcUrl());
    pg.setUser("postgres");
    try (Connection physical = pg.getConnection()) {
      DataSource one = (DataSource) java.lang.reflect.Proxy.newProxyInstance(DataSource.class.getClassLoader(),
          new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            if (!method.getName().equals("getConnection")) {
              throw new UnsupportedOperationException(method.getName());
            }
            return java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, m, a) -> m.getName().equals("close") ? null : invoke(physical, m, a));
          });
      int isolation = physical.getTransactionIsolation();
      boolean autoCommit = physical.getAutoCommit();
      JdbcStore store = withSchema(one, "pool_");
      Orchestrator o = orchestrator(store);
      o.stage(Edit.create("a", "svc"));
      o.appliedState(); // a read: REPEATABLE READ on PostgreSQL
      assertThatThrownBy(() -> store.read(r -> {
        throw new IllegalStateException("a read that fails");
      })).hasMessage("a read that fails");
      assertThat(physical.getTransactionIsolation()).as("isolation level").isEqualTo(isolation);
      assertThat(physical.getAutoCommit()).as("auto-commit").isEqualTo(autoCommit);
    }
  }

  @Test
  void aPostgresApplyWhoseLeaseSessionEndsCommitsNothingMoreAndStartsNothingMore() throws Exception {
    JdbcStore store = withSchema(POSTGRES, "session_");
    Orchestrator o = orchestrator(store);
    o.stage(Edit.create("a", "svc", Map.of("x", 1)), Edit.create("b", "svc"), Edit.connect("a.x", "b.x"),
        Edit.create("c", "svc"));
    java.util.concurrent.CountDownLatch inA = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch goOn = new java.util.concurrent.CountDownLatch(1);
    List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
    var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> Orchestrator.builder().store(store)
        .logProgress(false).handler(c -> {
          handled.add(c.resource().name());
          if (c.resource().name().equals("a")) {
            inA.countDown();
            goOn.await();
          }
        }).build().apply(ApplyOptions.builder().parallelism(1).order(ApplyOptions.Order.PLAN_ORDER).build()));
    assertThat(inA.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    // the session that holds the lock ends (an idle timeout, a proxy, an operator)
    exec(POSTGRES, "SELECT pg_terminate_backend(CAST(session_pid AS INTEGER), 10000) FROM session_lease");
    Thread.sleep(2 * AdvisoryLeases.SESSION_CHECK_MILLIS);
    goOn.countDown();
    var report = first.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(report.results()).filteredOn(r -> r.resource().name().equals("a")).singleElement()
        .satisfies(r -> assertThat(r.commit()).isEmpty())
        .satisfies(r -> assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("lease was lost")));
    assertThat(handled).as("actions started after the session ended").containsExactly("a");
    assertThat(o.history()).isEmpty();
    assertThat(o.apply().succeeded()).isTrue();
    assertThat(o.history()).hasSize(3);
  }

  @Test
  void closingAStoreReleasesTheLeaseItStillHolds() {
    for (DataSource ds : List.of(TestDatabases.newSqlite(), POSTGRES)) {
      JdbcStore closing = withSchema(ds, "closing_");
      assertThat(closing.tryLease("forgotten")).isPresent();
      closing.close();
      JdbcStore other = withSchema(ds, "closing_");
      try (var lease = other.tryLease("next").orElseThrow(() -> new AssertionError("still held after close"))) {
        assertThat(lease.holder()).isEqualTo("next");
      }
    }
  }

  @Test
  void aBuilderWithoutADatabaseOrWithANegativeBusyTimeoutIsRefusedBeforeAnyIo() throws Exception {
    assertThatThrownBy(() -> JdbcStore.builder().build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("a JdbcStore needs a DataSource or a SQLite file");
    Path file = dir.resolve("never").resolve("created.db");
    assertThatThrownBy(() -> JdbcStore.builder().sqliteFile(file).busyTimeout(java.time.Duration.ofMillis(-1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("busyTimeout must not be negative, got PT-0.001S");
    assertThat(dir.resolve("never")).doesNotExist();
  }

  @Test
  void newerSchemaAndOtherVariantAreRefused() throws SQLException {
    withSchema(POSTGRES, "newer_");
    exec(POSTGRES, "UPDATE newer_schema_version SET version = 7");
    assertThatThrownBy(() -> JdbcStore.builder().dataSource(POSTGRES).tablePrefix("newer_").build())
        .isInstanceOf(StoreException.class)
        .hasMessage("the Stagehand schema newer_* is at version 7, newer than this library reads (" + Migrations.CURRENT + "); upgrade Stagehand");
    withSchema(POSTGRES, "variant_");
    assertThatThrownBy(() -> JdbcStore.builder().dataSource(POSTGRES).tablePrefix("variant_")
        .variant(CommitLogVariant.PER_RESOURCE).build())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("is GLOBAL, but this store was built for PER_RESOURCE");
  }

  @Test
  void invalidPrefixIsRefusedBeforeAnyIo() {
    for (String bad : new String[] {"", "Stagehand_", "x; DROP TABLE y", "1abc", "a".repeat(31)}) {
      assertThatThrownBy(() -> JdbcStore.builder().dataSource(TestDatabases.newSqlite()).tablePrefix(bad).build())
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("invalid table prefix");
    }
  }

  @Test
  void readOnlyPostgresWritesNothing() throws SQLException {
    HikariDataSource ds = TestDatabases.newPostgres();
    JdbcStore store = TestDatabases.store(ds, CommitLogVariant.GLOBAL);
    Orchestrator o = orchestrator(store);
    o.stage(Edit.create("a", "svc", Map.of("x", 1)));
    StoreSnapshot before = StoreSnapshot.of(store);
    String db = ds.getPoolName();
    exec(ds, "ALTER DATABASE " + db + " SET default_transaction_read_only = on");
    ds.getHikariPoolMXBean().softEvictConnections();
    assertThatThrownBy(() -> o.stage(Edit.create("b", "svc")))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("the database is read-only; nothing was written while writing");
    assertThatThrownBy(() -> o.apply(ApplyOptions.defaults())).isInstanceOf(StoreException.class);
    assertThat(StoreSnapshot.of(store)).isEqualTo(before);
  }

  @Test
  void readOnlySqliteFileWritesNothing() {
    Path file = dir.resolve("state.db");
    try (JdbcStore writable = JdbcStore.sqliteFile(file)) {
      orchestrator(writable).stage(Edit.create("a", "svc", Map.of("x", 1)));
    }
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    org.sqlite.SQLiteDataSource readOnlySource = new org.sqlite.SQLiteDataSource(config);
    readOnlySource.setUrl("jdbc:sqlite:" + file);
    try (JdbcStore readOnly = JdbcStore.builder().dataSource(readOnlySource).build()) {
      StoreSnapshot before = StoreSnapshot.of(readOnly);
      assertThatThrownBy(() -> orchestrator(readOnly).stage(Edit.create("b", "svc")))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("the database is read-only; nothing was written while writing");
      assertThat(StoreSnapshot.of(readOnly)).isEqualTo(before);
      assertThat(before.staged()).hasSize(1);
    }
  }

  @Test
  void damagedSqliteFileIsReportedAsSuchWithWhatToDo() throws Exception {
    Path file = dir.resolve("damaged.db");
    try (JdbcStore store = JdbcStore.sqliteFile(file)) {
      orchestrator(store).stage(Edit.create("a", "svc", Map.of("x", 1)));
    }
    // closing the last connection checkpointed the WAL into the file; garbage over its header
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      byte[] junk = new byte[4096];
      new java.util.Random(1).nextBytes(junk);
      f.write(junk);
    }
    assertThatThrownBy(() -> JdbcStore.sqliteFile(file))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("the SQLite database file is damaged or is not a database")
        .hasMessageContaining("restore the file from a backup");
  }

  @Test
  void sqliteFileOpensInWalModeWithFullSyncUnlessAskedForNormal() {
    Path file = dir.resolve("pragmas.db");
    try (JdbcStore store = JdbcStore.sqliteFile(file)) {
      assertThat(store.dialect()).isEqualTo(SqlDialect.SQLITE);
      assertThat(store.sqlitePragmas()).containsEntry("journal_mode", "wal").containsEntry("synchronous", "2")
          .containsEntry("busy_timeout", "30000");
    }
    try (JdbcStore store = JdbcStore.builder().sqliteFile(file).sqliteSync(SqliteSync.NORMAL)
        .busyTimeout(java.time.Duration.ofSeconds(5)).build()) {
      assertThat(store.sqlitePragmas()).containsEntry("journal_mode", "wal").containsEntry("synchronous", "1")
          .containsEntry("busy_timeout", "5000");
    }
  }

  @Test
  void closedStoresLeaveNoThreadBehind() {
    java.util.function.LongSupplier stagehandThreads = () -> Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("stagehand-")).count();
    long before = stagehandThreads.getAsLong();
    for (int i = 0; i < 30; i++) {
      try (JdbcStore store = JdbcStore.builder().sqliteFile(dir.resolve("threads-" + i + ".db"))
          .sqliteSync(SqliteSync.NORMAL).createSchemaIfMissing(true).leaseDuration(java.time.Duration.ofMillis(300))
          .build()) {
        Orchestrator o = Orchestrator.builder().store(store).logProgress(false).handler(c -> Thread.sleep(150)).build();
        o.stage(Edit.create("a", "svc"), Edit.create("b", "svc"));
        // long enough for the lease heartbeat (every 100 ms) to have started its thread
        assertThat(o.apply(ApplyOptions.builder().parallelism(1).build()).succeeded()).isTrue();
      }
    }
    assertThat(stagehandThreads.getAsLong()).isEqualTo(before);
  }

  @Test
  void missingSqliteDriverNamesTheArtifactToAdd() throws Exception {
    // this module's classes and dependencies, less the SQLite driver, in a loader of their own
    List<java.net.URL> urls = new java.util.ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.contains("sqlite-jdbc")) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(urls.toArray(new java.net.URL[0]),
        ClassLoader.getPlatformClassLoader())) {
      Class<?> store = loader.loadClass(JdbcStore.class.getName());
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
          store.getMethod("sqliteFile", Path.class).invoke(null, dir.resolve("nodriver.db")));
      assertThat(thrown).isInstanceOf(java.lang.reflect.InvocationTargetException.class);
      Throwable cause = thrown.getCause();
      assertThat(cause.getClass().getName()).isEqualTo(StoreException.class.getName());
      assertThat(cause).hasMessageStartingWith("SQLite's JDBC driver is not on the class path")
          .hasMessageContaining("add the dependency org.xerial:sqlite-jdbc:");
    }
  }

  @Test
  void awkwardValuesRoundTripExactly() {
    String nasty = "it's \"quoted\"; DROP TABLE stagehand_resources; -- \\ ünïcödé 日本語 🚀 \u0007\t\n end";
    String longText = "x".repeat(300_000) + "ü";
    for (JdbcStore store : new JdbcStore[] {
        TestDatabases.store(TestDatabases.newSqlite(), CommitLogVariant.GLOBAL),
        TestDatabases.store(POSTGRES, CommitLogVariant.PER_RESOURCE)}) {
      Orchestrator o = orchestrator(store);
      Map<String, Object> inputs = Map.of(
          "nasty", nasty,
          "long", longText,
          "number", new java.math.BigDecimal("123456789012345678901234567890.000000000000000000001"),
          "nested", Map.of("k'; --", java.util.List.of(true, -0.5, "🚀")));
      o.stage(Edit.create("weird-id_1", "kind;'\"", inputs));
      o.apply();
      var applied = o.appliedState().get("weird-id_1").orElseThrow();
      assertThat(applied.kind()).isEqualTo("kind;'\"");
      assertThat(applied.ownInputs()).isEqualTo(Edit.create("weird-id_1", "k", inputs).inputs());
      assertThat(applied.ownInputs().get("number")).isEqualTo(
          Value.of(new java.math.BigDecimal("123456789012345678901234567890.000000000000000000001")));
      assertThat(o.history().get(0).diff().after()).contains(applied);
    }
  }

  @Test
  void aStagedEntryIsDecodedAgainWhenItsRowChanges() throws SQLException {
    DataSource sqlite = TestDatabases.newSqlite();
    JdbcStore store = withSchema(sqlite, "cache_");
    Orchestrator o = orchestrator(store);
    o.stage(Edit.create("a", "svc", Map.of("x", 1)));
    o.stage(Edit.create("b", "svc", Map.of("x", 2)));
    assertThat(o.stagedEntries()).extracting(e -> e.edit().describe()).doesNotHaveDuplicates();
    // the cache holds entry 1 now; a row that changes under the same sequence must be read afresh
    exec(sqlite, "UPDATE cache_staged SET edit = (SELECT edit FROM cache_staged WHERE seq = 2) WHERE seq = 1");
    assertThat(o.stagedEntries()).extracting(e -> e.edit().describe()).hasSize(2).containsOnly(
        Edit.create("b", "svc", Map.of("x", 2)).describe());
  }
}
