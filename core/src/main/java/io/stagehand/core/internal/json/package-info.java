/**
 * The JSON formats of plans, the applied state and history pages (docs/formats.md).
 */
@StagehandStyle
package io.stagehand.core.internal.json;

import io.stagehand.core.spi.StagehandStyle;
