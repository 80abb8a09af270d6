package io.stagehand.store.jdbc;

import io.stagehand.core.StoreException;
import java.util.function.Supplier;

/**
 * Turns a JDBC driver missing from the class path into an error that names the artifact to add,
 * instead of a bare {@code NoClassDefFoundError} from deep inside the store.
 */
final class Drivers {
  /** The Maven coordinates of the SQLite driver this library is built and tested with. */
  static final String SQLITE_ARTIFACT = "org.xerial:sqlite-jdbc:3.54.1.0";

  private Drivers() {}

  /** Runs {@code open}, which needs SQLite's driver. */
  static <T> T sqlite(Supplier<T> open) {
    try {
      return open.get();
    } catch (NoClassDefFoundError e) {
      if (e.getMessage() != null && e.getMessage().startsWith("org/sqlite")) {
        throw new StoreException("SQLite's JDBC driver is not on the class path (" + e.getMessage()
            + "); add the dependency " + SQLITE_ARTIFACT + " (or newer)", e);
      }
      throw e;
    }
  }
}
