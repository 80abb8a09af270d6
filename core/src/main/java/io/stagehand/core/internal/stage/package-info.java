/**
 * Staging: the desired state replayed from the applied state and the staged log into an overlay,
 * the rules an edit must keep (and a resource built by hand), input resolution through connections,
 * the staged diffs, and the replay cache.
 */
@StagehandStyle
package io.stagehand.core.internal.stage;

import io.stagehand.core.spi.StagehandStyle;
