/**
 * Staging: the desired state replayed from the applied state and the staged log (an overlay), the
 * rules an edit must keep, input resolution through connections, and the replay cache.
 */
@StagehandStyle
package io.stagehand.core.internal.stage;

import io.stagehand.core.spi.StagehandStyle;
