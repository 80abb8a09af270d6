/** Refresh, repair and adoption: reading what is really there and settling the drift. */
package io.stagehand.core.internal.drift;
