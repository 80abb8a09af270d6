package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.StoreException;
import io.stagehand.core.spi.Backoff;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The one transaction runner: what it runs again after a serialization failure, and how. */
class TransactionsTest {
  @TempDir
  Path dir;

  private Transactions transactions() {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("tx.db"));
    return new Transactions(ds, SqlDialect.SQLITE, new Statements("sh_", SqlDialect.SQLITE, CommitLogVariant.GLOBAL));
  }

  @Test
  void aSerializationFailureRunsTheWorkAgainAfterTheStoreBackoff() {
    AtomicInteger attempts = new AtomicInteger();
    long started = System.nanoTime();
    int result = transactions().write("testing", c -> {
      if (attempts.incrementAndGet() < 3) {
        throw new SQLException("could not serialize access", "40001");
      }
      return 7;
    });
    long waitedMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(result).isEqualTo(7);
    assertThat(attempts).hasValue(3);
    // the delays before attempts 2 and 3, at least
    assertThat(waitedMillis).isGreaterThanOrEqualTo(
        Backoff.STORE_RETRY.delay(1).plus(Backoff.STORE_RETRY.delay(2)).toMillis());
  }

  @Test
  void otherFailuresAndTheLastAttemptAreNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> transactions().write("testing", c -> {
      attempts.incrementAndGet();
      throw new SQLException("could not serialize access", "40001");
    })).isInstanceOf(StoreException.class);
    assertThat(attempts).hasValue(3);

    attempts.set(0);
    assertThatThrownBy(() -> transactions().write("testing", c -> {
      attempts.incrementAndGet();
      throw new SQLException("syntax error", "42601");
    })).isInstanceOf(StoreException.class);
    assertThat(attempts).hasValue(1);
  }
}
