package dev.pmux.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deadlines on the real scheduler: absurd delays saturate instead of throwing. */
class SystemTimelineTest {
  @Test
  void aDelayBeyondTheNanosecondRange_isScheduledAsNeverNotThrown() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      Timeline timeline = new SystemTimeline(scheduler);
      CountDownLatch soon = new CountDownLatch(1);
      Timeline.Timer never = timeline.schedule(Duration.ofMillis(Long.MAX_VALUE), soon::countDown);
      timeline.schedule(Duration.ofSeconds(-1), soon::countDown);
      assertThat(soon.await(10, TimeUnit.SECONDS)).isTrue();
      never.cancel();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void saturatedNanos() {
    assertThat(SystemTimeline.saturatedNanos(Duration.ofMillis(Long.MAX_VALUE)))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(SystemTimeline.saturatedNanos(Duration.ofSeconds(-5))).isZero();
    assertThat(SystemTimeline.saturatedNanos(Duration.ofMillis(3))).isEqualTo(3_000_000L);
  }
}
