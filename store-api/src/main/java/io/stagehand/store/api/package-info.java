/**
 * The contract every store must meet, as code: {@link io.stagehand.store.api.StoreContract}, the
 * abstract JUnit suite a store's test extends once per commit-log variant, and
 * {@link io.stagehand.store.api.ScenarioRunner}, which plays the scenario files of DESIGN.md
 * section 7. Depend on this module with test scope.
 */
@StagehandStyle
package io.stagehand.store.api;

import io.stagehand.core.spi.StagehandStyle;

