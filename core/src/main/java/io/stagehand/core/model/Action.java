package io.stagehand.core.model;

import io.stagehand.core.apply.ActionContext;

/**
 * What a resource's net diff asks the handler to do; inferred from the staged edits, never chosen by
 * the user directly.
 */
public enum Action {
  /** The resource is absent in the applied state and present in the desired one. */
  RUN,
  /** The resource is present in both, and a resolved input or an incoming connection changed. */
  UPDATE,
  /** The resource is present in the applied state and absent in the desired one. */
  REMOVE,
  /**
   * A custom action (such as {@code restart}) that a reaction event gave the resource; its state does
   * not change. The handler finds the name in {@link ActionContext#reactions()}.
   */
  REACT,
  /**
   * An existing resource is recorded as applied ({@link Edit#importResource}); no handler runs. It is
   * ordered as a RUN is.
   */
  IMPORT,
  /**
   * The resource is dropped from the state without running REMOVE ({@link Edit#forget}); no handler
   * runs. It is ordered as a REMOVE is.
   */
  FORGET,
  /**
   * The resource is removed and run again with its unchanged definition ({@link Edit#replace},
   * Terraform's {@code -replace}): its handler is called for a {@link #REMOVE}, then for a {@link #RUN},
   * and the pair is committed as one action. It is ordered as an UPDATE is.
   */
  REPLACE,
  /**
   * What is really there is recorded as the applied state ({@code Orchestrator.adopt}): inputs and
   * outputs a refresh found changed; no handler runs. It is ordered as an UPDATE is.
   */
  ADOPT;

  /** True for RUN and IMPORT: the resource comes into the state. */
  public boolean creates() {
    return this == RUN || this == IMPORT;
  }

  /** True for REMOVE and FORGET: the resource leaves the state. */
  public boolean removes() {
    return this == REMOVE || this == FORGET;
  }

  /**
   * False for IMPORT, FORGET and ADOPT, which only record: the apply commits them without calling the
   * handler.
   */
  public boolean runsHandler() {
    return this != IMPORT && this != FORGET && this != ADOPT;
  }
}
