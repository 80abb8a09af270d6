/**
 * Drift: what is really there against what the state records. A handler's
 * {@link io.stagehand.core.apply.ActionHandler#read} says what it finds ({@link Observed});
 * {@code Orchestrator.refresh()} compares it with the applied state into a {@link DriftReport}, whose
 * {@link Drift}s {@code repair} brings back to the record or {@code adopt} records as they are.
 */
package io.stagehand.core.drift;
