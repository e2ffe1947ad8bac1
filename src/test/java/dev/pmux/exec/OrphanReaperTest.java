package dev.pmux.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.pmux.testing.Specs;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrphanReaperTest {
  /** Children and zombies as a test sets them; records what was reaped. */
  private static final class FakeChildTable implements ChildTable {
    final Set<Long> live = new HashSet<>();
    final Set<Long> zombies = new HashSet<>();
    final List<Long> reaped = new ArrayList<>();

    @Override
    public Set<Long> children() {
      Set<Long> all = new HashSet<>(live);
      all.addAll(zombies);
      return all;
    }

    @Override
    public boolean zombie(long pid) {
      return zombies.contains(pid);
    }

    @Override
    public boolean reap(long pid) {
      reaped.add(pid);
      return zombies.remove(pid);
    }
  }

  private static Child child(long pid, CompletableFuture<ExitStatus> exit) {
    return new Child() {
      @Override
      public long pid() {
        return pid;
      }

      @Override
      public InputStream stdout() {
        return InputStream.nullInputStream();
      }

      @Override
      public InputStream stderr() {
        return InputStream.nullInputStream();
      }

      @Override
      public CompletableFuture<ExitStatus> exit() {
        return exit;
      }
    };
  }

  private final FakeChildTable table = new FakeChildTable();

  private OrphanReaper reaper(KnownChildren known) {
    return new OrphanReaper(table, known, mock(Timeline.class));
  }

  @Test
  void anUnknownZombie_isReapedAtItsSecondScanOnly() {
    OrphanReaper reaper = reaper(new KnownChildren(spec -> child(1, new CompletableFuture<>())));
    table.zombies.add(42L);
    reaper.scan();
    assertThat(table.reaped).isEmpty();
    reaper.scan();
    assertThat(table.reaped).containsExactly(42L);
    assertThat(reaper.reaped()).isEqualTo(1);
  }

  @Test
  void liveChildren_areNeverReaped() {
    OrphanReaper reaper = reaper(new KnownChildren(spec -> child(1, new CompletableFuture<>())));
    table.live.add(7L);
    reaper.scan();
    reaper.scan();
    reaper.scan();
    assertThat(table.reaped).isEmpty();
  }

  @Test
  void aChildALauncherWaitsFor_isLeftToIt_untilItsExitIsCollected() throws Exception {
    CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    KnownChildren known = new KnownChildren(spec -> child(9, exit));
    OrphanReaper reaper = reaper(known);
    known.launch(Specs.program("web", "sleep", "1").build());
    table.zombies.add(9L);
    reaper.scan();
    reaper.scan();
    reaper.scan();
    assertThat(table.reaped).isEmpty();
    // Its launcher collected the exit (and the kernel forgot it): nothing is left to reap.
    table.zombies.remove(9L);
    exit.complete(new ExitStatus(0));
    assertThat(known.owns(9)).isFalse();
  }

  @Test
  void whileALaunchIsUnderWay_nothingIsReaped() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    KnownChildren known =
        new KnownChildren(
            spec -> {
              inside.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return child(5, new CompletableFuture<>());
            });
    OrphanReaper reaper = reaper(known);
    Thread launching =
        new Thread(
            () -> {
              try {
                known.launch(Specs.program("web", "sleep", "1").build());
              } catch (LaunchException e) {
                throw new AssertionError(e);
              }
            });
    launching.start();
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    // The launched child exited before its launcher returned its pid.
    table.zombies.add(5L);
    reaper.scan();
    reaper.scan();
    assertThat(table.reaped).isEmpty();
    release.countDown();
    launching.join(10_000);
    reaper.scan();
    reaper.scan();
    assertThat(table.reaped).as("its launcher waits for it").isEmpty();
  }
}
