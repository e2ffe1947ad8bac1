package dev.pmux.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  @Test
  void firstWaitIsMinWait() {
    assertThat(Backoff.next(Duration.ZERO, ms(5), ms(100), ms(1500))).isEqualTo(ms(100));
  }

  @Test
  void aCrashLoopDoublesMinusRunTimeUpToMaxWait() {
    // The Go tool printed 100ms, 198ms, 394ms, 786ms, 1.5s, 1.5s for /bin/false (runs of ~1ms).
    List<Long> waits = new ArrayList<>();
    Duration wait = Duration.ZERO;
    for (int i = 0; i < 6; i++) {
      wait = Backoff.next(wait, ms(1).plusNanos(500_000), ms(100), ms(1500));
      waits.add(wait.toMillis());
    }
    assertThat(waits).containsExactly(100L, 198L, 394L, 786L, 1500L, 1500L);
  }

  @Test
  void aLongRunResetsToMinWait() {
    assertThat(Backoff.next(ms(8000), Duration.ofMinutes(5), ms(1000), ms(64000)))
        .isEqualTo(ms(1000));
  }

  @ParameterizedTest(name = "prev {0}ms, took {1}ns -> {2}ms")
  @CsvSource({
    "1000, 0, 2000",
    "1000, 1, 1999", // 1999.999999ms truncates toward zero
    "1000, 999999, 1999",
    "1000, 1000000, 1999",
    "1000, 1000001, 1998",
    "40000, 0, 64000",
    "0, 0, 1000",
  })
  void truncatesToMillisecondsThenClamps(long prevMs, long tookNanos, long expectedMs) {
    assertThat(Backoff.next(ms(prevMs), Duration.ofNanos(tookNanos), ms(1000), ms(64000)))
        .isEqualTo(ms(expectedMs));
  }

  @Test
  void hugeWaitsSaturateInsteadOfOverflowing() {
    Duration huge = Duration.ofNanos(Long.MAX_VALUE - 1);
    assertThat(Backoff.next(huge, Duration.ZERO, ms(1), huge)).isEqualTo(ms(huge.toMillis()));
  }
}
