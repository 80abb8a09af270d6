package io.stagehand.store.jdbc;

import io.stagehand.core.Commit;
import io.stagehand.core.CommitDraft;
import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.CommitPosition;
import io.stagehand.core.Connection;
import io.stagehand.core.Event;
import io.stagehand.core.InputRef;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Resource;
import io.stagehand.core.ResourceId;
import io.stagehand.core.StagedEntry;
import io.stagehand.core.StagehandException;
import io.stagehand.core.StoreException;
import io.stagehand.core.Tag;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.CommitLog;
import io.stagehand.core.spi.StagedLog;
import io.stagehand.core.spi.StateStore;
import io.stagehand.core.spi.Store;
import io.stagehand.core.spi.StoreReader;
import io.stagehand.core.spi.StoreWriter;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store in a relational database: SQLite (one file, the embedded default; several processes on one
 * machine) or PostgreSQL 14+ (several processes and machines sharing one deployment state). One
 * database transaction per unit of work; writers are serialised, so the global log never shows a
 * later position before an earlier one. Close it when done: that stops its lease heartbeat and, for
 * {@link #sqliteFile}, closes its connections.
 */
public final class JdbcStore implements Store, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
  private static final int MAX_ATTEMPTS = 3;

  private final DataSource dataSource;
  private final SqlDialect dialect;
  private final CommitLogVariant variant;
  private final Statements sql;
  private final Duration leaseDuration;
  private final ScheduledExecutorService heartbeats;
  /** The connections this store opened itself ({@link #sqliteFile}), closed with it. */
  private final AutoCloseable ownedConnections;
  /**
   * SQLite has one write lock per file, and a writer that finds it taken sleeps in SQLite's busy
   * handler (in steps of up to 100 ms); writers of this process queue here instead, and only writers
   * of other processes meet the busy handler.
   */
  private final ReentrantLock localWriters = new ReentrantLock(true);
  /**
   * The staged entries the last read of the log decoded, by sequence. Staging, planning and applying
   * each read the whole log, and decoding its JSON was about a third of an apply's plan; an entry is
   * decoded again only if its row's text differs from the one it was decoded from.
   */
  private volatile Map<Long, DecodedEntry> decoded = Map.of();

  private record DecodedEntry(String edit, String revertOf, StagedEntry entry) {}

  private JdbcStore(Builder b, SqlDialect dialect, DataSource dataSource, AutoCloseable ownedConnections) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.variant = b.variant;
    this.sql = new Statements(b.tablePrefix, dialect, b.variant);
    this.leaseDuration = b.leaseDuration;
    this.ownedConnections = ownedConnections;
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "stagehand-lease-heartbeat");
      t.setDaemon(true);
      return t;
    });
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The embedded default: a SQLite database in {@code file} (created with its schema on first use)
   * in WAL mode with {@code synchronous=FULL}, with a global commit log. Several processes on one
   * machine can open the same file: one applies while others stage and read.
   */
  public static JdbcStore sqliteFile(Path file) {
    return sqliteFile(file, CommitLogVariant.GLOBAL);
  }

  /** {@link #sqliteFile(Path)} with the given commit log. */
  public static JdbcStore sqliteFile(Path file, CommitLogVariant variant) {
    return builder().sqliteFile(file).variant(variant).createSchemaIfMissing(true).build();
  }

  /** Builds a {@link JdbcStore}; only the data source is required. */
  public static final class Builder {
    private DataSource dataSource;
    private Path sqliteFile;
    private SqliteSync sqliteSync = SqliteSync.FULL;
    private Duration busyTimeout = Duration.ofSeconds(30);

    private SqlDialect dialect;
    private CommitLogVariant variant = CommitLogVariant.GLOBAL;
    private String tablePrefix = "stagehand_";
    private boolean createSchemaIfMissing;
    private Duration leaseDuration = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Where the tables live; a pool (e.g. HikariCP) of at least 2 connections is recommended. For a
     * SQLite file prefer {@link #sqliteFile(Path)}; a SQLite data source of your own should open its
     * connections in WAL mode with a busy timeout.
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.sqliteFile = null;
      return this;
    }

    /**
     * A SQLite database in {@code file}, opened by the store itself in WAL mode with the chosen
     * {@link #sqliteSync} and {@link #busyTimeout}; its connections close with the store.
     */
    public Builder sqliteFile(Path file) {
      this.sqliteFile = Objects.requireNonNull(file, "file");
      this.dataSource = null;
      return this;
    }

    /** How a {@link #sqliteFile} commits to the disk; {@link SqliteSync#FULL} by default. */
    public Builder sqliteSync(SqliteSync sync) {
      this.sqliteSync = Objects.requireNonNull(sync, "sync");
      return this;
    }

    /**
     * How long a writer to a {@link #sqliteFile} waits for another process's write transaction to end
     * before failing; 30 s by default.
     */
    public Builder busyTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative()) {
        throw new InvalidInputException("busyTimeout must not be negative, got " + timeout);
      }
      this.busyTimeout = timeout;
      return this;
    }

    /** The database's dialect; detected from the connection's metadata by default. */
    public Builder dialect(SqlDialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    public Builder variant(CommitLogVariant variant) {
      this.variant = Objects.requireNonNull(variant, "variant");
      return this;
    }

    /**
     * The prefix of every table name, {@code stagehand_} by default: 1-30 lower-case ASCII letters,
     * digits and '_', starting with a letter. Several deployments can share a database by prefix.
     */
    public Builder tablePrefix(String prefix) {
      this.tablePrefix = prefix;
      return this;
    }

    /** Create the schema on first use instead of failing; off by default. */
    public Builder createSchemaIfMissing(boolean create) {
      this.createSchemaIfMissing = create;
      return this;
    }

    /**
     * How long an apply lease held as a row (SQLite) outlives a holder that stopped renewing it: a
     * killed holder blocks the next apply at most this long. 30 s by default. PostgreSQL's lease is a
     * session advisory lock and ends with its holder's connection.
     */
    public Builder leaseDuration(Duration duration) {
      if (duration == null || duration.toMillis() < 300) {
        throw new InvalidInputException("leaseDuration must be at least 300 ms, got " + duration);
      }
      this.leaseDuration = duration;
      return this;
    }

    /**
     * Opens the store: checks that the database is reachable and the schema present and of a version
     * this library reads (creating it if asked), or throws a {@link StoreException} saying what is wrong.
     */
    public JdbcStore build() {
      if (dataSource == null && sqliteFile == null) {
        throw new InvalidInputException("a JdbcStore needs a DataSource or a SQLite file");
      }
      new Statements(tablePrefix, SqlDialect.SQLITE, variant); // validates the prefix before any I/O
      SqlDialect d = dialect;
      DataSource source = dataSource;
      AutoCloseable owned = null;
      if (sqliteFile != null) {
        SqliteConnections connections = Drivers.sqlite(() -> SqliteConnections.open(sqliteFile, sqliteSync, busyTimeout));
        source = connections;
        owned = connections;
        d = SqlDialect.SQLITE;
      }
      try {
        if (d == null) {
          try (java.sql.Connection c = source.getConnection()) {
            d = SqlDialect.detect(c);
          } catch (SQLException e) {
            throw SqlErrors.translate(e, "opening the store", new Statements(tablePrefix, SqlDialect.SQLITE, variant));
          }
        }
        JdbcStore store = new JdbcStore(this, d, source, owned);
        store.open(createSchemaIfMissing);
        return store;
      } catch (RuntimeException | Error e) {
        closeOwned(owned);
        throw e;
      }
    }
  }

  private static void closeOwned(AutoCloseable connections) {
    if (connections == null) {
      return;
    }
    try {
      connections.close();
    } catch (Exception e) {
      LOG.warn("could not close the store's connections", e);
    }
  }

  /**
   * Stops the lease heartbeat (a lease still held is released first) and closes the connections the
   * store opened itself; a data source passed in stays open, as its owner's to close. Idempotent.
   */
  @Override
  public void close() {
    List<RowLease> held;
    synchronized (liveLeases) {
      held = new ArrayList<>(liveLeases);
    }
    held.forEach(RowLease::close);
    heartbeats.shutdownNow();
    try {
      if (!heartbeats.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the lease heartbeat of {} did not stop within 10 s", this);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeOwned(ownedConnections);
  }

  // ---------------------------------------------------------------- schema

  private void open(boolean create) {
    Optional<Integer> version = schemaVersion();
    if (version.isEmpty()) {
      if (!create) {
        throw new StoreException("the Stagehand schema (tables " + sql.prefix() + "*) is missing; call createSchema() "
            + "or build the store with createSchemaIfMissing(true)");
      }
      createSchema();
      return;
    }
    checkVersion(version.get());
  }

  private void checkVersion(int version) {
    if (version > Statements.SCHEMA_VERSION) {
      throw new StoreException("the Stagehand schema " + sql.prefix() + "* is at version " + version
          + ", newer than this library reads (" + Statements.SCHEMA_VERSION + "); upgrade Stagehand");
    }
    if (version < Statements.SCHEMA_VERSION) {
      upgrade(version);
    }
  }

  /**
   * The schema version, or empty if there is no schema with this prefix. Also checks that the stored
   * commit-log variant is this store's.
   */
  public Optional<Integer> schemaVersion() {
    try (java.sql.Connection c = dataSource.getConnection()) {
      if (!tableExists(c, sql.schemaVersionTable())) {
        return Optional.empty();
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.readSchemaVersion())) {
        if (!rs.next()) {
          throw new StoreException("the table " + sql.schemaVersionTable() + " is empty: the schema is damaged");
        }
        int version = rs.getInt(1);
        String stored = rs.getString(2);
        if (!stored.equals(variant.name())) {
          throw new StoreException("the commit log with prefix " + sql.prefix() + " is " + stored
              + ", but this store was built for " + variant + "; build it with variant(" + stored + ")");
        }
        return Optional.of(version);
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(e, "reading the schema version", sql);
    }
  }

  private boolean tableExists(java.sql.Connection c, String table) throws SQLException {
    var meta = c.getMetaData();
    for (String name : List.of(table, table.toUpperCase(java.util.Locale.ROOT))) {
      try (ResultSet rs = meta.getTables(null, null, name, null)) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Creates the tables of this prefix and variant if they are not there yet; safe to call again. */
  public void createSchema() {
    inTransaction("creating the schema", c -> {
      dialect.lockWriters(c, sql);
      if (tableExists(c, sql.schemaVersionTable())) {
        return null;
      }
      try (Statement st = c.createStatement()) {
        for (String ddl : sql.createSchema()) {
          st.execute(ddl);
        }
      }
      LOG.info("created the Stagehand schema {}* ({}, {} commit log)", sql.prefix(), dialect, variant);
      return null;
    });
  }

  /**
   * Upgrades the schema from {@code from} to the current version, one step at a time in one
   * transaction under the writer lock, so that two processes opening an old schema at once upgrade
   * it once. Version 2 added the change counter ({@link StoreReader#changeCount()}).
   */
  private void upgrade(int from) {
    inTransaction("upgrading the schema", c -> {
      dialect.lockWriters(c, sql);
      int version;
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.readSchemaVersion())) {
        rs.next();
        version = rs.getInt(1);
      }
      try (Statement st = c.createStatement()) {
        if (version < 2) {
          st.execute(sql.addChangeCount());
          st.execute(sql.createConsumed());
          for (String step : sql.rekeyConnections()) {
            st.execute(step);
          }
        }
        if (version < Statements.SCHEMA_VERSION) {
          st.execute(sql.setSchemaVersion(Statements.SCHEMA_VERSION));
          LOG.info("upgraded the Stagehand schema {}* from version {} to {}", sql.prefix(), version,
              Statements.SCHEMA_VERSION);
        }
      }
      return null;
    });
  }

  // ---------------------------------------------------------------- units of work

  @Override
  public CommitLogVariant commitLogVariant() {
    return variant;
  }

  public SqlDialect dialect() {
    return dialect;
  }

  /** SQLite: the pragmas a connection of this store has, for tests and diagnostics. */
  Map<String, String> sqlitePragmas() {
    return transaction("reading the pragmas", false, c -> {
      Map<String, String> out = new LinkedHashMap<>();
      for (String pragma : Statements.SQLITE_PRAGMAS) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.readPragma(pragma))) {
          out.put(pragma, rs.next() ? rs.getString(1) : "");
        }
      }
      return out;
    });
  }

  /** SQL work that may throw SQLException. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run(java.sql.Connection c) throws SQLException;
  }

  /** An SQLException carried through core's callbacks to the transaction boundary. */
  private static final class SqlFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlFailure(SQLException cause) {
      super(cause);
    }
  }

  /** A writer's transaction: serialised with every other writer of this prefix. */
  private <T> T inTransaction(String doing, SqlWork<T> work) {
    if (dialect != SqlDialect.SQLITE) {
      return transaction(doing, true, work);
    }
    localWriters.lock();
    try {
      return transaction(doing, true, work);
    } finally {
      localWriters.unlock();
    }
  }

  /**
   * The one transaction runner: opens a reader's or a writer's transaction as the dialect does it,
   * commits when {@code work} returns and rolls back when it throws, and hands the connection back
   * with the auto-commit mode and isolation level it came with, on every path. A serialization
   * failure or deadlock runs the whole work again, up to {@value #MAX_ATTEMPTS} times: every caller's
   * work may run more than once (see {@link Store#write}).
   */
  private <T> T transaction(String doing, boolean write, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (java.sql.Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        try {
          dialect.begin(c, write);
          try {
            T result = work.run(c);
            dialect.commit(c);
            return result;
          } catch (SQLException | RuntimeException | Error e) {
            rollbackQuietly(c);
            throw e;
          }
        } finally {
          dialect.end(c);
          if (c.getTransactionIsolation() != isolation) {
            c.setTransactionIsolation(isolation);
          }
          if (c.getAutoCommit() != autoCommit) {
            c.setAutoCommit(autoCommit);
          }
        }
      } catch (SQLException | SqlFailure e) {
        Throwable cause = e instanceof SqlFailure ? e.getCause() : e;
        if (SqlErrors.isRetryable(cause) && attempt < MAX_ATTEMPTS) {
          LOG.debug("retrying {} after {}", doing, cause.getMessage());
          continue;
        }
        throw SqlErrors.translate(cause, doing, sql);
      }
    }
  }

  private void rollbackQuietly(java.sql.Connection c) {
    try {
      dialect.rollback(c);
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it and the database rolls back
    }
  }

  @Override
  public <T> T read(Function<? super StoreReader, ? extends T> work) {
    // one snapshot for the whole read, so that its parts agree with each other
    return transaction("reading", false, c -> work.apply(new Tx(c)));
  }

  @Override
  public <T> T write(Function<? super StoreWriter, ? extends T> work) {
    return inTransaction("writing", c -> {
      dialect.lockWriters(c, sql);
      Tx tx = new Tx(c);
      T result = work.apply(tx);
      // every unit of work counts as a change: kept replays are checked against this number
      tx.buffer.add(sql.bumpChangeCount(), "change_count");
      tx.flush();
      return result;
    });
  }

  // ---------------------------------------------------------------- one transaction's view

  /** How many ids one {@code IN (...)} list binds at most. */
  private static final int IN_LIST = 500;

  private static <T> List<List<T>> chunks(List<T> all) {
    List<List<T>> out = new ArrayList<>();
    for (int from = 0; from < all.size(); from += IN_LIST) {
      out.add(all.subList(from, Math.min(all.size(), from + IN_LIST)));
    }
    return out;
  }

  private final class Tx implements StoreWriter {
    private final java.sql.Connection c;
    private final Map<ResourceId, Optional<Resource>> resources = new HashMap<>();
    private final Map<ResourceId, SortedSet<Connection>> outgoing = new HashMap<>();
    private final Map<ResourceId, SortedSet<Event>> events = new HashMap<>();
    private final WriteBuffer buffer = new WriteBuffer();
    // the commit counter and the tags' sizes are read at most once and written once, at the flush
    private Long commitCount;
    private boolean commitCountChanged;
    private final Map<Tag, Integer> tagGrowth = new LinkedHashMap<>();
    /** Per-resource log: the last version of each resource this unit of work has asked about. */
    private final Map<ResourceId, Long> lastVersion = new HashMap<>();

    Tx(java.sql.Connection c) {
      this.c = c;
    }

    private PreparedStatement prepare(String statement) throws SQLException {
      return c.prepareStatement(statement);
    }

    private long meta(String name) {
      return rows(sql.readMeta(), ps -> ps.setString(1, name), rs -> rs.getLong(1)).stream().findFirst()
          .orElseThrow(() -> new StoreException("the row " + name + " is missing from " + sql.meta()
              + ": the schema is damaged"));
    }

    private void setMeta(String name, long value) {
      buffer.add(sql.writeMeta(), name, value, name);
    }

    /** The change counter as this unit of work found it, read once. */
    private Long changeCount;

    @Override
    public OptionalLong changeCount() {
      if (changeCount == null) {
        changeCount = meta("change_count");
      }
      return OptionalLong.of(changeCount);
    }

    private long commitCount() {
      if (commitCount == null) {
        commitCount = meta("commit_count");
      }
      return commitCount;
    }

    /** Sends every held-back write: before each read, and before the transaction commits. */
    void flush() throws SQLException {
      for (Map.Entry<Tag, Integer> grown : tagGrowth.entrySet()) {
        recordTag(grown.getKey(), grown.getValue());
      }
      tagGrowth.clear();
      if (commitCountChanged) {
        setMeta("commit_count", commitCount);
        commitCountChanged = false;
      }
      buffer.flush(c);
    }

    /** Binds a prepared statement's parameters. */
    private interface Binder {
      void bind(PreparedStatement ps) throws SQLException;
    }

    /** Turns the current row into a value. */
    private interface RowMapper<T> {
      T map(ResultSet rs) throws SQLException;
    }

    private static final Binder NO_PARAMETERS = ps -> { };

    /** Every row of one query, mapped: the one place where reads meet JDBC. */
    private <T> List<T> rows(String statement, Binder binder, RowMapper<T> mapper) {
      try {
        flush();
      } catch (SQLException e) {
        throw new SqlFailure(e);
      }
      try (PreparedStatement ps = prepare(statement)) {
        binder.bind(ps);
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(mapper.map(rs));
          }
        }
        return out;
      } catch (SQLException e) {
        throw new SqlFailure(e);
      }
    }

    private void readOutgoing(Collection<ResourceId> emitters) {
      readIndex(outgoing, emitters, sql::outgoing, rs -> new Connection(
          new InputRef(ResourceId.of(rs.getString(1)), rs.getString(2)),
          new InputRef(ResourceId.of(rs.getString(3)), rs.getString(4)), rs.getBoolean(5),
          nonEmpty(rs.getString(6))), c -> c.emitter().resource());
    }

    private void readEvents(Collection<ResourceId> sources) {
      readIndex(events, sources, sql::eventsFrom, rs -> new Event(ResourceId.of(rs.getString(1)), rs.getString(2),
          ResourceId.of(rs.getString(3)), nonEmpty(rs.getString(4))), Event::source);
    }

    /**
     * Fills {@code cache} with the rows of an index (connections by emitter, events by source) for the
     * {@code ids} it does not hold yet, one query per {@value #IN_LIST} ids.
     */
    private <T extends Comparable<T>> void readIndex(Map<ResourceId, SortedSet<T>> cache, Collection<ResourceId> ids,
        IntFunction<String> statement, RowMapper<T> mapper, Function<T, ResourceId> owner) {
      List<ResourceId> unknown = ids.stream().distinct().filter(id -> !cache.containsKey(id)).toList();
      for (List<ResourceId> chunk : chunks(unknown)) {
        Map<ResourceId, SortedSet<T>> found = new HashMap<>();
        chunk.forEach(id -> found.put(id, new TreeSet<>()));
        for (T row : rows(statement.apply(chunk.size()), bindNames(chunk), mapper)) {
          found.get(owner.apply(row)).add(row);
        }
        found.forEach((id, rows) -> cache.put(id, Collections.unmodifiableSortedSet(rows)));
      }
    }

    /**
     * Reads what planning asks of each resource named by the staged log or marked pending (its applied
     * state, outgoing connections and events) in a few queries, instead of three round trips for each
     * resource as the planner walks them: most of a large plan's time against a database server.
     */
    private void readAhead(Collection<ResourceId> ids) {
      state.getAll(ids);
      readOutgoing(ids);
      readEvents(ids);
    }

    private static Optional<String> nonEmpty(String s) {
      return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private final StateStore state = new StateStore() {
      @Override
      public Optional<Resource> get(ResourceId id) {
        return resources.computeIfAbsent(id, k -> rows(sql.getResource(), ps -> ps.setString(1, k.name()),
            rs -> JsonCodec.resource(JsonCodec.read(rs.getString(1)))).stream().findFirst());
      }

      @Override
      public Map<ResourceId, Resource> getAll(Collection<ResourceId> ids) {
        List<ResourceId> unknown = ids.stream().distinct().filter(id -> !resources.containsKey(id)).toList();
        for (List<ResourceId> chunk : chunks(unknown)) {
          chunk.forEach(id -> resources.put(id, Optional.empty()));
          for (Resource r : rows(sql.getResources(chunk.size()), bindNames(chunk),
              rs -> JsonCodec.resource(JsonCodec.read(rs.getString(1))))) {
            resources.put(r.id(), Optional.of(r));
          }
        }
        Map<ResourceId, Resource> found = new LinkedHashMap<>();
        for (ResourceId id : ids) {
          resources.get(id).ifPresent(r -> found.put(id, r));
        }
        return found;
      }

      @Override
      public SortedSet<Connection> outgoing(ResourceId emitter) {
        readOutgoing(List.of(emitter));
        return outgoing.get(emitter);
      }

      @Override
      public SortedSet<Event> eventsFrom(ResourceId source) {
        readEvents(List.of(source));
        return events.get(source);
      }

      @Override
      public List<Resource> all() {
        return rows(sql.allResources(), NO_PARAMETERS, rs -> JsonCodec.resource(JsonCodec.read(rs.getString(1))));
      }

      @Override
      public long count() {
        return rows(sql.countResources(), NO_PARAMETERS, rs -> rs.getLong(1)).get(0);
      }
    };

    private final StagedLog staged = new StagedLog() {
      @Override
      public long position() {
        return meta("staged_position");
      }

      @Override
      public List<StagedEntry> entries() {
        Map<Long, DecodedEntry> known = decoded;
        Map<Long, DecodedEntry> seen = new HashMap<>();
        List<StagedEntry> out = rows(sql.stagedEntries(), NO_PARAMETERS, rs -> {
          long seq = rs.getLong(1);
          String edit = rs.getString(2);
          String revertOf = rs.getString(3);
          DecodedEntry d = known.get(seq);
          if (d == null || !d.edit().equals(edit) || !Objects.equals(d.revertOf(), revertOf)) {
            d = new DecodedEntry(edit, revertOf, new StagedEntry(seq, JsonCodec.edit(JsonCodec.read(edit)),
                nonEmpty(revertOf).map(Tag::of)));
          }
          seen.put(seq, d);
          return d.entry();
        });
        decoded = seen; // only what is staged now, so the cache never outgrows the log
        readAhead(out.stream().map(StagedEntry::owner).toList());
        return out;
      }

      @Override
      public Set<ResourceId> pending() {
        Set<ResourceId> ids = new LinkedHashSet<>(
            rows(sql.pending(), NO_PARAMETERS, rs -> ResourceId.of(rs.getString(1))));
        readAhead(ids);
        return ids;
      }
    };

    private final CommitLog commits = new CommitLog() {
      @Override
      public CommitLogVariant variant() {
        return variant;
      }

      @Override
      public List<Tag> tags() {
        return rows(sql.tags(), NO_PARAMETERS, rs -> Tag.of(rs.getString(1)));
      }

      @Override
      public List<Commit> ofTag(Tag tag) {
        return commitRows(sql.ofTag(), ps -> ps.setString(1, tag.name()));
      }

      @Override
      public List<Commit> ofResource(ResourceId id) {
        return commitRows(sql.ofResource(), ps -> ps.setString(1, id.name()));
      }

      @Override
      public List<Commit> page(long offset, int limit) {
        if (offset < 0 || limit < 0) {
          throw new IllegalArgumentException("offset and limit must not be negative");
        }
        return commitRows(sql.page(), ps -> {
          ps.setInt(1, limit);
          ps.setLong(2, offset);
        });
      }

      @Override
      public Optional<Commit> get(CommitPosition position) {
        List<Commit> found;
        if (position instanceof CommitPosition.Global g && variant == CommitLogVariant.GLOBAL) {
          found = commitRows(sql.getCommit(), ps -> ps.setLong(1, g.sequence()));
        } else if (position instanceof CommitPosition.PerResource r && variant == CommitLogVariant.PER_RESOURCE) {
          found = commitRows(sql.getCommit(), ps -> {
            ps.setString(1, r.resource().name());
            ps.setLong(2, r.version());
          });
        } else {
          found = List.of();
        }
        return found.stream().findFirst();
      }

      @Override
      public long size() {
        return commitCount();
      }
    };

    private List<Commit> commitRows(String statement, Binder binder) {
      return rows(statement, binder, rs -> {
        long pos = rs.getLong(1);
        ResourceId resource = ResourceId.of(rs.getString(4));
        CommitPosition position = variant == CommitLogVariant.GLOBAL
            ? CommitPosition.global(pos) : CommitPosition.of(resource, pos);
        return JsonCodec.commit(JsonCodec.read(rs.getString(5)), Tag.of(rs.getString(2)), rs.getInt(3), position);
      });
    }

    @Override
    public StateStore state() {
      return state;
    }

    @Override
    public StagedLog staged() {
      return staged;
    }

    @Override
    public CommitLog commits() {
      return commits;
    }

    // ------------------------------------------------------------ writes

    private Binder bindNames(List<ResourceId> ids) {
      return ps -> {
        for (int i = 0; i < ids.size(); i++) {
          ps.setString(i + 1, ids.get(i).name());
        }
      };
    }

    @Override
    public void putResource(Resource resource) {
      // an apply has read the row before it commits, so this costs no round trip there
      Optional<Resource> known = state.get(resource.id());
      String id = resource.id().name();
      String body = JsonCodec.write(JsonCodec.resource(resource));
      if (known.isPresent()) {
        buffer.add(sql.updateResource(), id, body, id);
      } else {
        buffer.add(sql.insertResource(), id, id, body);
      }
      // the indexes are rewritten only when they change
      writeIncoming(resource.id(), known.map(Resource::incoming).orElse(Collections.emptySortedSet()),
          resource.incoming());
      if (!known.map(Resource::events).orElse(Collections.emptySortedSet()).equals(resource.events())) {
        writeEvents(resource.id(), resource.events(), known.isPresent());
      }
      resources.put(resource.id(), Optional.of(resource));
    }

    /** Writes the index rows that differ between a receiver's old and new incoming connections. */
    private void writeIncoming(ResourceId receiver, Collection<Connection> old, Collection<Connection> now) {
      if (old.equals(now)) {
        return;
      }
      String key = receiver.name();
      Set<Connection> kept = new java.util.HashSet<>(now);
      kept.retainAll(old);
      for (Connection conn : old) {
        if (!kept.contains(conn)) {
          buffer.add(sql.deleteConnection(), key, conn.emitter().resource().name(), conn.emitter().input(),
              key, conn.receiver().input(), conn.key().orElse(""));
        }
      }
      for (Connection conn : now) {
        if (!kept.contains(conn)) {
          buffer.add(sql.insertConnection(), key, key, conn.receiver().input(), conn.emitter().resource().name(),
              conn.emitter().input(), conn.collecting(), conn.key().orElse(""));
        }
      }
      outgoing.clear();
    }

    private void writeEvents(ResourceId target, Collection<Event> targeting, boolean delete) {
      String key = target.name();
      if (delete) {
        buffer.add(sql.deleteEvents(), key, key);
      }
      for (Event e : targeting) {
        buffer.add(sql.insertEvent(), key, e.target().name(), e.source().name(), e.trigger(),
            e.reaction().orElse(""));
      }
      events.clear();
    }

    @Override
    public void deleteResource(ResourceId id) {
      // read before the delete is queued: a read sends what is queued first
      SortedSet<Connection> old = state.get(id).map(Resource::incoming).orElse(Collections.emptySortedSet());
      String key = id.name();
      buffer.add(sql.deleteResource(), key, key);
      writeIncoming(id, old, List.of());
      writeEvents(id, List.of(), true);
      resources.put(id, Optional.empty());
    }

    @Override
    public void appendStaged(List<StagedEntry> entries) {
      if (entries.isEmpty()) {
        return;
      }
      long position = meta("staged_position");
      long expect = position;
      for (StagedEntry e : entries) {
        if (e.sequence() != ++expect) {
          throw new StoreException("staged entry " + e.sequence() + " does not continue the log at " + (expect - 1));
        }
      }
      for (StagedEntry e : entries) {
        buffer.add(sql.insertStaged(), Long.toString(e.sequence()), e.sequence(), e.owner().name(),
            JsonCodec.write(JsonCodec.edit(e.edit())), e.revertOf().map(Tag::name).orElse(null));
      }
      setMeta("staged_position", expect);
    }

    @Override
    public void removeStaged(Collection<Long> sequences) {
      // a resource's entries often follow each other in the log: one statement per run of them
      long[] seqs = sequences.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
      for (int from = 0, to; from < seqs.length; from = to) {
        to = from + 1;
        while (to < seqs.length && seqs[to] == seqs[to - 1] + 1) {
          to++;
        }
        if (to - from == 1) {
          buffer.add(sql.deleteStaged(), Long.toString(seqs[from]), seqs[from]);
        } else {
          List<String> keys = new ArrayList<>(to - from);
          for (int i = from; i < to; i++) {
            keys.add(Long.toString(seqs[i]));
          }
          buffer.add(sql.deleteStagedRange(), keys, seqs[from], seqs[to - 1]);
        }
      }
    }

    @Override
    public void consumeStaged(ResourceId owner, long upTo, Collection<Long> sequences) {
      // one small row instead of deleting the entries one action at a time: each delete rewrites
      // pages of large edit bodies, all over the log; foldConsumed() deletes them in one statement
      buffer.add(sql.markConsumed(), owner.name(), owner.name(), upTo);
    }

    @Override
    public void addPending(Collection<ResourceId> ids) {
      for (ResourceId id : new LinkedHashSet<>(ids)) {
        String key = id.name();
        buffer.add(sql.insertPendingIfAbsent(), key, key, key);
      }
    }

    @Override
    public void removePending(Collection<ResourceId> ids) {
      for (ResourceId id : ids) {
        String key = id.name();
        buffer.add(sql.deletePending(), key, key);
      }
    }

    @Override
    public Commit appendCommit(CommitDraft draft) {
      return appendCommits(List.of(draft)).get(0);
    }

    @Override
    public List<Commit> appendCommits(List<CommitDraft> drafts) {
      if (variant == CommitLogVariant.PER_RESOURCE) {
        readLastVersions(drafts.stream().map(CommitDraft::resource).toList());
      }
      List<Commit> out = new ArrayList<>(drafts.size());
      for (CommitDraft draft : drafts) {
        long count = commitCount();
        long pos = variant == CommitLogVariant.GLOBAL ? count + 1 : lastVersion.merge(draft.resource(), 1L, Long::sum);
        buffer.add(sql.insertCommit(), draft.resource().name() + "@" + pos, pos, draft.tag().name(), draft.index(),
            draft.resource().name(), JsonCodec.write(JsonCodec.commit(draft)));
        tagGrowth.merge(draft.tag(), 1, Integer::sum);
        commitCount = count + 1;
        commitCountChanged = true;
        out.add(Commit.of(draft, variant == CommitLogVariant.GLOBAL
            ? CommitPosition.global(pos) : CommitPosition.of(draft.resource(), pos)));
      }
      return out;
    }

    /** Fills {@link #lastVersion} for {@code ids}, one query per {@value #IN_LIST} unknown ones. */
    private void readLastVersions(List<ResourceId> ids) {
      List<ResourceId> unknown = ids.stream().distinct().filter(id -> !lastVersion.containsKey(id)).toList();
      for (List<ResourceId> chunk : chunks(unknown)) {
        chunk.forEach(id -> lastVersion.put(id, 0L));
        rows(sql.lastVersions(chunk.size()), bindNames(chunk),
            rs -> lastVersion.put(ResourceId.of(rs.getString(1)), rs.getLong(2)));
      }
    }

    private void recordTag(Tag tag, int added) throws SQLException {
      try (PreparedStatement ps = prepare(sql.growTag())) {
        ps.setInt(1, added);
        ps.setString(2, tag.name());
        if (ps.executeUpdate() == 1) {
          return;
        }
      }
      long ordinal;
      try (PreparedStatement ps = prepare(sql.maxTagOrdinal()); ResultSet rs = ps.executeQuery()) {
        rs.next();
        ordinal = rs.getLong(1) + 1;
      }
      try (PreparedStatement ps = prepare(sql.insertTag())) {
        ps.setString(1, tag.name());
        ps.setLong(2, ordinal);
        ps.setInt(3, added);
        ps.executeUpdate();
      }
    }
  }

  // ---------------------------------------------------------------- the apply lease

  @Override
  public Optional<ApplyLease> tryLease(String holder) {
    return dialect.usesAdvisoryLease() ? advisoryLease(holder) : rowLease(holder);
  }

  @Override
  public Optional<String> leaseHolder() {
    try {
      return transaction("reading the lease", false, c -> {
        try (PreparedStatement ps = c.prepareStatement(sql.peekLease()); ResultSet rs = ps.executeQuery()) {
          if (rs.next() && (dialect.usesAdvisoryLease() || rs.getLong(2) > rs.getLong(3))) {
            return Optional.of(rs.getString(1));
          }
          return Optional.empty();
        }
      });
    } catch (StagehandException e) {
      return Optional.empty();
    }
  }

  /** PostgreSQL: a session advisory lock on a connection kept for the lease; dies with the holder. */
  private Optional<ApplyLease> advisoryLease(String holder) {
    java.sql.Connection c;
    try {
      c = dataSource.getConnection();
      c.setAutoCommit(true);
      boolean locked;
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
        ps.setLong(1, sql.leaseLockKey());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          locked = rs.getBoolean(1);
        }
      }
      if (!locked) {
        c.close();
        return Optional.empty();
      }
    } catch (SQLException e) {
      throw SqlErrors.translate(e, "taking the apply lease", sql);
    }
    String token = UUID.randomUUID().toString();
    writeLeaseRow(holder, token, ADVISORY_LEASE_ROW.toMillis());
    return Optional.of(new ApplyLease() {
      private volatile boolean closed;

      @Override
      public String holder() {
        return holder;
      }

      @Override
      public boolean isValid() {
        try {
          return !closed && !c.isClosed();
        } catch (SQLException e) {
          return false;
        }
      }

      @Override
      public void close() {
        if (closed) {
          return;
        }
        closed = true;
        endApply(token);
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
          ps.setLong(1, sql.leaseLockKey());
          ps.executeQuery().close();
        } catch (SQLException e) {
          LOG.warn("could not release the apply lease explicitly; it ends with its connection", e);
        } finally {
          try {
            c.close();
          } catch (SQLException ignored) {
            // the session, and with it the lock, ends either way
          }
        }
      }
    });
  }

  /** How long the row that names an advisory lease's holder claims to last: it is only a label. */
  private static final Duration ADVISORY_LEASE_ROW = Duration.ofDays(365 * 100);

  private void writeLeaseRow(String holder, String token, long millis) {
    inTransaction("recording the lease holder", c -> {
      try (PreparedStatement del = c.prepareStatement(sql.deleteLease())) {
        del.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(sql.insertLease())) {
        ps.setString(1, holder);
        ps.setString(2, token);
        ps.setLong(3, millis);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Deletes the staged entries that committed actions consumed, and their marks, in one unit of
   * work; reads skip those entries either way, so this only keeps the log small. Runs when an apply
   * lease ends; one that does not run (a crash, a failure here) leaves marks for the next one.
   */
  private void foldConsumed() {
    try {
      inTransaction("deleting consumed staged entries", c -> {
        dialect.lockWriters(c, sql);
        try (Statement st = c.createStatement()) {
          st.executeUpdate(sql.deleteConsumedEntries());
          st.executeUpdate(sql.deleteConsumedMarks());
        }
        return null;
      });
    } catch (StagehandException e) {
      LOG.warn("could not delete the consumed staged entries; reads skip them, the next apply tries again", e);
    }
  }

  /** What ending an apply lease does, whichever kind it is: fold the consumed marks, drop the row. */
  private void endApply(String token) {
    decoded = Map.of(); // an apply's decoded entries are consumed now; the next read decodes what is left
    foldConsumed();
    deleteLeaseRow(token);
  }

  private void deleteLeaseRow(String token) {
    try {
      inTransaction("releasing the lease", c -> {
        try (PreparedStatement ps = c.prepareStatement(sql.releaseLease())) {
          ps.setString(1, token);
          ps.executeUpdate();
        }
        return null;
      });
    } catch (StagehandException e) {
      LOG.warn("could not delete the lease row; it expires by itself", e);
    }
  }

  /**
   * SQLite (and any database without session locks): a lease row whose expiry is set and checked on
   * the database's clock, renewed by a heartbeat.
   */
  private Optional<ApplyLease> rowLease(String holder) {
    String token = UUID.randomUUID().toString();
    long duration = leaseDuration.toMillis();
    long asked = System.nanoTime();
    boolean taken = inTransaction("taking the apply lease", c -> {
      dialect.lockWriters(c, sql);
      try (PreparedStatement ps = c.prepareStatement(sql.readLease()); ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          try (PreparedStatement ins = c.prepareStatement(sql.insertLease())) {
            ins.setString(1, holder);
            ins.setString(2, token);
            ins.setLong(3, duration);
            ins.executeUpdate();
          }
          return true;
        }
        if (rs.getLong(3) > rs.getLong(4)) {
          return false;
        }
        LOG.warn("taking over the apply lease of {}, which expired without being released", rs.getString(1));
      }
      try (PreparedStatement upd = c.prepareStatement(sql.takeLease())) {
        upd.setString(1, holder);
        upd.setString(2, token);
        upd.setLong(3, duration);
        upd.executeUpdate();
      }
      return true;
    });
    if (!taken) {
      return Optional.empty();
    }
    // the row expires a lease duration after the database's clock read it, which was after we asked
    RowLease lease = new RowLease(holder, token, asked + TimeUnit.MILLISECONDS.toNanos(duration));
    long period = Math.max(100, duration / 3);
    synchronized (liveLeases) {
      liveLeases.add(lease);
    }
    lease.heartbeat = heartbeats.scheduleAtFixedRate(lease::renew, period, period, TimeUnit.MILLISECONDS);
    return Optional.of(lease);
  }

  /** The row leases this store holds, released when it closes. */
  private final Set<RowLease> liveLeases = new java.util.HashSet<>();

  private final class RowLease implements ApplyLease {
    private final String holder;
    private final String token;
    /** A local deadline ({@link System#nanoTime}) no later than the row's expiry on the database's clock. */
    private volatile long validUntil;
    private volatile boolean closed;
    private volatile boolean lost;
    private ScheduledFuture<?> heartbeat;

    RowLease(String holder, String token, long validUntil) {
      this.holder = holder;
      this.token = token;
      this.validUntil = validUntil;
    }

    void renew() {
      if (closed || lost) {
        return;
      }
      long duration = leaseDuration.toMillis();
      long asked = System.nanoTime();
      try {
        int updated = inTransaction("renewing the apply lease", c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.renewLease())) {
            ps.setLong(1, duration);
            ps.setString(2, token);
            return ps.executeUpdate();
          }
        });
        if (updated == 1) {
          validUntil = asked + TimeUnit.MILLISECONDS.toNanos(duration);
        } else {
          lost = true;
          LOG.error("the apply lease of {} was taken over by another holder", holder);
        }
      } catch (StagehandException e) {
        LOG.warn("could not renew the apply lease; it stays valid for {} ms more", 
            TimeUnit.NANOSECONDS.toMillis(validUntil - System.nanoTime()), e);
      }
    }

    @Override
    public String holder() {
      return holder;
    }

    @Override
    public boolean isValid() {
      return !closed && !lost && System.nanoTime() - validUntil < 0;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (heartbeat != null) {
        heartbeat.cancel(false);
      }
      synchronized (liveLeases) {
        liveLeases.remove(this);
      }
      endApply(token);
    }
  }

  @Override
  public String toString() {
    return "JdbcStore[" + dialect + ", " + sql.prefix() + "*, " + variant + "]";
  }
}
