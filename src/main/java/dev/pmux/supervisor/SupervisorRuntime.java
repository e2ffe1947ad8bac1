package dev.pmux.supervisor;

import dev.pmux.exec.KillTimer;
import dev.pmux.exec.Launcher;
import dev.pmux.exec.ProcessGroupKiller;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every supervised program shares: the OS boundary (launcher, group signals, forced-kill
 * timer), the scheduler for restarts, the clock, and the executor that delivers state changes.
 */
public record SupervisorRuntime(
    Launcher launcher,
    ProcessGroupKiller killer,
    KillTimer killTimer,
    ScheduledExecutorService scheduler,
    Executor notifications,
    Clock clock) {}
