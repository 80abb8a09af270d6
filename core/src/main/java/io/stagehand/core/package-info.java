/**
 * Stagehand's entry point: the {@link io.stagehand.core.Orchestrator} that stages edits, plans and
 * applies them and rolls them back, its options, the input limits, and the exceptions, all under
 * {@link io.stagehand.core.StagehandException}. The values it takes and returns live in
 * {@link io.stagehand.core.model}, {@link io.stagehand.core.plan}, {@link io.stagehand.core.apply} and
 * {@link io.stagehand.core.history}; stores plug in through {@link io.stagehand.core.spi}.
 */
@StagehandStyle
package io.stagehand.core;

import io.stagehand.core.spi.StagehandStyle;
