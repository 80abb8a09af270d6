package io.stagehand.core.apply;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who holds a store's apply lease, since when, and until when it holds without renewal: what a
 * refused apply and an operator need to tell a running apply from a dead one.
 *
 * @param holder the holder's own description, e.g. {@code apply in 13860@vm (thread main)}
 * @param since when the lease was taken, on the store's clock
 * @param expires when the lease ends unless its holder renews it (a SQLite row lease), or empty if it
 *     ends only with its holder (a PostgreSQL session lock, the memory store's lock)
 */
public record LeaseInfo(String holder, Instant since, Optional<Instant> expires) {
  public LeaseInfo {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(expires, "expires");
  }

  /** One line for a person: holder, start, and when or how the lease ends. */
  public String describe() {
    return holder + ", since " + since + expires.map(e -> "; its lease expires at " + e + " unless renewed")
        .orElse("; its lease ends when its holder ends");
  }
}
