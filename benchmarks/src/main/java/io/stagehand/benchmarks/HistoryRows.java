package io.stagehand.benchmarks;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.CommitDraft;
import io.stagehand.core.spi.Store;
import io.stagehand.store.memory.MemoryStore;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** history-1M: a resource's history and a tag's commits from a large commit log, with JMH. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(0)
public class HistoryRows {
  @Param({"100000"})
  public int commits;

  @Param({"GLOBAL"})
  public String variant;

  private Store store;
  private int resources;
  private int tags;
  private int next;

  @Setup(Level.Trial)
  public void fill() {
    store = MemoryStore.create(io.stagehand.core.CommitLogVariant.valueOf(variant));
    resources = Math.max(1, commits / 100);
    int perTag = 100;
    tags = commits / perTag;
    Resource r = Resource.builder().id(ResourceId.of("r0")).kind("svc")
        .ownInputs(Map.of("v", Value.of(1))).resolvedInputs(Map.of("v", Value.of(1))).build();
    for (int t = 0; t < tags; t++) {
      int tag = t;
      store.write(w -> {
        for (int i = 0; i < perTag; i++) {
          ResourceId id = ResourceId.of("r" + ((tag * perTag + i) % resources));
          Resource ri = Resource.builder().from(r).id(id).build();
          w.appendCommit(CommitDraft.builder().tag(Tag.of("t" + tag)).index(i)
              .diff(Diff.builder().resource(id).before(Optional.of(ri)).after(Optional.of(ri)).build())
              .action(Action.UPDATE).time(Instant.EPOCH).build());
        }
        return null;
      });
    }
  }

  @Benchmark
  public int resourceHistory() {
    ResourceId id = ResourceId.of("r" + (next++ % resources));
    return store.read(r -> r.commits().ofResource(id)).size();
  }

  @Benchmark
  public int tagCommits() {
    Tag tag = Tag.of("t" + (next++ % tags));
    return store.read(r -> r.commits().ofTag(tag)).size();
  }

  static void run(ScaleRunner runner, boolean full) throws Exception {
    int commits = full ? 1_000_000 : 100_000;
    for (String variant : new String[] {"GLOBAL", "PER_RESOURCE"}) {
      Options options = new OptionsBuilder()
          .include(HistoryRows.class.getName())
          .param("commits", Integer.toString(commits))
          .param("variant", variant)
          .shouldFailOnError(true)
          .build();
      for (RunResult result : new Runner(options).run()) {
        String bench = result.getParams().getBenchmark();
        double micros = result.getPrimaryResult().getScore();
        String name = bench.endsWith("resourceHistory") ? "a resource's 100 commits" : "a tag's 100 commits";
        runner.row("history-" + (commits >= 1_000_000 ? "1M" : commits / 1000 + "k"), variant + ": " + name,
            String.format(Locale.ROOT, "%.1f µs", micros), "—", "—", "< 10 ms", micros < 10_000);
      }
    }
  }
}
