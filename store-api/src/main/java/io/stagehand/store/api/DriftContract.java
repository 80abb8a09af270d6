package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionContext;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.drift.Drift;
import io.stagehand.core.drift.DriftReport;
import io.stagehand.core.drift.Observed;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.Store;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Refresh, repair and adopt (issue 16) against a handler whose "reality" is a map a test edits by
 * hand: a drift made in the test is reported, repaired or adopted, and nothing else is touched.
 */
public abstract class DriftContract extends ContractSupport {
  private static final String SECRET = "pa55-Wörd-991";

  /** What is really there: the inputs each handler call deployed, edited by the tests to make drift. */
  private final Map<ResourceId, Map<String, Value>> reality = new ConcurrentHashMap<>();
  private final List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  protected DriftContract(Supplier<Store> factory) {
    super(factory);
  }

  private final ActionHandler cloud = new ActionHandler() {
    @Override
    public void handle(ActionContext c) {
      calls.add(c.action() + " " + c.resource());
      if (c.action() == Action.REMOVE) {
        reality.remove(c.resource());
      } else {
        reality.put(c.resource(), new java.util.TreeMap<>(c.after()));
      }
    }

    @Override
    public Observed read(Resource r) {
      if (r.kind().equals("opaque")) {
        return Observed.unknown();
      }
      if (r.kind().equals("broken")) {
        throw new IllegalStateException("could not log in with " + SECRET);
      }
      Map<String, Value> there = reality.get(r.id());
      return there == null ? Observed.gone() : Observed.present(there);
    }
  };

  private Orchestrator o() {
    return with(cloud);
  }

  @Test
  @DisplayName("a refresh reports what changed by hand and what is gone, and nothing for what it cannot read")
  void refreshReports() {
    stage("create db postgres port=5432", "create cache redis", "create box opaque", "create bad broken pw!=\"" + SECRET + "\"");
    o().apply(ApplyOptions.builder().tag("t1").build());
    assertThat(o().refresh().isEmpty()).isTrue();
    reality.get(ResourceId.of("db")).put("port", Value.of(6432));
    reality.remove(ResourceId.of("cache"));
    DriftReport report = o().refresh();
    assertThat(report.drifts()).extracting(Drift::resource, Drift::kind).containsExactly(
        org.assertj.core.groups.Tuple.tuple(ResourceId.of("cache"), Drift.Kind.GONE),
        org.assertj.core.groups.Tuple.tuple(ResourceId.of("db"), Drift.Kind.CHANGED));
    assertThat(report.drifts().get(1).changes()).extracting(Object::toString).containsExactly("port: 5432 -> 6432");
    assertThat(report.unknown()).containsExactly(ResourceId.of("box"));
    assertThat(report.failed()).containsOnlyKeys(ResourceId.of("bad"));
    assertThat(report.render()).contains("read failed: bad: could not log in with (sensitive)").doesNotContain(SECRET);
    // a refresh writes nothing
    assertThat(commitCount()).isEqualTo(4);
    assertThat(o().staged()).isEmpty();
  }

  @Test
  @DisplayName("repair brings reality back to the record: an UPDATE of what changed, a replacement of what is gone")
  void repairBringsRealityBack() {
    stage("create db postgres port=5432", "create cache redis");
    o().apply(ApplyOptions.builder().tag("t1").build());
    reality.get(ResourceId.of("db")).put("port", Value.of(6432));
    reality.remove(ResourceId.of("cache"));
    o().repair(o().refresh());
    calls.clear();
    ApplyReport report = o().apply(ApplyOptions.builder().tag("t2").build());
    assertThat(report.succeeded()).isTrue();
    assertThat(calls).containsExactlyInAnyOrder("UPDATE db", "REMOVE cache", "RUN cache");
    assertThat(reality.get(ResourceId.of("db"))).containsEntry("port", Value.of(5432));
    assertThat(o().refresh().isEmpty()).isTrue();
    assertThat(o().history(Tag.of("t2"))).extracting(Commit::action).containsExactlyInAnyOrder(Action.UPDATE, Action.REPLACE);
  }

  @Test
  @DisplayName("adopt records reality without running a handler, as an apply of its own; its revert deploys the record again")
  void adoptRecordsReality() {
    stage("create db postgres port=5432", "create web app", "connect db.port -> web.db_port");
    o().apply(ApplyOptions.builder().tag("t1").build());
    reality.get(ResourceId.of("db")).put("port", Value.of(6432));
    calls.clear();
    ApplyReport adopted = o().adopt(o().refresh(), ApplyOptions.builder().tag("found").build());
    assertThat(adopted.succeeded()).isTrue();
    assertThat(calls).isEmpty();
    assertThat(o().history(Tag.of("found"))).extracting(Commit::action).containsExactly(Action.ADOPT);
    assertThat(o().appliedState().get("db").orElseThrow().resolved("port")).contains(Value.of(6432));
    assertThat(o().refresh().isEmpty()).isTrue();
    // what the port feeds is left to the next apply, which runs its handler
    assertThat(o().plan().actions()).extracting(a -> a.action() + " " + a.resource()).containsExactly("UPDATE web");
    o().apply(ApplyOptions.builder().tag("t3").build());
    assertThat(reality.get(ResourceId.of("web"))).containsEntry("db_port", Value.of(6432));
    o().revert(Tag.of("found"));
    calls.clear();
    o().apply(ApplyOptions.builder().tag("t4").build());
    assertThat(calls).containsExactly("UPDATE db", "UPDATE web");
    assertThat(reality.get(ResourceId.of("db"))).containsEntry("port", Value.of(5432));
  }

  @Test
  @DisplayName("adopt is refused, staging nothing, for a resource with staged changes, a connected input, or a stale report")
  void adoptRefusals() {
    stage("create db postgres port=5432", "create web app", "connect db.port -> web.db_port");
    o().apply(ApplyOptions.builder().tag("t1").build());
    reality.get(ResourceId.of("db")).put("port", Value.of(6432));
    DriftReport report = o().refresh();
    stage("set db size=2");
    long position = o().stagedPosition();
    assertThatThrownBy(() -> o().adopt(report)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot adopt the drift of db: it has staged changes or is pending");
    assertThat(o().stagedPosition()).isEqualTo(position);
    o().apply(ApplyOptions.builder().tag("t2").build());
    assertThatThrownBy(() -> o().adopt(report)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("changed since the refresh");
    reality.get(ResourceId.of("web")).put("db_port", Value.of(1));
    DriftReport connected = o().refresh();
    assertThatThrownBy(() -> o().adopt(connected)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot adopt web.db_port: it is connected");
    assertThat(o().staged()).isEmpty();
  }

  @Test
  @DisplayName("an adoption that another staged change reaches, by an edit or through a connection, runs the handler")
  void anAdoptionNeverRecordsAnUndeployedChange() {
    stage("create db postgres port=5432", "create web app mode=\"a\"", "connect db.port -> web.db_port");
    o().apply(ApplyOptions.builder().tag("t1").build());
    stage("set db port=7000");
    stage("adopt web mode=\"b\"");
    assertThat(o().plan().actions()).extracting(a -> a.action() + " " + a.resource())
        .containsExactly("UPDATE db", "UPDATE web");
    o().discard();
    stage("adopt web mode=\"b\"", "set web size=2");
    assertThat(o().plan().actions()).extracting(a -> a.action() + " " + a.resource()).containsExactly("UPDATE web");
    o().discard();
    stage("adopt web mode=\"b\"");
    assertThat(o().plan().actions()).extracting(a -> a.action() + " " + a.resource()).containsExactly("ADOPT web");
  }

  @Test
  @DisplayName("an adopt edit beside a change of its emitter, even of metadata alone, runs the handler")
  void anAdoptionBesideAnEmitterChangeRuns() {
    stage("create vm vm size=1", "create web app mode=\"a\"", "connect vm.size -> web.vm_size");
    o().apply(ApplyOptions.builder().tag("t1").build());
    stage("label vm x", "adopt web mode=\"b\"");
    assertThat(o().plan().actions()).extracting(a -> a.action() + " " + a.resource())
        .containsExactly("UPDATE vm", "UPDATE web");
  }

  /** A store that runs {@code before} once, just before the next unit of work once armed. */
  private static final class Interleaving extends io.stagehand.store.api.ForwardingStore {
    private Runnable before;

    Interleaving(Store delegate) {
      super(delegate);
    }

    @Override
    public <T> T write(java.util.function.Function<? super io.stagehand.core.spi.StoreWriter, ? extends T> work) {
      Runnable r = before;
      before = null;
      if (r != null) {
        r.run();
      }
      return super.write(work);
    }
  }

  @Test
  @DisplayName("an adoption checks its report and stages in one unit of work: a change in between refuses it and keeps others' edits")
  void adoptIsAtomicWithItsChecks() {
    stage("create db postgres port=5432");
    o().apply(ApplyOptions.builder().tag("t1").build());
    reality.get(ResourceId.of("db")).put("port", Value.of(6432));
    Interleaving racing = new Interleaving(store);
    Orchestrator adopter = Orchestrator.builder().store(racing).handler(cloud).logProgress(false).build();
    DriftReport report = adopter.refresh();
    // someone else changes db and applies it between the refresh and the adoption
    racing.before = () -> {
      o().stage(Edit.parse("set db port=7000"));
      o().apply(ApplyOptions.builder().tag("t2").build());
    };
    assertThatThrownBy(() -> adopter.adopt(report)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("changed since the refresh");
    assertThat(o().appliedState().get("db").orElseThrow().resolved("port")).contains(Value.of(7000));
    // someone else stages an edit of db in between: refused, and that edit stays
    reality.get(ResourceId.of("db")).put("port", Value.of(6432));
    DriftReport again = adopter.refresh();
    racing.before = () -> o().stage(Edit.parse("set db size=9"));
    assertThatThrownBy(() -> adopter.adopt(again)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("has staged changes");
    assertThat(o().stagedEntries()).extracting(e -> e.edit().toString()).containsExactly("set db size=9");
  }

  @Test
  @DisplayName("an adoption whose apply is refused (a tag already used) leaves nothing staged")
  void aRefusedAdoptionStagesNothing() {
    stage("create db postgres port=5432");
    o().apply(ApplyOptions.builder().tag("t1").build());
    reality.get(ResourceId.of("db")).put("port", Value.of(6432));
    assertThatThrownBy(() -> o().adopt(o().refresh(), ApplyOptions.builder().tag("t1").build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("tag t1 is already used");
    assertThat(o().stagedEntries()).isEmpty();
    assertThat(o().appliedState().get("db").orElseThrow().resolved("port")).contains(Value.of(5432));
  }

  @Test
  @DisplayName("a gone location is not forgotten while it hosts resources, by adopt or by hand")
  void aGoneLocationWithResidentsIsNotForgotten() {
    stage("create host host size=1", "create db postgres @host port=5432");
    o().apply(ApplyOptions.builder().tag("t1").build());
    reality.remove(ResourceId.of("host"));
    assertThatThrownBy(() -> o().adopt(o().refresh())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot forget host: it is the location of db");
    assertThatThrownBy(() -> o().stage(Edit.forget("host"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot forget host: it is the location of db");
    assertThat(o().stagedEntries()).isEmpty();
  }

  @Test
  @DisplayName("a read whose exception cannot even say its message is listed as failed")
  void aHostileReadIsListedAsFailed() {
    stage("create db postgres port=5432");
    o().apply(ApplyOptions.builder().tag("t1").build());
    Orchestrator hostile = with(new ActionHandler() {
      @Override
      public void handle(ActionContext c) { }

      @Override
      public Observed read(Resource r) {
        throw new IllegalStateException() {
          @Override
          public String getMessage() {
            throw new IllegalStateException("boom");
          }
        };
      }
    });
    assertThat(hostile.refresh().failed()).containsOnlyKeys(ResourceId.of("db"));
  }
}
