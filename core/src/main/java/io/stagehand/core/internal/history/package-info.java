/**
 * Rollbacks: which commits an undo selects, what it finds in the way, and the edits it stages.
 */
@StagehandStyle
package io.stagehand.core.internal.history;

import io.stagehand.core.spi.StagehandStyle;
