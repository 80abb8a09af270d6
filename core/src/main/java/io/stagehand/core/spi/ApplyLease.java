package io.stagehand.core.spi;

/**
 * Proof that its holder is the one apply running against a store. Closing it lets the next apply
 * in; a lease whose holder died expires without being closed.
 */
public interface ApplyLease extends AutoCloseable {
  /** Who holds the lease. */
  String holder();

  /** True while the lease is still held (not closed, not expired). */
  boolean isValid();

  @Override
  void close();
}
