package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.apply.RetryableActionException;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Change;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.Store;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Handler outputs (issue 16): values a handler returns, recorded with its commit, carried by
 * connections to what runs after it in the same apply, and kept by the store as the rest of a
 * resource is. The story is in {@code outputs.scenario}; these are the parts a scenario cannot
 * show: what a handler sees, retries, refusals, and a store read back.
 */
public abstract class OutputsContract extends ContractSupport {
  protected OutputsContract(Supplier<Store> factory) {
    super(factory);
  }

  private Resource applied(String id) {
    return orchestrator.appliedState().get(id).orElseThrow();
  }

  @Test
  @DisplayName("the receiver's handler sees the output its emitter returned earlier in the same apply")
  void theValueFlowsInOneApply() {
    stage("create vm1 vm size=1", "create web app", "connect vm1.ip -> web.host");
    Diff web = orchestrator.staged(io.stagehand.core.model.ResourceId.of("web")).orElseThrow();
    assertThat(web.changes()).singleElement().satisfies(c -> {
      assertThat(c.knownAfterApply()).isTrue();
      assertThat(c.toString()).isEqualTo("host: None -> " + Change.KNOWN_AFTER_APPLY);
    });
    assertThat(web.after().orElseThrow().unknownInputs()).containsExactly("host");
    Map<String, Value> seen = new ConcurrentHashMap<>();
    ApplyReport report = with(c -> {
      if (c.resource().name().equals("vm1")) {
        c.putOutput("ip", "10.0.0.9");
      } else {
        c.after().find("host").ifPresent(v -> seen.put("host", v));
        assertThat(c.changedInputs()).containsExactly("host");
      }
    }).apply(ApplyOptions.builder().tag("t1").parallelism(4).build());
    assertThat(report.succeeded()).isTrue();
    assertThat(seen).containsEntry("host", Value.of("10.0.0.9"));
    assertThat(applied("vm1").outputs()).containsExactly(Map.entry("ip", Value.of("10.0.0.9")));
    assertThat(applied("web").resolved("host")).contains(Value.of("10.0.0.9"));
    assertThat(applied("web").unknownInputs()).isEmpty();
    // a new orchestrator reads it all back from the store
    Orchestrator again = Orchestrator.of(store);
    assertThat(again.appliedState()).isEqualTo(orchestrator.appliedState());
    assertThat(again.history(io.stagehand.core.model.ResourceId.of("vm1"))).singleElement()
        .satisfies(c -> assertThat(c.diff().otherChanges()).contains("out.ip: None -> \"10.0.0.9\""));
    assertThat(again.staged()).isEmpty();
  }

  @Test
  @DisplayName("the outputs of a failed attempt are dropped; the retry's are committed")
  void aRetryStartsWithNoOutputs() {
    stage("create vm1 vm");
    ApplyReport report = with(c -> {
      if (c.attempt() == 1) {
        c.putOutput("half", true);
        throw new RetryableActionException("the cloud timed out");
      }
      c.putOutput("ip", "10.0.0.9");
    }).apply(ApplyOptions.builder().tag("t1").initialBackoff(Duration.ofMillis(1)).build());
    assertThat(report.succeeded()).isTrue();
    assertThat(applied("vm1").outputs()).containsOnlyKeys("ip");
  }

  @Test
  @DisplayName("an UPDATE keeps the outputs its handler does not put again; a RUN records only what it puts")
  void anUpdateKeepsOutputs() {
    stage("create vm1 vm size=1");
    with(c -> {
      c.putOutput("ip", "10.0.0.9");
      c.putOutput("zone", "a");
    }).apply(ApplyOptions.builder().tag("t1").build());
    stage("set vm1 size=2");
    with(c -> c.putOutput("zone", "b")).apply(ApplyOptions.builder().tag("t2").build());
    assertThat(applied("vm1").outputs()).containsExactly(Map.entry("ip", Value.of("10.0.0.9")),
        Map.entry("zone", Value.of("b")));
  }

  @Test
  @DisplayName("a REMOVE cannot put outputs: the action fails, and says why")
  void aRemoveHasNoOutputs() {
    stage("create vm1 vm");
    markApplied();
    stage("remove vm1");
    ApplyReport report = with(c -> c.putOutput("ip", "x")).apply(ApplyOptions.builder().tag("t1").build());
    assertThat(report.results()).singleElement().satisfies(r -> {
      assertThat(r.outcome()).isEqualTo(ActionOutcome.FAILED);
      assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("only a RUN or an UPDATE records outputs"));
    });
  }

  @Test
  @DisplayName("an output that changes reaches a receiver the apply does not run: the next plan updates it")
  void aChangedOutputIsNotLost() {
    stage("create vm1 vm", "create web app", "connect vm1.ip -> web.host");
    with(c -> {
      if (c.resource().name().equals("vm1")) {
        c.putOutput("ip", "10.0.0.9");
      }
    }).apply(ApplyOptions.builder().tag("t1").build());
    // a change of metadata alone keeps vm1's outputs known, so web is not planned; its handler moves the IP
    stage("label vm1 moved");
    assertThat(orchestrator.plan().actions()).extracting(a -> a.resource().name()).containsExactly("vm1");
    with(c -> c.putOutput("ip", "10.0.0.10")).apply(ApplyOptions.builder().tag("t2").build());
    assertThat(applied("web").resolved("host")).contains(Value.of("10.0.0.9"));
    assertThat(orchestrator.plan().actions()).singleElement().satisfies(a -> {
      assertThat(a.resource().name()).isEqualTo("web");
      assertThat(a.action()).isEqualTo(Action.UPDATE);
      assertThat(a.diff().changes()).extracting(Change::toString).containsExactly("host: \"10.0.0.9\" -> \"10.0.0.10\"");
    });
    with(c -> { }).apply(ApplyOptions.builder().tag("t3").build());
    assertThat(applied("web").resolved("host")).contains(Value.of("10.0.0.10"));
    assertThat(orchestrator.staged()).isEmpty();
  }

  @Test
  @DisplayName("reverting a forget imports the resource back with the outputs it had")
  void aForgetRevertsWithItsOutputs() {
    stage("import vm1 vm out.ip=\"10.0.0.9\" out.token!=\"t0ken-1234\"");
    with(c -> { }).apply(ApplyOptions.builder().tag("t1").build());
    Resource before = applied("vm1");
    stage("forget vm1");
    with(c -> { }).apply(ApplyOptions.builder().tag("t2").build());
    orchestrator.revert(Tag.of("t2"));
    List<ActionResult> results = with(c -> { }).apply(ApplyOptions.builder().tag("t3").build()).results();
    assertThat(results).extracting(ActionResult::action).containsExactly(Action.IMPORT);
    assertThat(applied("vm1")).isEqualTo(before);
    assertThat(applied("vm1").isSensitiveOutput("token")).isTrue();
    assertThat(applied("vm1").toString()).doesNotContain("t0ken-1234");
  }

  @Test
  @DisplayName("the edits and outputs this feature refuses say why and leave the store as it was")
  void refusalsChangeNothing() {
    stage("create vm1 vm", "create n1 node", "create app svc @n1");
    with(c -> {
      if (c.resource().name().equals("vm1")) {
        c.putOutput("ip", "10.0.0.9");
      }
    }).apply(ApplyOptions.builder().tag("t1").build());
    assertRefusedUnchanged(() -> orchestrator.stage(Edit.parse("create web app"), Edit.parse("connect vm1.iq -> web.host")))
        .isInstanceOf(io.stagehand.core.InvalidInputException.class)
        .hasMessage("cannot connect vm1.iq -> web.host: vm1 has no input iq and returned no output iq (its outputs: ip)"
            + "; an output can be connected before its resource runs, or when it runs again in the same apply");
    assertRefusedUnchanged(() -> orchestrator.stage(Edit.parse("import v vm"), Edit.replace("v")))
        .hasMessage("cannot replace v: its import is staged, which runs no handler; apply the import first");
    assertRefusedUnchanged(() -> orchestrator.stage(Edit.parse("import v vm"), Edit.touch("v")))
        .hasMessage("cannot touch v: its import is staged, which runs no handler; apply the import first");
    assertRefusedUnchanged(() -> orchestrator.stage(Edit.replace("n1")))
        .hasMessage("cannot replace n1: it is the location of app; move them first");
    assertRefusedUnchanged(() -> orchestrator.stage(Edit.replace("vm1"), Edit.protect("vm1")))
        .hasMessage("cannot protect vm1: its replacement is staged, which removes it first; apply the replacement, "
            + "then protect it");
    // a handler's bad output fails its action, which commits nothing
    stage("set vm1 size=2");
    long commits = commitCount();
    ApplyReport report = with(c -> c.putOutput("bad name", 1)).apply(ApplyOptions.builder().tag("t2").build());
    assertThat(report.results()).singleElement().satisfies(r -> assertThat(r.error())
        .hasValueSatisfying(e -> assertThat(e).startsWith("invalid input name: character 4 is not allowed")));
    assertThat(commitCount()).isEqualTo(commits);
    assertThat(applied("vm1").outputs()).containsOnlyKeys("ip");
  }
}
