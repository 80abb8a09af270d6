/**
 * The commit log as users read it: commits, their positions, tags, history pages, and the rollbacks
 * that undo an apply, a resource, or everything after a point.
 */
@StagehandStyle
package io.stagehand.core.history;

import io.stagehand.core.spi.StagehandStyle;
