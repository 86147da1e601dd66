package org.w2lab.jobs.cli;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;

/**
 * Ends the driver JVM when Spark stops the application under a run that is still going, e.g. a standalone
 * master that refuses it ("All masters are unresponsive! Giving up."): a call into Spark in flight at that moment
 * (a broadcast, a job) can then wait forever. After a grace period in which the run may fail by itself, the JVM
 * halts with status 1; what the run wrote is safe to leave (checkpoints are whole files, and the next run removes
 * an unpublished run's leftovers: docs/faults.md).
 */
final class StoppedSparkGuard implements AutoCloseable {
    /** How long a run may go on after its SparkContext stopped. */
    static final long GRACE_SECONDS = 30;

    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "w2lab-stopped-spark");
        t.setDaemon(true);
        return t;
    });
    private volatile long stoppedAt = -1;

    StoppedSparkGuard(SparkContext context) {
        watcher.scheduleAtFixedRate(() -> {
            if (!context.isStopped()) {
                return;
            }
            long now = System.nanoTime();
            if (stoppedAt < 0) {
                stoppedAt = now;
            } else if (now - stoppedAt >= TimeUnit.SECONDS.toNanos(GRACE_SECONDS)) {
                System.err.println("w2lab: Spark stopped the application while the run was going (see the log "
                        + "above); exiting");
                System.err.flush();
                Runtime.getRuntime().halt(1);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
