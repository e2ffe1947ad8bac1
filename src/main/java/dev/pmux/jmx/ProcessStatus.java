package dev.pmux.jmx;

import java.util.Date;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One program at one moment, read in one call ({@link ProcessMXBean#getSnapshot()}), so that no
 * field comes from a different moment than another: what {@code pmux ctl list} and {@code status}
 * print. Times are epoch milliseconds (0: never) with {@code Date} twins (null: never); {@code pid}
 * and {@code lastExitCode} are -1 when there is none; {@code lastExitSignal} names the signal of a
 * death by signal (empty otherwise); {@code strays} are the pids of the program's processes outside
 * its process group (daemons that left it, what its last run left; {@code killMode: tree} only);
 * {@code nextRestartInMillis} is the time left of {@code nextRestartDelayMillis} (-1: no restart
 * pending).
 */
public record ProcessStatus(
    String name,
    String state,
    int stateCode,
    long pid,
    boolean running,
    long startCount,
    long restartCount,
    int lastExitCode,
    String lastExitSignal,
    String lastError,
    double uptimeSeconds,
    long lastStartTime,
    @Nullable Date lastStartDate,
    long lastExitTime,
    @Nullable Date lastExitDate,
    long nextRestartDelayMillis,
    long nextRestartInMillis,
    String command,
    double cpuSeconds,
    long residentBytes,
    List<Long> strays) {}
