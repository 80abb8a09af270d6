package io.stagehand.store.jdbc;

import io.stagehand.core.StoreException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connections of {@link JdbcStore#sqliteFile}: every connection opened with the store's pragmas
 * (WAL, the chosen {@code synchronous}, a busy timeout), and up to {@value #MAX_IDLE} kept open
 * between transactions. SQLite's driver has no pool of its own, and a new connection re-reads the
 * schema before its first statement; the store's tests use HikariCP instead, as any pool will do.
 * Kept apart from {@link JdbcStore} so that it loads without the SQLite driver on the class path.
 */
final class SqliteConnections implements DataSource, AutoCloseable {
  private static final int MAX_IDLE = 8;

  private final SQLiteDataSource source;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  private SqliteConnections(SQLiteDataSource source) {
    this.source = source;
  }

  /** The URL of the SQLite database in {@code file}. */
  static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }

  /** Connections to {@code file}, whose missing parent folders are created first. */
  static SqliteConnections open(Path file, SqliteSync sync, Duration busyTimeout) {
    Path folder = file.toAbsolutePath().getParent();
    try {
      if (folder != null) {
        java.nio.file.Files.createDirectories(folder);
      }
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create the folder " + folder + " for the SQLite database " + file + ": " + e, e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(sync == SqliteSync.FULL
        ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl(url(file));
    return new SqliteConnections(source);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection physical;
    synchronized (this) {
      if (closed) {
        throw new StoreException("this store is closed");
      }
      physical = idle.pollFirst();
    }
    if (physical == null) {
      physical = source.getConnection();
    }
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        new Lent(physical));
  }

  /** Takes a connection back: kept if it is healthy, idle connections are few and the pool is open. */
  private void giveBack(Connection physical) {
    boolean keep;
    try {
      if (!physical.getAutoCommit()) {
        physical.rollback();
        physical.setAutoCommit(true);
      }
      synchronized (this) {
        keep = !closed && idle.size() < MAX_IDLE && !physical.isClosed();
        if (keep) {
          idle.addFirst(physical);
        }
      }
    } catch (SQLException e) {
      keep = false;
    }
    if (!keep) {
      closeQuietly(physical);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing only releases the file handle; nothing is left to do
    }
  }

  /** Closes every idle connection; connections still lent out are closed as they come back. */
  @Override
  public void close() {
    Connection[] open;
    synchronized (this) {
      closed = true;
      open = idle.toArray(new Connection[0]);
      idle.clear();
    }
    for (Connection c : open) {
      closeQuietly(c);
    }
  }

  /** One lending of a physical connection: {@code close()} gives it back, once. */
  private final class Lent implements InvocationHandler {
    private final Connection physical;
    private boolean returned;

    Lent(Connection physical) {
      this.physical = physical;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close":
          if (!returned) {
            returned = true;
            giveBack(physical);
          }
          return null;
        case "isClosed":
          return returned || physical.isClosed();
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "pooled " + physical;
        default:
          if (returned) {
            throw new SQLException("this connection was closed");
          }
          try {
            return method.invoke(physical, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
      }
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // this pool logs nothing
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // opening a file does not wait for a server
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("logs through SLF4J");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper of " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
