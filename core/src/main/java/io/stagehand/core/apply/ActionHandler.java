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
}
