package io.stagehand.core.internal.apply;

import io.stagehand.core.ApplyOptions;
import java.time.Duration;

/**
 * The one back-off policy of an apply: the first delay, doubled at each further attempt, never over
 * the maximum (a first delay over the maximum gives the maximum). Used for action retries ({@link ApplyOptions#initialBackoff()},
 * {@link ApplyOptions#maxBackoff()}) and for polling a busy apply lease.
 */
public record Backoff(Duration initial, Duration max) {
  /** Polling a busy lease: 10 ms, then 20, 40, ... up to half a second. */
  static final Backoff LEASE_POLL = new Backoff(Duration.ofMillis(10), Duration.ofMillis(500));

  /** The delay before attempt {@code attempt + 1}, after attempt {@code attempt} (from 1) failed. */
  public Duration delay(int attempt) {
    Duration d = initial;
    for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
