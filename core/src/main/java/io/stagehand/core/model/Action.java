package io.stagehand.core.model;

import io.stagehand.core.apply.ActionContext;

/** What a resource's net diff asks the handler to do; inferred, never chosen by the user. */
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
  REACT
}
