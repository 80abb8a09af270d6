package io.stagehand.store.jdbc;

import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/** H2 data sources, kept apart so that JdbcStore loads without H2 on the class path. */
final class H2Support {
  private H2Support() {}

  static DataSource fileDataSource(Path file) {
    return JdbcConnectionPool.create(fileUrl(file), "sa", "");
  }

  /**
   * The JDBC URL of the embedded H2 database in {@code file} (with or without its {@code .mv.db}
   * suffix).
   *
   * <p>{@code WRITE_DELAY=0}: by default H2's MVStore writes committed transactions to the file from
   * a background thread up to 500 ms later, so a process killed in that window loses commits it
   * already reported (CrashTest saw a killed apply lose the commit of an action whose success it had
   * announced). With 0, each commit is written to the file before it returns, and a killed process
   * keeps every commit that finished. (Surviving an OS crash would also need an fsync per commit.)
   */
  static String fileUrl(Path file) {
    String path = file.toAbsolutePath().toString();
    if (path.endsWith(".mv.db")) {
      path = path.substring(0, path.length() - ".mv.db".length());
    }
    return "jdbc:h2:file:" + path + ";WRITE_DELAY=0";
  }

  static DataSource memoryDataSource() {
    return JdbcConnectionPool.create("jdbc:h2:mem:stagehand-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  }
}
