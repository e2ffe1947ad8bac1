package dev.pmux.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignalTest {

  @Test
  void numbersRunFromOneToThirtyOneInLinuxOrder() {
    Signal[] all = Signal.values();
    assertEquals(31, all.length);
    for (int i = 0; i < all.length; i++) {
      assertEquals(i + 1, all[i].number());
      assertEquals(Optional.of(all[i]), Signal.byNumber(i + 1));
    }
    assertEquals(Optional.empty(), Signal.byNumber(0));
    assertEquals(Optional.empty(), Signal.byNumber(32));
  }

  @Test
  void goNamesAreWhatGoPrintsOnLinux() {
    assertEquals("hangup", Signal.HUP.goName());
    assertEquals("interrupt", Signal.INT.goName());
    assertEquals("killed", Signal.KILL.goName());
    assertEquals("terminated", Signal.TERM.goName());
    assertEquals("user defined signal 1", Signal.USR1.goName());
    assertEquals("stopped (signal)", Signal.STOP.goName());
    assertEquals("stopped", Signal.TSTP.goName());
    assertEquals("urgent I/O condition", Signal.URG.goName());
    assertEquals("CPU time limit exceeded", Signal.XCPU.goName());
    assertEquals("bad system call", Signal.SYS.goName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "int", "SIGINT", "sigint", "SigInt"})
  void parse_acceptsNamesInAnyCaseWithOrWithoutSig(String text) {
    assertEquals(Optional.of(Signal.INT), Signal.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "", "SIG", "INTERRUPT", " INT", "SIGSIGINT"})
  void parse_rejectsNumbersAndOtherText(String text) {
    assertEquals(Optional.empty(), Signal.parse(text));
  }

  @Test
  void stopSignalsAreExactlyTheSevenAllowedInConfig() {
    EnumSet<Signal> stop = EnumSet.noneOf(Signal.class);
    for (Signal s : Signal.values()) {
      if (s.isStopSignal()) {
        stop.add(s);
      }
    }
    assertEquals(
        EnumSet.of(
            Signal.INT,
            Signal.TERM,
            Signal.HUP,
            Signal.QUIT,
            Signal.USR1,
            Signal.USR2,
            Signal.KILL),
        stop);
    assertFalse(Signal.STOP.isStopSignal());
    assertTrue(Signal.KILL.isStopSignal());
  }
}
