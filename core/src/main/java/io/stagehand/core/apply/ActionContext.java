package io.stagehand.core.apply;

import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Inputs;
import io.stagehand.core.model.ResourceId;


/** What a handler gets for one action: the resource, the action, its inputs before and after. */
public interface ActionContext {
  ResourceId resource();

  String kind();

  Action action();

  /**
   * The resolved inputs as deployed now; empty for a {@link Action#RUN}. Typed accessors read them:
   * {@code before().getString("dir")}.
   */
  Inputs before();

  /**
   * The resolved inputs to deploy; empty for a {@link Action#REMOVE}. Typed accessors read them:
   * {@code after().getString("dir")}, {@code after().findLong("port")}.
   */
  Inputs after();

  /**
   * The names of the resolved inputs whose values differ between {@link #before()} and
   * {@link #after()}, sorted: every input for a RUN or a REMOVE, none for a reaction alone.
   */
  java.util.SortedSet<String> changedInputs();

  /**
   * True for an UPDATE in which no input changed: only Stagehand's own metadata did (labels, events,
   * location, sensitivity marks, protection). False for an UPDATE asked for by {@code touch}. A handler can skip the real work, such as restarting a server. It
   * is false for RUN, REMOVE and REACT, and for an UPDATE that also has reactions to run.
   */
  default boolean onlyMetadataChanged() {
    return action() == Action.UPDATE && changedInputs().isEmpty() && reactions().isEmpty() && !diff().touched();
  }

  /**
   * True if an earlier apply that was interrupted (its process stopped in the middle) had this
   * action planned and did not commit it: its handler may have run, in part or whole, so check what
   * is really there before acting (Pulumi flags such pending operations). False otherwise.
   */
  default boolean mayHaveRun() {
    return false;
  }

  /**
   * Custom actions that reaction events asked for, such as {@code restart}: the whole job when
   * {@link #action()} is {@link Action#REACT}, extras to do with a state action otherwise.
   */
  java.util.List<String> reactions();

  /** The whole diff, with connections before and after. */
  Diff diff();

  Tag tag();

  /**
   * 1 for the first attempt, 2 for the first retry, and so on, within this apply. A handler may also
   * run again in a later apply, after a crash, a failed commit or a lost lease (handlers run at least
   * once); {@link #idempotencyKey()} tells such a re-run apart from a new change.
   */
  int attempt();

  /**
   * A key that is the same every time this very change is run, in this apply or a later one (after a
   * crash, a failed commit or a lost lease, the next apply plans the same change again): a hash of the
   * resource, the action and its before and after states. A handler that passes it to an API which
   * de-duplicates requests, or records it next to what it created, can make a re-run harmless. A
   * different change of the same resource has a different key.
   */
  String idempotencyKey();

  /**
   * Records an output of this resource: a value learnt while deploying it, such as the IP a cloud
   * assigned, which a connection can carry to other resources ({@code vm1.ip -> web.host}) within
   * this very apply. {@code value} is converted as an input value is (a String, number, Boolean,
   * List, Map or {@link io.stagehand.core.model.Value}). Outputs are committed with the action when the
   * handler returns; those of an attempt that fails are dropped. A RUN records exactly the outputs its
   * handler puts; an UPDATE keeps those it does not put again. Only a RUN or an UPDATE has outputs.
   *
   * @throws io.stagehand.core.InvalidInputException for another action, a bad name or a bad value
   */
  void putOutput(String name, Object value);

  /** Records an output that is sensitive: it prints as {@code (sensitive)}, as do inputs it feeds. */
  void putSensitiveOutput(String name, Object value);

  /**
   * True once the apply was cancelled or this attempt timed out; a long-running handler should check
   * it and stop early. The handler's thread is also interrupted on a timeout.
   */
  boolean isCancelled();
}
