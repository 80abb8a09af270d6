/**
 * What an apply gives handlers and takes from them: the handler interface, its context and result,
 * the apply report, listeners, and the running apply.
 */
@StagehandStyle
package io.stagehand.core.apply;

import io.stagehand.core.spi.StagehandStyle;
