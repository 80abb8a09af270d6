package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.StagehandException;
import io.stagehand.core.StoreException;
import io.stagehand.core.apply.LeaseInfo;
import io.stagehand.core.model.Connection;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.Store;
import io.stagehand.core.spi.StoreReader;
import io.stagehand.core.spi.StoreWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store in a relational database: SQLite (one file, the embedded default; several processes on one
 * machine) or PostgreSQL 14+ (several processes and machines sharing one deployment state). One
 * database transaction per unit of work; writers are serialised, so the global log never shows a
 * later position before an earlier one. Close it when done: that releases a lease it still holds,
 * stops its lease heartbeat and, for {@link #sqliteFile}, closes its connections.
 *
 * <p>Sensitive values are stored in clear unless the store is built with a {@link SecretCodec}
 * ({@link Builder#secrets}), which seals them in every table; {@link #rotateSecrets()} re-seals them
 * under a new key.
 *
 * <p>This class is the entry point only; the parts are package-private: {@link Transactions} (the
 * one transaction runner), {@link Schema} and {@link Migrations}, {@link UnitOfWork} over the tables
 * by concern ({@link ResourceTable}, {@link StagedTable}, {@link CommitTable}), the dialect's
 * {@link Leases}, and the SQL in {@link Statements}.
 */
public final class JdbcStore implements Store, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

  private final SqlDialect dialect;
  private final CommitLogVariant variant;
  private final Statements sql;
  private final Transactions tx;
  private final Schema schema;
  private final Leases leases;
  private final StagedTable.DecodedEntries decoded = new StagedTable.DecodedEntries();
  private final Optional<SecretCodec> secrets;
  /** The stored JSON, sealing sensitive values if the store has a {@link SecretCodec}. */
  private final JsonCodec json;
  /** The connections this store opened itself ({@link #sqliteFile}), closed with it. */
  private final AutoCloseable ownedConnections;

  private JdbcStore(Builder b, SqlDialect dialect, DataSource dataSource, AutoCloseable ownedConnections) {
    this.dialect = dialect;
    this.variant = b.variant;
    this.sql = new Statements(b.tablePrefix, dialect, b.variant);
    this.tx = new Transactions(dataSource, dialect, sql);
    this.schema = new Schema(tx, sql, b.beforeMigrationStep);
    this.leases = Leases.of(dialect, tx, sql, b.leaseDuration, this::endApply);
    this.ownedConnections = ownedConnections;
    this.secrets = Optional.ofNullable(b.secrets);
    this.json = new JsonCodec(secrets);
  }

  /** A builder: only the database (a {@code DataSource} or a SQLite file) is required. */
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
    private Consumer<String> beforeMigrationStep = step -> { };
    private SecretCodec secrets;

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
     * Store sensitive values sealed (encrypted) by {@code codec}, e.g. an {@link AesGcmSecretCodec}:
     * the value of every sensitive input, in the staged log, the applied resources and the commits.
     * Without it they are stored in clear. Every process that opens the store must be given a codec
     * that holds the keys its values are sealed with; {@link JdbcStore#rotateSecrets()} re-seals them
     * under the codec's current key.
     */
    public Builder secrets(SecretCodec codec) {
      this.secrets = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** Tests: called inside each migration step's transaction before its statements. */
    Builder beforeMigrationStep(Consumer<String> hook) {
      this.beforeMigrationStep = Objects.requireNonNull(hook, "hook");
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
        store.schema.open(createSchemaIfMissing);
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
   * Releases a lease still held, stops the lease heartbeat and closes the connections the store
   * opened itself; a data source passed in stays open, as its owner's to close. Idempotent.
   */
  @Override
  public void close() {
    leases.close();
    closeOwned(ownedConnections);
  }

  // ---------------------------------------------------------------- schema

  /**
   * The schema version, or empty if there is no schema with this prefix. Also checks that the stored
   * commit-log variant is this store's.
   */
  public Optional<Integer> schemaVersion() {
    return schema.version();
  }

  /** Creates the tables of this prefix and variant if they are not there yet; safe to call again. */
  public void createSchema() {
    schema.create();
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
    return schema.sqlitePragmas();
  }

  /** {@inheritDoc} One snapshot for the whole read, so that its parts agree with each other. */
  @Override
  public <T> T read(Function<? super StoreReader, ? extends T> work) {
    return tx.read("reading", c -> work.apply(new UnitOfWork(c, sql, json, decoded)));
  }

  /**
   * {@inheritDoc} One database transaction under the writers' lock; after a serialization failure or
   * a deadlock the transaction is rolled back and {@code work} runs again (up to three times).
   */
  @Override
  public <T> T write(Function<? super StoreWriter, ? extends T> work) {
    return tx.write("writing", c -> {
      dialect.lockWriters(c, sql);
      UnitOfWork uow = new UnitOfWork(c, sql, json, decoded);
      T result = work.apply(uow);
      // every unit of work counts as a change: kept replays are checked against this number
      uow.countChange();
      uow.flush();
      return result;
    });
  }

  // ---------------------------------------------------------------- the apply lease

  @Override
  public Optional<ApplyLease> tryLease(String holder) {
    return leases.tryLease(holder);
  }

  @Override
  public void forceReleaseLease() {
    leases.forceRelease();
  }

  @Override
  public Optional<io.stagehand.core.apply.LeaseInfo> leaseHolder() {
    return leases.holder();
  }

  /**
   * What ending an apply lease does, whichever kind it is: the apply's decoded entries are consumed
   * now, so the cache goes; the consumed staged entries are deleted in one unit of work (reads skip
   * them either way, so this only keeps the log small; one that does not run, after a crash or a
   * failure here, leaves the marks for the next apply).
   */
  private void endApply() {
    decoded.clear();
    try {
      int deleted = tx.write("deleting consumed staged entries", c -> {
        dialect.lockWriters(c, sql);
        return new UnitOfWork(c, sql, json, decoded).staged.deleteConsumed();
      });
      if (deleted >= VACUUM_AFTER && dialect == SqlDialect.POSTGRES) {
        // PostgreSQL keeps deleted rows until a vacuum, and every read of the log scanned them until
        // autovacuum came by (421 ms per read after a 100k apply); the apply's end pays once instead
        tx.outside("vacuuming the staged log", c -> {
          try (java.sql.Statement st = c.createStatement()) {
            st.execute(sql.staged.vacuum());
          }
          return null;
        });
      }
    } catch (io.stagehand.core.StagehandException e) {
      LOG.warn("could not delete the consumed staged entries; reads skip them, the next apply tries again", e);
    }
  }

  // ---------------------------------------------------------------- secrets

  /**
   * Re-seals every sensitive value the store holds under the {@link SecretCodec}'s current key, in
   * one transaction: values sealed under an older key, and values still stored in clear (so this also
   * turns encryption on for a database written without a codec). It reads the staged log (consumed
   * entries included), the applied resources and the whole commit log, and rewrites the rows that
   * need it; returns how many it rewrote (0 when every value was sealed under the current key).
   *
   * <p>Before rotating, give every process that uses the store a codec whose current key is the new
   * one and which still holds the old keys for reading; a process still sealing under an old key
   * would go on writing values that the old key opens. Once this returns, the old keys may go.
   * On SQLite the file is vacuumed afterwards, so that no rewritten text remains in its free pages or
   * its WAL; on PostgreSQL the old row versions remain in the table files until a vacuum reclaims and
   * overwrites them ({@code VACUUM FULL} rewrites them at once), and in the server's WAL and backups.
   *
   * @throws StoreException without a codec, or when a stored value does not open with its keys
   */
  public int rotateSecrets() {
    SecretCodec codec = secrets.orElseThrow(() -> new StoreException(
        "rotateSecrets() re-seals values with the store's SecretCodec, and this store has none: build it with "
            + ".secrets(...)"));
    int rewritten = tx.write("re-sealing the sensitive values", c -> {
      dialect.lockWriters(c, sql);
      UnitOfWork uow = new UnitOfWork(c, sql, json, decoded);
      int rows = uow.staged.reseal() + uow.resources.reseal() + uow.commits.reseal();
      uow.countChange();
      uow.flush();
      return rows;
    });
    LOG.info("re-sealed {} rows of {}* under the key {}", rewritten, sql.prefix(), codec.currentKeyId());
    if (rewritten > 0 && dialect == SqlDialect.SQLITE) {
      scrubSqlite(rewritten);
    }
    return rewritten;
  }

  /**
   * SQLite keeps the old text of rewritten rows in free pages and in the WAL until they are reused:
   * VACUUM rebuilds every page, and a truncating checkpoint empties the WAL.
   */
  private void scrubSqlite(int rewritten) {
    try {
      boolean emptied = tx.outside("vacuuming the SQLite file after re-sealing", c -> {
        try (java.sql.Statement st = c.createStatement()) {
          st.execute(sql.schema.vacuum());
          try (java.sql.ResultSet rs = st.executeQuery(sql.schema.truncateWal())) {
            return !rs.next() || rs.getInt(1) == 0;
          }
        }
      });
      if (!emptied) {
        LOG.warn("re-sealed {} rows of {}*, but another connection was reading, so the SQLite WAL file could not be "
            + "emptied; the old text of those rows stays in it until SQLite's next checkpoint overwrites it",
            rewritten, sql.prefix());
      }
    } catch (StoreException e) {
      throw new StoreException("re-sealed " + rewritten + " rows, but could not vacuum the SQLite "
          + "file afterwards, so their old text may remain in its free pages: " + e.getMessage()
          + "; run VACUUM on it when no other process uses it", e);
    }
  }

  /** How many consumed entries one apply deletes before its end vacuums the staged log (PostgreSQL). */
  private static final int VACUUM_AFTER = 1_000;

  @Override
  public String toString() {
    return "JdbcStore[" + dialect + ", " + sql.prefix() + "*, " + variant + "]";
  }
}
