package io.stagehand.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Counts and times the statements a store runs through a data source, by their SQL with each
 * {@code IN (?, ?, ...)} list folded into one: to see which queries a slow operation spends its time
 * in. A statement's time is its preparation, its {@code execute*} calls and its result's {@code next()}
 * calls (SQLite steps through the rows there), not what the caller does between rows. A diagnostic
 * for the printed notes, never on a measured path.
 */
final class QueryLog {
  private static final Pattern IN_LIST = Pattern.compile("\\?(\\s*,\\s*\\?)+");

  /** Per statement: how many times it ran, and its nanoseconds. */
  private final Map<String, LongAdder[]> bySql = new ConcurrentHashMap<>();

  /** {@code target}, with every statement run through its connections counted here. */
  DataSource wrap(DataSource target) {
    return proxy(DataSource.class, (method, args) -> {
      Object result = invoke(target, method, args);
      return method.getName().equals("getConnection") ? connection((Connection) result) : result;
    });
  }

  void clear() {
    bySql.clear();
  }

  /** How many statements ran, their total milliseconds, and the {@code top} ones by time. */
  String summary(int top) {
    long count = bySql.values().stream().mapToLong(a -> a[0].sum()).sum();
    long nanos = bySql.values().stream().mapToLong(a -> a[1].sum()).sum();
    String heaviest = bySql.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[1].sum(), a.getValue()[1].sum()))
        .limit(top)
        .map(e -> String.format(Locale.ROOT, "%d× %.1f ms %s", e.getValue()[0].sum(), e.getValue()[1].sum() / 1e6,
            e.getKey()))
        .collect(Collectors.joining("; "));
    return String.format(Locale.ROOT, "%d statements, %.1f ms in them; by time: %s", count, nanos / 1e6, heaviest);
  }

  private Connection connection(Connection target) {
    return proxy(Connection.class, (method, args) -> switch (method.getName()) {
      case "prepareStatement" -> {
        LongAdder[] counts = counts((String) args[0]);
        yield statement(PreparedStatement.class, (PreparedStatement) timed(counts[1], target, method, args), counts);
      }
      case "createStatement" -> statement(Statement.class, (Statement) invoke(target, method, args), null);
      default -> invoke(target, method, args);
    });
  }

  /** The counters of a statement: the times it ran, and its nanoseconds. */
  private LongAdder[] counts(String sql) {
    return bySql.computeIfAbsent(IN_LIST.matcher(sql).replaceAll("?…"),
        k -> new LongAdder[] {new LongAdder(), new LongAdder()});
  }

  /**
   * A statement whose executions are timed: under its SQL if prepared ({@code prepared} its counters,
   * which have its preparation already), else under the SQL passed to {@code execute}.
   */
  private <T extends Statement> T statement(Class<T> type, T target, LongAdder[] prepared) {
    return proxy(type, (method, args) -> {
      if (!method.getName().startsWith("execute")) {
        return invoke(target, method, args);
      }
      LongAdder[] counts = prepared != null ? prepared
          : counts(args != null && args.length > 0 ? (String) args[0] : "(a batch)");
      counts[0].increment();
      Object result = timed(counts[1], target, method, args);
      return result instanceof ResultSet rs ? rows(rs, counts[1]) : result;
    });
  }

  private static ResultSet rows(ResultSet target, LongAdder nanos) {
    return proxy(ResultSet.class, (method, args) -> method.getName().equals("next")
        ? timed(nanos, target, method, args) : invoke(target, method, args));
  }

  private static Object timed(LongAdder nanos, Object target, Method method, Object[] args) throws Throwable {
    long t0 = System.nanoTime();
    try {
      return invoke(target, method, args);
    } finally {
      nanos.add(System.nanoTime() - t0);
    }
  }

  /** A method call on a proxy, given the method and its arguments. */
  @FunctionalInterface
  private interface Call {
    Object call(Method method, Object[] args) throws Throwable;
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A proxy of {@code type} that is equal only to itself, and passes every other call to {@code call}. */
  private static <T> T proxy(Class<T> type, Call call) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
        switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> call.call(method, args);
        }));
  }
}
