package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.stagehand.core.ApplyOptions;
import io.stagehand.core.Orchestrator;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.apply.RetryableActionException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Rollback;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.spi.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No secret escapes: a whole stage, plan, apply, revert cycle with sensitive inputs (marked by hand,
 * set later with {@code !=}, fed on through plain, collecting and keyed connections), a sensitive
 * output a handler returns and a connection carries on, handlers that
 * fail quoting their inputs, and refused edits, with every SLF4J event at TRACE captured, every
 * exception message, every rendering and every {@code toString()} collected; none holds a secret.
 *
 * <p>Captures through Logback, the kit's SLF4J binding in tests; a store's test module must not bring
 * another binding.
 */
public abstract class SecretsContract {
  protected SecretsContract() {}

  private static final String TOKEN = "tok-" + Long.toHexString(System.nanoTime()) + "-Q7";
  private static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime() * 31) + "-Z9";
  private static final String NEW_PASSWORD = "npw-" + Long.toHexString(System.nanoTime() * 17) + "-K3";
  /** An output a handler returns as sensitive, which a connection carries on. */
  private static final String KEY = "key-" + Long.toHexString(System.nanoTime() * 13) + "-W4";

  /** A new, empty store of the variant under test. */
  protected abstract Store createStore();

  @Test
  void aWholeCycleShowsNoSecretAnywhere() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level was = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(context);
    captured.start();
    // the console stays quiet while everything down to TRACE (drivers included) is captured
    List<ch.qos.logback.core.Appender<ILoggingEvent>> console = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(console::add);
    console.forEach(root::detachAppender);
    root.addAppender(captured);
    root.setLevel(Level.TRACE);
    List<String> seen = new ArrayList<>();
    Store store = createStore();
    try {
      cycle(store, seen);
    } finally {
      root.detachAppender(captured);
      console.forEach(root::addAppender);
      root.setLevel(was);
      if (store instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new AssertionError("the store did not close", e);
        }
      }
    }
    assertThat(captured.list).as("the cycle logs through SLF4J").isNotEmpty();
    for (ILoggingEvent e : captured.list) {
      StringBuilder text = new StringBuilder(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        text.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
      seen.add("log " + e.getLoggerName() + ": " + text);
    }
    // the logs did carry the failing handlers' messages, with the secrets taken out
    assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("log ").contains("app refused")
        .contains("(sensitive)"));
    // and the retries quoting an output, or a value an output fed, with the secret taken out
    assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("log ").contains("kms could not confirm (sensitive)"));
    assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("log ").contains("gw could not use").contains("(sensitive)"));
    for (String s : seen) {
      assertThat(s).as("something a person or a log sees").doesNotContain(TOKEN).doesNotContain(PASSWORD)
          .doesNotContain(NEW_PASSWORD).doesNotContain(KEY);
    }
  }

  private void cycle(Store store, List<String> seen) {
    Map<ResourceId, Map<String, Value>> deployed = new ConcurrentHashMap<>();
    AtomicBoolean failedOnce = new AtomicBoolean();
    AtomicBoolean breakApp = new AtomicBoolean(true);
    Orchestrator o = Orchestrator.builder().store(store).logProgress(true).listener(new Recorder(seen))
        .handler(c -> {
          String inputs = c.after().toString() + " was " + c.before();
          if (c.resource().name().equals("kms")) {
            c.putSensitiveOutput("key", KEY);
            if (c.attempt() == 1) {
              // a retry whose message quotes the output this attempt put
              throw new RetryableActionException("kms could not confirm " + KEY);
            }
          }
          if (c.resource().name().equals("gw") && c.attempt() == 1) {
            // a retry whose message quotes the value an output fed it
            throw new RetryableActionException("gw could not use " + inputs);
          }
          if (c.resource().name().equals("api") && failedOnce.compareAndSet(false, true)) {
            throw new RetryableActionException("api could not log in with " + inputs);
          }
          if (c.resource().name().equals("app") && breakApp.get()) {
            throw new IllegalStateException("app refused " + inputs);
          }
          deployed.put(c.resource(), c.after());
        }).build();

    o.stage(List.of(
        Edit.parse("create vault secret token!=\"" + TOKEN + "\""),
        Edit.parse("create db postgres port=5432"),
        Edit.parse("create api svc"),
        Edit.parse("create lb haproxy cfg={\"mode\":\"tcp\"}"),
        Edit.parse("create app svc"),
        Edit.parse("create kms kms"),
        Edit.parse("connect kms.key -> app.kms_key"),
        Edit.parse("create gw gateway"),
        Edit.parse("connect kms.key -> gw.key"),
        Edit.parse("connect vault.token -> api.token"),
        Edit.parse("connect vault.token -> lb.tokens[]"),
        Edit.parse("connect vault.token -> lb.cfg.auth"),
        Edit.parse("connect api.token -> app.api_token")));
    o.stage(Edit.parse("set db password!=\"" + PASSWORD + "\""), Edit.parse("connect db.password -> app.db_password"));
    refused(seen, () -> o.stage(Edit.parse("set api token=\"" + TOKEN + "\"")));
    refused(seen, () -> o.stage(Edit.parse("set db password!=\"" + NEW_PASSWORD)));
    refused(seen, () -> o.stage(Edit.parse("set db password \"" + NEW_PASSWORD + "\"")));
    refused(seen, () -> o.stage(Edit.set("nobody", "password", NEW_PASSWORD)));
    refused(seen, () -> o.stage(Edit.parse("connect db.password -> app.db_password")));
    look(o, seen);
    ApplyReport first = o.apply(ApplyOptions.builder().tag(Tag.of("t1")).initialBackoff(Duration.ofMillis(1)).build());
    seen.add(first.render());
    seen.add(first.toString());
    first.results().forEach(r -> seen.add(r.toString() + " " + r.error().orElse("")));
    assertThat(first.results()).anySatisfy(r -> assertThat(r.outcome()).isEqualTo(ActionOutcome.FAILED));
    assertThat(failedOnce).isTrue();

    breakApp.set(false);
    seen.add(o.apply(ApplyOptions.builder().tag(Tag.of("t2")).build()).render());
    o.stage(Edit.parse("set db password=\"" + NEW_PASSWORD + "\""));
    assertThat(o.stagedEntries()).last().satisfies(e -> assertThat(e.edit().toString()).contains("(sensitive)"));
    look(o, seen);
    seen.add(o.apply(ApplyOptions.builder().tag(Tag.of("t3")).build()).render());
    assertThat(deployed.get(ResourceId.of("app")).get("db_password")).isEqualTo(Value.of(NEW_PASSWORD));
    assertThat(deployed.get(ResourceId.of("lb")).get("tokens")).isEqualTo(Value.list(Value.of(TOKEN)));
    assertThat(deployed.get(ResourceId.of("app")).get("kms_key")).isEqualTo(Value.of(KEY));
    assertThat(deployed.get(ResourceId.of("gw")).get("key")).isEqualTo(Value.of(KEY));

    Rollback back = o.revert(Tag.of("t3"));
    seen.add(back.toString());
    look(o, seen);
    seen.add(o.apply(ApplyOptions.builder().tag(Tag.of("t4")).build()).render());
    assertThat(deployed.get(ResourceId.of("app")).get("db_password")).isEqualTo(Value.of(PASSWORD));
    Rollback all = o.rollbackTo(Tag.of("t1"));
    seen.add(all.toString());
    look(o, seen);
    for (Tag t : o.tags()) {
      seen.add(o.stateAt(t).render());
      seen.add(o.stateAt(t).toString());
    }
    for (Commit c : o.history()) {
      seen.add(c.toString());
      c.diff().changes().forEach(ch -> seen.add(c.diff().render(ch)));
    }
    seen.add(o.historyPage(0, 100).toString());
    seen.add(o.historyPage(0, 100).toJson());
    seen.add(o.appliedState().toJson());
    seen.add(o.desiredState().toJson());
    seen.add(o.plan().toJson());
    o.discard();
  }

  /** Everything the orchestrator can show of the current state and plan. */
  private static void look(Orchestrator o, List<String> seen) {
    o.stagedEntries().forEach(e -> seen.add(e.toString()));
    for (Diff d : o.staged()) {
      seen.add(d.toString());
      d.changes().forEach(c -> seen.add(d.render(c) + " | " + c));
    }
    Plan p = o.plan();
    seen.add(p.render());
    seen.add(p.renderDetailed());
    seen.add(p.toMermaid());
    seen.add(p.toDot());
    p.actions().forEach(a -> seen.add(a.toString() + " " + a.diff()));
    seen.add(o.appliedState().render());
    seen.add(o.appliedState().toString());
    seen.add(o.desiredState().render());
    seen.add(o.desiredState().toString());
  }

  private static void refused(List<String> seen, Runnable r) {
    try {
      r.run();
      throw new AssertionError("expected a refusal");
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      seen.add(trace.toString());
    }
  }

  /** Every listener call, as a listener that logs or shows progress would see it. */
  private record Recorder(List<String> seen) implements ApplyListener {
    @Override
    public void actionFailed(io.stagehand.core.plan.PlannedAction action, io.stagehand.core.apply.ActionResult result) {
      synchronized (seen) {
        seen.add(action + " " + result + " " + result.error().orElse(""));
      }
    }
  }

  static Set<String> secrets() {
    return Set.of(TOKEN, PASSWORD, NEW_PASSWORD);
  }
}
