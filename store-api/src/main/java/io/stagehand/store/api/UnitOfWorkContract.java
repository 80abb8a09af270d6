package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.StagehandException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.CommitDraft;
import io.stagehand.core.spi.PendingReaction;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The store SPI itself: atomic units of work, the staged log, the outgoing index, the commit log. */
public abstract class UnitOfWorkContract extends ContractSupport {
  protected UnitOfWorkContract(Supplier<Store> factory) {
    super(factory);
  }

  static Resource resource(String id, String kind, String input, Value value, Connection... incoming) {
    Resource.Builder b = Resource.builder().id(ResourceId.of(id)).kind(kind);
    if (input != null) {
      b.putOwnInputs(input, value).putResolvedInputs(input, value);
    }
    for (Connection c : incoming) {
      b.addIncoming(c);
    }
    return b.build();
  }

  static CommitDraft draft(String tag, int index, Resource before, Resource after) {
    Diff diff = Diff.builder()
        .resource(after != null ? after.id() : before.id())
        .before(Optional.ofNullable(before))
        .after(Optional.ofNullable(after))
        .build();
    return CommitDraft.builder()
        .tag(Tag.of(tag))
        .index(index)
        .diff(diff)
        .action(diff.action().orElse(Action.UPDATE))
        .time(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }


  private java.util.SortedSet<Connection> outgoing(String id) {
    return store.read(r -> r.state().outgoing(ResourceId.of(id)));
  }

  private List<StagedEntry> entries() {
    return store.read(r -> r.staged().entries());
  }

  private long position() {
    return store.read(r -> r.staged().position());
  }

  private List<Commit> ofTag(String tag) {
    return store.read(r -> r.commits().ofTag(Tag.of(tag)));
  }

  private List<Commit> ofResource(String id) {
    return store.read(r -> r.commits().ofResource(ResourceId.of(id)));
  }

  private List<Commit> page(long offset, int limit) {
    return store.read(r -> r.commits().page(offset, limit));
  }

  @Test
  @DisplayName("a unit of work that throws leaves no trace of its writes")
  void throwingUnitLeavesNoTrace() {
    store.write(w -> {
      w.putResource(resource("k0", "keystone", "ip", Value.of("10.0.0.9")));
      return null;
    });
    StoreSnapshot before = StoreSnapshot.of(store);
    assertThatThrownBy(() -> store.write(w -> {
      w.putResource(resource("k1", "keystone", "ip", Value.of("10.0.0.1")));
      w.deleteResource(ResourceId.of("k0"));
      w.appendStaged(List.of(new StagedEntry(1, Edit.remove("k1"))));
      w.addPending(List.of(ResourceId.of("k1")));
      w.appendCommit(draft("t1", 0, null, resource("k1", "keystone", "ip", Value.of("10.0.0.1"))));
      throw new IllegalStateException("boom");
    })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(StoreSnapshot.of(store)).isEqualTo(before);
  }

  @Test
  @DisplayName("a unit of work sees its own writes, and a read sees them after it returns")
  void readsSeeOwnWrites() {
    Resource k1 = resource("k1", "keystone", "ip", Value.of("10.0.0.1"));
    Optional<Resource> inside = store.write(w -> {
      w.putResource(k1);
      return w.state().get(k1.id());
    });
    assertThat(inside).contains(k1);
    assertThat(store.<Optional<Resource>>read(r -> r.state().get(k1.id()))).contains(k1);
    assertThat(store.<Long>read(r -> r.state().count())).isEqualTo(1);
  }

  @Test
  @DisplayName("an emitter that feeds hundreds of receivers lists them all, sorted, as they come and go")
  void wideOutgoingIndex() {
    // in an order that is not the sorted one, and more than a store may keep in a compact form
    List<Connection> all = new ArrayList<>();
    for (int i = 299; i >= 0; i--) {
      all.add(Connection.of("n1.ip", "s" + i + ".ip"));
    }
    store.write(w -> {
      w.putResource(resource("n1", "node", "ip", Value.of("10.0.0.1")));
      for (Connection c : all) {
        w.putResource(resource(c.receiver().resource().name(), "svc", null, null, c));
      }
      return null;
    });
    all.sort(null);
    assertThat(outgoing("n1")).containsExactlyElementsOf(all);
    store.write(w -> {
      for (int i = 0; i < 300; i += 2) {
        w.deleteResource(ResourceId.of("s" + i));
      }
      // one receiver lets go of n1, one takes a second input from it
      w.putResource(resource("s1", "svc", null, null));
      w.putResource(resource("s3", "svc", null, null, Connection.of("n1.ip", "s3.ip"),
          Connection.of("n1.ip", "s3.backup")));
      return null;
    });
    List<Connection> left = new ArrayList<>();
    for (Connection c : all) {
      int i = Integer.parseInt(c.receiver().resource().name().substring(1));
      if (i % 2 == 1 && i != 1) {
        left.add(c);
      }
    }
    left.add(Connection.of("n1.ip", "s3.backup"));
    left.sort(null);
    assertThat(outgoing("n1")).containsExactlyElementsOf(left);
    store.write(w -> {
      for (int i = 3; i < 300; i += 2) {
        w.deleteResource(ResourceId.of("s" + i));
      }
      return null;
    });
    assertThat(outgoing("n1")).isEmpty();
  }

  @Test
  @DisplayName("the outgoing index follows the incoming connections of every stored resource")
  void outgoingIndex() {
    Connection c1 = Connection.of("n1.ip", "k1.ip");
    Connection c2 = Connection.collecting("k1.ip", "lb.backends");
    store.write(w -> {
      w.putResource(resource("n1", "node", "ip", Value.of("10.0.0.1")));
      w.putResource(resource("k1", "keystone", null, null, c1));
      w.putResource(resource("lb", "haproxy", null, null, c2));
      return null;
    });
    assertThat(outgoing("n1")).containsExactly(c1);
    assertThat(outgoing("k1")).containsExactly(c2);
    store.write(w -> {
      w.putResource(resource("lb", "haproxy", null, null));
      w.deleteResource(ResourceId.of("k1"));
      return null;
    });
    assertThat(outgoing("n1")).isEmpty();
    assertThat(outgoing("k1")).isEmpty();
    assertThat(store.<List<Resource>>read(r -> r.state().all())).extracting(Resource::id)
        .containsExactly(ResourceId.of("lb"), ResourceId.of("n1"));
  }

  @Test
  @DisplayName("the staged log numbers entries without gaps and its position never goes back")
  void stagedLogPositions() {
    store.write(w -> {
      w.appendStaged(List.of(new StagedEntry(1, Edit.remove("a")), new StagedEntry(2, Edit.remove("b"))));
      return null;
    });
    store.write(w -> {
      w.removeStaged(List.of(1L, 2L, 99L));
      return null;
    });
    assertThat(position()).isEqualTo(2);
    assertThat(entries()).isEmpty();
    assertThatThrownBy(() -> store.write(w -> {
      w.appendStaged(List.of(new StagedEntry(5, Edit.remove("c"))));
      return null;
    })).isInstanceOf(StagehandException.class).hasMessageContaining("5");
    store.write(w -> {
      w.appendStaged(List.of(new StagedEntry(3, Edit.remove("c"))));
      w.addPending(List.of(ResourceId.of("x"), ResourceId.of("y")));
      w.removePending(List.of(ResourceId.of("x")));
      return null;
    });
    assertThat(entries()).extracting(StagedEntry::sequence).containsExactly(3L);
    assertThat(store.<Set<ResourceId>>read(r -> r.staged().pending())).containsExactly(ResourceId.of("y"));
  }

  @Test
  @DisplayName("reactions owed are recorded once per target and reaction, cleared by name or all, and rolled back with their unit")
  void pendingReactions() {
    io.stagehand.core.spi.PendingReaction restart = new io.stagehand.core.spi.PendingReaction(ResourceId.of("svc"),
        "restart", "reacts to cfg UPDATE with restart");
    io.stagehand.core.spi.PendingReaction reload = new io.stagehand.core.spi.PendingReaction(ResourceId.of("lb"),
        "reload", "reacts to svc restart with reload");
    io.stagehand.core.spi.PendingReaction flush = new io.stagehand.core.spi.PendingReaction(ResourceId.of("svc"),
        "flush", "reacts to cfg * with flush");
    store.write(w -> {
      w.addPendingReactions(List.of(restart, reload, flush));
      w.addPendingReactions(List.of(new io.stagehand.core.spi.PendingReaction(ResourceId.of("svc"), "restart",
          "another reason")));
      return null;
    });
    assertThat(store.<List<io.stagehand.core.spi.PendingReaction>>read(r -> r.staged().pendingReactions()))
        .containsExactly(reload, flush, restart);
    assertThatThrownBy(() -> store.write(w -> {
      w.removePendingReactions(ResourceId.of("svc"), List.of());
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThat(store.<List<io.stagehand.core.spi.PendingReaction>>read(r -> r.staged().pendingReactions())).hasSize(3);
    store.write(w -> {
      w.removePendingReactions(ResourceId.of("svc"), List.of("restart"));
      return null;
    });
    assertThat(store.<List<io.stagehand.core.spi.PendingReaction>>read(r -> r.staged().pendingReactions()))
        .containsExactly(reload, flush);
    store.write(w -> {
      w.removePendingReactions(ResourceId.of("svc"), List.of());
      w.removePendingReactions(ResourceId.of("nobody"), List.of("x"));
      return null;
    });
    assertThat(store.<List<io.stagehand.core.spi.PendingReaction>>read(r -> r.staged().pendingReactions()))
        .containsExactly(reload);
  }

  @Test
  @DisplayName("a change count, where the store keeps one, grows by one with each committed unit and not otherwise")
  void changeCountFollowsCommittedUnits() {
    java.util.OptionalLong start = store.read(r -> r.changeCount());
    if (start.isEmpty()) {
      return; // the store does not tell: Stagehand replays the staged log every time
    }
    long n = start.getAsLong();
    assertThat(store.<java.util.OptionalLong>read(r -> r.changeCount())).hasValue(n);
    store.write(w -> {
      assertThat(w.changeCount()).hasValue(n);
      w.appendStaged(List.of(new StagedEntry(1, Edit.remove("a"))));
      assertThat(w.changeCount()).as("unchanged until the unit commits").hasValue(n);
      return null;
    });
    assertThat(store.<java.util.OptionalLong>read(r -> r.changeCount())).hasValue(n + 1);
    assertThatThrownBy(() -> store.write(w -> {
      w.removeStaged(List.of(1L));
      throw new IllegalStateException("rolled back");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(store.<java.util.OptionalLong>read(r -> r.changeCount())).hasValue(n + 1);
    assertThat(entries()).hasSize(1);
  }

  @Test
  @DisplayName("consuming an owner's entries up to a mark hides them at once, and nothing else")
  void consumeStagedUpToAMark() {
    store.write(w -> {
      w.appendStaged(List.of(new StagedEntry(1, Edit.remove("a")), new StagedEntry(2, Edit.remove("b")),
          new StagedEntry(3, Edit.remove("a"))));
      return null;
    });
    store.write(w -> {
      w.appendStaged(List.of(new StagedEntry(4, Edit.remove("a"))));
      // what an apply planned at position 3 consumed for a: entry 4 came later and stays
      w.consumeStaged(ResourceId.of("a"), 3, List.of(1L, 3L));
      assertThat(w.staged().entries()).extracting(StagedEntry::sequence).containsExactly(2L, 4L);
      return null;
    });
    assertThat(entries()).extracting(StagedEntry::sequence).containsExactly(2L, 4L);
    assertThat(position()).isEqualTo(4);
    store.write(w -> {
      w.appendStaged(List.of(new StagedEntry(5, Edit.remove("a"))));
      w.consumeStaged(ResourceId.of("a"), 5, List.of(4L, 5L));
      w.removeStaged(List.of(2L));
      return null;
    });
    assertThat(entries()).isEmpty();
    // a later mark below an earlier one brings nothing back
    store.write(w -> {
      w.consumeStaged(ResourceId.of("a"), 3, List.of());
      return null;
    });
    assertThat(entries()).isEmpty();
    assertThat(position()).isEqualTo(5);
  }

  @Test
  @DisplayName("removing staged entries removes exactly those named, in runs or one by one, in any order")
  void removeStagedRunsAndSingles() {
    List<StagedEntry> seven = new ArrayList<>();
    for (long seq = 1; seq <= 7; seq++) {
      seven.add(new StagedEntry(seq, Edit.remove("r" + seq)));
    }
    store.write(w -> {
      w.appendStaged(seven);
      return null;
    });
    store.write(w -> {
      w.removeStaged(List.of(6L, 3L, 2L, 4L, 3L));
      return null;
    });
    assertThat(entries()).extracting(StagedEntry::sequence).containsExactly(1L, 5L, 7L);
    store.write(w -> {
      // in one unit of work: append after the position, then remove a run that spans old and new
      w.appendStaged(List.of(new StagedEntry(8, Edit.remove("r8")), new StagedEntry(9, Edit.remove("r9"))));
      w.removeStaged(List.of(7L, 8L));
      return null;
    });
    assertThat(entries()).extracting(StagedEntry::sequence).containsExactly(1L, 5L, 9L);
  }

  @Test
  @DisplayName("concurrent units of work are serialised: no staged entry is lost")
  void concurrentWritersAreSerialised() throws Exception {
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            store.write(w -> {
              long next = w.staged().position() + 1;
              w.appendStaged(List.of(new StagedEntry(next, Edit.remove("r" + next))));
              return null;
            });
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(entries()).hasSize(threads * perThread);
    assertThat(position()).isEqualTo(threads * perThread);
  }

  @Test
  @DisplayName("the commit log places commits by its variant and answers by tag, resource and page")
  void commitLogPositionsAndQueries() {
    Resource k1a = resource("k1", "keystone", "ip", Value.of("10.0.0.1"));
    Resource k1b = resource("k1", "keystone", "ip", Value.of("10.0.0.2"));
    Resource k2 = resource("k2", "keystone", "ip", Value.of("10.0.0.3"));
    List<Commit> written = store.write(w -> List.of(
        w.appendCommit(draft("t1", 0, null, k1a)),
        w.appendCommit(draft("t1", 1, null, k2)),
        w.appendCommit(draft("t2", 0, k1a, k1b))));
    if (store.commitLogVariant() == CommitLogVariant.GLOBAL) {
      assertThat(written).extracting(Commit::position).containsExactly(
          CommitPosition.global(1), CommitPosition.global(2), CommitPosition.global(3));
    } else {
      assertThat(written).extracting(Commit::position).containsExactly(
          CommitPosition.of(ResourceId.of("k1"), 1), CommitPosition.of(ResourceId.of("k2"), 1),
          CommitPosition.of(ResourceId.of("k1"), 2));
    }
    assertThat(store.<List<Tag>>read(r -> r.commits().tags())).containsExactly(Tag.of("t1"), Tag.of("t2"));
    assertThat(ofTag("t1")).extracting(Commit::resource)
        .containsExactly(ResourceId.of("k1"), ResourceId.of("k2"));
    assertThat(ofTag("nope")).isEmpty();
    assertThat(ofResource("k1")).extracting(Commit::tag)
        .containsExactly(Tag.of("t1"), Tag.of("t2"));
    assertThat(page(1, 5)).containsExactlyElementsOf(written.subList(1, 3));
    assertThat(page(0, 2)).containsExactlyElementsOf(written.subList(0, 2));
    assertThat(store.<Long>read(r -> r.commits().size())).isEqualTo(3);
    assertThat(store.<Optional<Commit>>read(r -> r.commits().get(written.get(2).position()))).contains(written.get(2));
    assertThat(written.get(2).diff().changes()).singleElement().hasToString("ip: \"10.0.0.1\" -> \"10.0.0.2\"");
    assertThat(ofResource("k2").get(0).diff().after())
        .contains(k2);
    assertThat(Set.copyOf(written)).hasSize(3);
  }

  @Test
  @DisplayName("the apply lease admits one holder at a time and is free again once closed")
  void leaseIsExclusive() {
    var first = store.tryLease("first");
    assertThat(first).isPresent();
    assertThat(store.tryLease("second")).isEmpty();
    first.get().close();
    assertThat(first.get().isValid()).isFalse();
    var third = store.tryLease("third");
    assertThat(third).isPresent();
    third.get().close();
  }
}
