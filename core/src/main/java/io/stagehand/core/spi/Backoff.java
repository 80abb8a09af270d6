package io.stagehand.core.spi;

import java.time.Duration;

/**
 * The one back-off policy of Stagehand: the first delay, doubled at each further attempt, never over
 * the maximum (a first delay over the maximum gives the maximum). An apply uses it for action retries
 * ({@code ApplyOptions.initialBackoff()} and {@code maxBackoff()}) and for polling a busy apply lease;
 * a store uses it between the attempts of a unit of work it runs again.
 */
public record Backoff(Duration initial, Duration max) {
  /** Polling a busy lease: 10 ms, then 20, 40, ... up to half a second. */
  public static final Backoff LEASE_POLL = new Backoff(Duration.ofMillis(10), Duration.ofMillis(500));

  /** A store's unit of work run again after a serialization failure or deadlock: 5 ms, 10, 20, ... 200. */
  public static final Backoff STORE_RETRY = new Backoff(Duration.ofMillis(5), Duration.ofMillis(200));

  /** The delay before attempt {@code attempt + 1}, after attempt {@code attempt} (from 1) failed. */
  public Duration delay(int attempt) {
    Duration d = initial;
    for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
