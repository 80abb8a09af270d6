package io.stagehand.store.api;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@code DataSource} that injects faults into a JDBC store, for tests of what a store promises when
 * the database misbehaves: run something (another process's stage, a pause) before the n-th
 * connection is handed out, delay every connection, fail the n-th statement or commit, or end the
 * session before the n-th statement. Counting starts at 1 and
 * covers every connection of the wrapped source; a commit is {@code Connection.commit()} or an
 * executed {@code COMMIT} statement (SQLite's transactions are opened and ended by statements).
 *
 * <p>An injected failure is an {@link SQLException} with SQLState {@code 08006} (connection failure),
 * the kind of error a store must survive without losing anything.
 */
public final class FaultyDataSource implements DataSource {
  private final DataSource delegate;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger statements = new AtomicInteger();
  private final AtomicInteger commits = new AtomicInteger();
  private volatile IntConsumer beforeConnection = n -> { };
  private volatile IntPredicate failStatement = n -> false;
  private volatile IntPredicate failCommit = n -> false;
  private volatile IntPredicate endSession = n -> false;

  private FaultyDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /** {@code delegate}, with no fault armed yet. */
  public static FaultyDataSource wrap(DataSource delegate) {
    return new FaultyDataSource(delegate);
  }

  /** Runs {@code hook} with the connection's number before each connection is handed out. */
  public FaultyDataSource beforeConnection(IntConsumer hook) {
    this.beforeConnection = hook;
    return this;
  }

  /** Fails each statement execution whose number {@code which} accepts. */
  public FaultyDataSource failStatement(IntPredicate which) {
    this.failStatement = which;
    return this;
  }

  /** Fails each commit whose number {@code which} accepts; the transaction is then rolled back by its owner. */
  public FaultyDataSource failCommit(IntPredicate which) {
    this.failCommit = which;
    return this;
  }

  /** Sleeps {@code delay} before every connection is handed out, as a slow pool or network would. */
  public FaultyDataSource delayConnections(java.time.Duration delay) {
    return beforeConnection(n -> {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /**
   * Ends the session (closes the physical connection) before each statement execution whose number
   * {@code which} accepts, as an idle timeout, a proxy or {@code pg_terminate_backend} would: that
   * statement and every later use of the connection fail.
   */
  public FaultyDataSource endSession(IntPredicate which) {
    this.endSession = which;
    return this;
  }

  /** Disarms every fault and hook. */
  public FaultyDataSource heal() {
    beforeConnection = n -> { };
    failStatement = n -> false;
    failCommit = n -> false;
    endSession = n -> false;
    return this;
  }

  /** How many connections, statement executions and commits were asked for so far. */
  public int connections() {
    return connections.get();
  }

  public int statements() {
    return statements.get();
  }

  public int commits() {
    return commits.get();
  }

  private static SQLException injected(String what) {
    return new SQLException("injected failure: " + what, "08006");
  }

  @Override
  public Connection getConnection() throws SQLException {
    beforeConnection.accept(connections.incrementAndGet());
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    beforeConnection.accept(connections.incrementAndGet());
    return wrap(delegate.getConnection(username, password));
  }

  private Connection wrap(Connection physical) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("commit") && failCommit.test(commits.incrementAndGet())) {
            throw injected("commit " + commits.get());
          }
          Object result = invoke(physical, method, args);
          if (result instanceof Statement s) {
            return wrapStatement(physical, s, method.getReturnType());
          }
          return result;
        });
  }

  private Object wrapStatement(Connection physical, Statement statement, Class<?> type) {
    Class<?> face = CallableStatement.class.isAssignableFrom(type) ? CallableStatement.class
        : PreparedStatement.class.isAssignableFrom(type) ? PreparedStatement.class : Statement.class;
    return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {face}, (proxy, method, args) -> {
      if (method.getName().startsWith("execute")) {
        if (args != null && args.length > 0 && args[0] instanceof String sql
            && sql.trim().toUpperCase(Locale.ROOT).startsWith("COMMIT")
            && failCommit.test(commits.incrementAndGet())) {
          throw injected("commit " + commits.get());
        }
        int n = statements.incrementAndGet();
        if (endSession.test(n)) {
          physical.close();
        }
        if (failStatement.test(n)) {
          throw injected("statement " + n);
        }
      }
      return invoke(statement, method, args);
    });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }
}
