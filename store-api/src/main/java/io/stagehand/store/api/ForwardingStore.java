package io.stagehand.store.api;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.apply.LeaseInfo;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.Store;
import io.stagehand.core.spi.StoreReader;
import io.stagehand.core.spi.StoreWriter;
import java.util.Optional;
import java.util.function.Function;

/**
 * A store that forwards every call to another, as Guava's forwarding collections do: a wrapper that
 * changes one behaviour (a fault, a repeat, a hook) overrides that method only.
 */
public abstract class ForwardingStore implements Store {
  private final Store delegate;

  protected ForwardingStore(Store delegate) {
    this.delegate = delegate;
  }

  /** The wrapped store. */
  protected final Store delegate() {
    return delegate;
  }

  @Override
  public CommitLogVariant commitLogVariant() {
    return delegate.commitLogVariant();
  }

  @Override
  public <T> T read(Function<? super StoreReader, ? extends T> work) {
    return delegate.read(work);
  }

  @Override
  public <T> T write(Function<? super StoreWriter, ? extends T> work) {
    return delegate.write(work);
  }

  @Override
  public Optional<ApplyLease> tryLease(String holder) {
    return delegate.tryLease(holder);
  }

  @Override
  public void forceReleaseLease() {
    delegate.forceReleaseLease();
  }

  @Override
  public Optional<LeaseInfo> leaseHolder() {
    return delegate.leaseHolder();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
