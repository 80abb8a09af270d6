/**
 * Planning: the order graph and the planner that turns a desired state into a plan and the work
 * order an apply runs.
 */
@StagehandStyle
package io.stagehand.core.internal.plan;

import io.stagehand.core.spi.StagehandStyle;
