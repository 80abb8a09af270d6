package io.stagehand.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromTheFirstDelayUpToTheMaximum() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(350));
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(350));
    assertThat(b.delay(60)).isEqualTo(Duration.ofMillis(350));
    assertThat(new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)).delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.LEASE_POLL.delay(1)).isEqualTo(Duration.ofMillis(10));
    assertThat(Backoff.LEASE_POLL.delay(7)).isEqualTo(Duration.ofMillis(500));
  }
}
