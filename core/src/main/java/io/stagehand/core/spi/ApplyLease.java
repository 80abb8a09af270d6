package io.stagehand.core.spi;

/**
 * Proof that its holder is the one apply running against a store. Closing it lets the next apply
 * in; a lease whose holder died expires without being closed.
 */
public interface ApplyLease extends AutoCloseable {
  /** Who holds the lease. */
  String holder();

  /**
   * True while the lease is still held as far as its holder can tell: not closed, and not known to be
   * lost (its row taken over, its session gone, released by force). A lease can be lost without its
   * holder knowing; {@link #epoch()} is what keeps such a holder from writing.
   */
  boolean isValid();

  /**
   * The fencing token: a number the store raises at every acquisition of its lease (and at a forced
   * release), so that a holder that lost its lease without noticing (a stalled heartbeat, a dropped
   * session) cannot write: every unit of work of an apply calls {@link StoreWriter#requireLease} with
   * it, and the store refuses it once a newer lease exists.
   */
  long epoch();

  @Override
  void close();
}
