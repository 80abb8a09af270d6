/**
 * Plans: the ordered actions an apply would run, the edges between them with their reasons, what a
 * selection left out, and the selections that pick resources for a partial plan. A plan is a value
 * that can be saved, reviewed and applied later.
 */
@StagehandStyle
package io.stagehand.core.plan;

import io.stagehand.core.spi.StagehandStyle;
