/**
 * The values of the model: resource ids, JSON-like values and their JSON codec, resources,
 * connections, events, edits, diffs and the applied state. All immutable; nothing here does I/O.
 */
@StagehandStyle
package io.stagehand.core.model;

import io.stagehand.core.spi.StagehandStyle;
