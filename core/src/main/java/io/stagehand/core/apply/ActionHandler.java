package io.stagehand.core.apply;

/**
 * What the embedding program supplies to carry out actions: deploy, reconfigure or tear down one
 * resource. Returning normally means the action succeeded and is committed; throwing means it
 * failed and nothing is committed for it. Throw {@link RetryableActionException} for a failure worth
 * another attempt. Handlers run on several threads at once, one resource per call.
 */
@FunctionalInterface
public interface ActionHandler {
  void handle(ActionContext context) throws Exception;

  /**
   * What is really there of {@code resource} (as the applied state records it), for
   * {@code Orchestrator.refresh()}: {@link io.stagehand.core.drift.Observed#gone()}, or
   * {@link io.stagehand.core.drift.Observed#present} with the inputs (and outputs) as deployed, leaving
   * out what cannot be read. The default cannot tell ({@link io.stagehand.core.drift.Observed#unknown()}),
   * so a handler that does not read reports no drift. Runs on several threads at once; throwing marks
   * the resource as failed in the report.
   */
  default io.stagehand.core.drift.Observed read(io.stagehand.core.model.Resource resource) throws Exception {
    return io.stagehand.core.drift.Observed.unknown();
  }
}
