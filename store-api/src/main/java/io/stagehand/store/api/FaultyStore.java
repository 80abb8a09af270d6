package io.stagehand.store.api;

import io.stagehand.core.StoreException;
import io.stagehand.core.spi.Store;
import io.stagehand.core.spi.StoreWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * A store that injects faults at the SPI, for any store: the n-th unit of work fails before it is
 * written (nothing lands), or after (it landed, but its caller hears a failure, as when a connection
 * drops during the commit's acknowledgement), or is delayed. Counting starts at 1.
 */
public final class FaultyStore extends ForwardingStore {
  private final AtomicInteger writes = new AtomicInteger();
  private volatile IntPredicate failBefore = n -> false;
  private volatile IntPredicate failAfter = n -> false;
  private volatile Duration delay = Duration.ZERO;

  private FaultyStore(Store delegate) {
    super(delegate);
  }

  /** {@code delegate}, with no fault armed yet. */
  public static FaultyStore wrap(Store delegate) {
    return new FaultyStore(delegate);
  }

  /** Fails each unit of work whose number {@code which} accepts, before it writes anything. */
  public FaultyStore failBefore(IntPredicate which) {
    this.failBefore = which;
    return this;
  }

  /** Fails each unit of work whose number {@code which} accepts, after it was written. */
  public FaultyStore failAfter(IntPredicate which) {
    this.failAfter = which;
    return this;
  }

  /** Delays every unit of work by {@code delay} before it starts. */
  public FaultyStore delay(Duration delay) {
    this.delay = delay;
    return this;
  }

  /** Disarms every fault. */
  public FaultyStore heal() {
    failBefore = n -> false;
    failAfter = n -> false;
    delay = Duration.ZERO;
    return this;
  }

  /** How many units of work were asked for so far. */
  public int writes() {
    return writes.get();
  }

  @Override
  public <T> T write(Function<? super StoreWriter, ? extends T> work) {
    int n = writes.incrementAndGet();
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failBefore.test(n)) {
      throw new StoreException("injected failure of unit of work " + n + " before it was written");
    }
    T result = delegate().write(work);
    if (failAfter.test(n)) {
      throw new StoreException("injected failure of unit of work " + n + " after it was written");
    }
    return result;
  }
}
