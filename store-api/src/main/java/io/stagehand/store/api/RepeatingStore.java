package io.stagehand.store.api;

import io.stagehand.core.spi.Store;
import io.stagehand.core.spi.StoreReader;
import io.stagehand.core.spi.StoreWriter;
import java.util.function.Function;

/**
 * A store that runs every unit of work twice, as a store that retries after a serialization failure
 * may: the first run is rolled back (by throwing out of the wrapped store's unit of work), the second
 * is kept. Every read runs twice as well, and the second answer is returned.
 *
 * <p>{@link Store#write} allows this, so Stagehand's engine must give the same results on it: the
 * contract kit runs on this wrapper (see {@code MemoryRepeatingStoreTest}), and a unit of work that
 * does something outside the store (a handler call, a listener, a counter) shows up as a failing
 * contract test.
 */
public final class RepeatingStore extends ForwardingStore {
  private RepeatingStore(Store delegate) {
    super(delegate);
  }

  /** {@code delegate}, with every unit of work and read run twice. */
  public static RepeatingStore of(Store delegate) {
    return new RepeatingStore(delegate);
  }

  /** Thrown out of the first run to roll it back. */
  private static final class FirstRun extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FirstRun() {
      super("the first of two runs, rolled back", null, false, false);
    }
  }

  @Override
  public <T> T read(Function<? super StoreReader, ? extends T> work) {
    delegate().read(work);
    return delegate().read(work);
  }

  @Override
  public <T> T write(Function<? super StoreWriter, ? extends T> work) {
    try {
      delegate().write(w -> {
        work.apply(w);
        throw new FirstRun();
      });
    } catch (FirstRun expected) {
      // rolled back; now the run that counts
    }
    return delegate().write(work);
  }
}
