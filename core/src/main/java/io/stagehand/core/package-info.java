/**
 * Stagehand's public API: the values of the model (resource ids, JSON-like values, resources,
 * connections, diffs, commits), the {@link io.stagehand.core.Orchestrator} that stages edits, plans
 * and applies them and rolls them back, and the exceptions, all under
 * {@link io.stagehand.core.StagehandException}. Nothing here does I/O; stores plug in through
 * {@link io.stagehand.core.spi}.
 */
@StagehandStyle
package io.stagehand.core;
