/**
 * The engine. Not API: nothing here is exported by the module, and any of it may change in any
 * release.
 */
@StagehandStyle
package io.stagehand.core.internal;

import io.stagehand.core.spi.StagehandStyle;
