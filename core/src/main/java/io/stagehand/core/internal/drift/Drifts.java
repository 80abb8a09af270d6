package io.stagehand.core.internal.drift;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.drift.Drift;
import io.stagehand.core.drift.DriftReport;
import io.stagehand.core.drift.Observed;
import io.stagehand.core.internal.Redaction;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.StoreReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh (every applied resource read through its handler, compared with its record), and the edits
 * that settle a drift: those that bring reality back to the record ({@link #repairEdits}) and those
 * that record it as it is ({@link #adoptEdits}).
 */
public final class Drifts {
  private static final Logger LOG = LoggerFactory.getLogger(Drifts.class);

  private Drifts() {}

  /** Reads each of {@code applied} through {@code handler}, {@code parallelism} at a time. */
  public static DriftReport refresh(List<Resource> applied, ActionHandler handler, int parallelism, Instant start) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, applied.size())), r -> {
      Thread t = new Thread(r, "stagehand-refresh");
      t.setDaemon(true);
      return t;
    });
    List<Future<Object>> reads = new ArrayList<>(applied.size());
    try {
      for (Resource r : applied) {
        // on the reading thread, whatever the read throws becomes its description there: an exception
        // whose message cannot even be read must not reach the caller
        reads.add(pool.submit(() -> {
          try {
            return handler.read(r);
          } catch (Throwable e) {
            return new Failure(describe(e));
          }
        }));
      }
      List<Drift> drifts = new ArrayList<>();
      List<ResourceId> unknown = new ArrayList<>();
      Map<ResourceId, String> failed = new TreeMap<>();
      for (int i = 0; i < applied.size(); i++) {
        Resource r = applied.get(i);
        Object read = reads.get(i).get();
        if (read instanceof Failure f) {
          // the handler may quote what it was given: the resource's secrets are taken out
          failed.put(r.id(), Redaction.scrub(f.why(), Diff.builder().resource(r.id()).before(r).build()));
          continue;
        }
        Observed found = (Observed) read;
        if (found == null) {
          failed.put(r.id(), "the handler's read returned null; return Observed.unknown() when it cannot tell");
          continue;
        }
        if (found.status() == Observed.Status.UNKNOWN) {
          unknown.add(r.id());
          continue;
        }
        Drift.of(r, found).ifPresent(drifts::add);
      }
      DriftReport report = new DriftReport(start, applied.size(), drifts, unknown, failed);
      LOG.info("refresh: {} resource(s) read, {} drifted, {} not read, {} failed", applied.size(), drifts.size(),
          unknown.size(), failed.size());
      return report;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.stagehand.core.StoreException("the refresh was interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a read's outcome is caught where it runs", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A read that threw, with why. */
  private record Failure(String why) {}

  /** A failed read's message, or its class name when it has none (or reading it fails too). */
  private static String describe(Throwable cause) {
    try {
      String m = cause.getMessage();
      return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
    } catch (RuntimeException unreadable) {
      return cause.getClass().getSimpleName();
    }
  }

  /**
   * The edits that bring reality back to the record: the recorded definition applied again for a
   * changed resource (a touch: an UPDATE), and for a gone one a replacement (its REMOVE finds nothing,
   * as after a crash; its RUN makes it again).
   */
  public static List<Edit> repairEdits(StoreReader r, DriftReport report) {
    List<Edit> edits = new ArrayList<>();
    for (Drift d : current(r, report)) {
      edits.add(d.kind() == Drift.Kind.GONE ? new Edit.Replace(d.resource()) : new Edit.Touch(d.resource()));
    }
    return edits;
  }

  /**
   * The edits that record reality as it is: for a changed resource, an adoption of the inputs and
   * outputs found; for a gone one, a forget. Refused if one of them has staged changes or is pending:
   * an adoption must record what was found and nothing else.
   */
  public static List<Edit> adoptEdits(StoreReader r, DriftReport report) {
    List<Drift> drifts = current(r, report);
    TreeSet<ResourceId> busy = new TreeSet<>(r.staged().pending());
    r.staged().entries().forEach(e -> busy.add(e.owner()));
    List<Edit> edits = new ArrayList<>();
    for (Drift d : drifts) {
      if (busy.contains(d.resource())) {
        throw new InvalidInputException("cannot adopt the drift of " + d.resource() + ": it has staged changes or "
            + "is pending; apply or discard them first, then refresh again");
      }
      if (d.kind() == Drift.Kind.GONE) {
        edits.add(new Edit.Forget(d.resource()));
        continue;
      }
      TreeMap<String, io.stagehand.core.model.Value> inputs = new TreeMap<>();
      TreeSet<String> sensitive = new TreeSet<>();
      d.changes().forEach(c -> {
        inputs.put(c.input(), c.to().orElseThrow());
        if (d.recorded().isSensitive(c.input())) {
          sensitive.add(c.input());
        }
      });
      TreeMap<String, io.stagehand.core.model.Value> outputs = new TreeMap<>();
      TreeSet<String> sensitiveOutputs = new TreeSet<>();
      d.outputChanges().forEach(c -> {
        outputs.put(c.input(), c.to().orElseThrow());
        if (c.sensitive()) {
          sensitiveOutputs.add(c.input());
        }
      });
      edits.add(new Edit.Adopt(d.resource(), inputs, sensitive, outputs, sensitiveOutputs));
    }
    return edits;
  }

  /** The report's drifts, each checked against the applied state: a resource changed since is refused. */
  private static List<Drift> current(StoreReader r, DriftReport report) {
    if (report.isEmpty()) {
      throw new InvalidInputException("the drift report holds no drift: there is nothing to settle");
    }
    List<ResourceId> ids = report.drifts().stream().map(Drift::resource).toList();
    Map<ResourceId, Resource> now = r.state().getAll(ids);
    for (Drift d : report.drifts()) {
      if (!d.recorded().equals(now.get(d.resource()))) {
        throw new InvalidInputException("the applied state of " + d.resource() + " changed since the refresh; "
            + "refresh again");
      }
    }
    return report.drifts();
  }
}
