/**
 * Applying a work order: the lease, the scheduler with its concurrency limits, retries, the commit
 * writer and the listeners.
 */
@StagehandStyle
package io.stagehand.core.internal.apply;

import io.stagehand.core.spi.StagehandStyle;
