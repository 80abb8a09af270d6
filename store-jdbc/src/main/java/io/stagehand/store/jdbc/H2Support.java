package io.stagehand.store.jdbc;

import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/** H2 data sources, kept apart so that JdbcStore loads without H2 on the class path. */
final class H2Support {
  private H2Support() {}

  static DataSource fileDataSource(Path file) {
    String path = file.toAbsolutePath().toString();
    if (path.endsWith(".mv.db")) {
      path = path.substring(0, path.length() - ".mv.db".length());
    }
    return JdbcConnectionPool.create("jdbc:h2:file:" + path, "sa", "");
  }

  static DataSource memoryDataSource() {
    return JdbcConnectionPool.create("jdbc:h2:mem:stagehand-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  }
}
