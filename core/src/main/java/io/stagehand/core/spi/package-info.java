/**
 * The store SPI: what a storage backend implements so that an {@link io.stagehand.core.Orchestrator}
 * can keep a deployment's applied state ({@link io.stagehand.core.spi.StateStore}), its pending edits
 * ({@link io.stagehand.core.spi.StagedLog}) and its history ({@link io.stagehand.core.spi.CommitLog})
 * atomically together through {@link io.stagehand.core.spi.Store#write}.
 *
 * <p>Stability: this SPI may still change before 1.0. Every implementation proves itself by extending
 * the contract kit in {@code stagehand-store-api}, once per commit-log variant.
 */
@StagehandStyle
package io.stagehand.core.spi;

