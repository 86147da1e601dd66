package org.w2lab.jobs.spark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * The progress line of a run: Spark tasks done out of those submitted so far, failed attempts, elapsed time and an
 * estimate of the time left. It listens to the scheduler on the driver, so it counts the same in local and cluster
 * mode; a driver thread prints it, over one line rewritten with {@code \r} on a terminal, as a line every
 * {@code every} otherwise (a log, a pipe: at least one a period, so a long task is not silence), and once more at
 * the end.
 */
public final class RunProgress extends SparkListener implements AutoCloseable {
    /**
     * The name of the RDD of a run's simulated seeds ({@link RunJob}): its partitions are bins of nearly equal
     * estimated cost ({@link CostBalancer}), so the share of them done is the share of the heavy work done.
     */
    static final String SEEDS = "w2lab simulated seeds";
    private final AtomicLong seedStage = new AtomicLong(-1);
    private final AtomicLong seedTasks = new AtomicLong();
    private final AtomicLong seedsDone = new AtomicLong();
    private volatile long seedStart;
    private final SparkSession spark;
    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ScheduledExecutorService printer;
    private String last = "";

    private RunProgress(SparkSession spark, PrintStream out, boolean terminal, Duration every) {
        this.spark = spark;
        this.out = out;
        this.terminal = terminal;
        this.printer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "w2lab-progress");
            t.setDaemon(true);
            return t;
        });
        spark.sparkContext().addSparkListener(this);
        printer.scheduleAtFixedRate(this::print, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts printing to {@code out}.
     *
     * @param terminal whether {@code out} is a terminal: one line updated in place, else a line every period
     * @param every    how often to print
     */
    public static RunProgress start(SparkSession spark, PrintStream out, boolean terminal, Duration every) {
        return new RunProgress(spark, out, terminal, every);
    }

    /** On stderr: updated in place each second on a terminal, a line every 15 s otherwise. */
    public static RunProgress onStderr(SparkSession spark) {
        boolean terminal = System.console() != null;
        return start(spark, System.err, terminal, Duration.ofSeconds(terminal ? 1 : 15));
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stage) {
        submitted.addAndGet(stage.stageInfo().numTasks());
        // the first stage that computes the seeds (later ones read them back from the cache)
        boolean seeds = scala.jdk.javaapi.CollectionConverters.asJava(stage.stageInfo().rddInfos()).stream()
                .anyMatch(r -> SEEDS.equals(r.name()));
        if (seeds && seedStage.compareAndSet(-1, stage.stageInfo().stageId())) {
            seedTasks.set(stage.stageInfo().numTasks());
            seedStart = System.nanoTime();
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        if (task.taskInfo().successful()) {
            done.incrementAndGet();
            if (task.stageId() == seedStage.get()) {
                seedsDone.incrementAndGet();
            }
        } else {
            failed.incrementAndGet();
        }
    }

    /** The line as it reads now. */
    public String line() {
        long now = System.nanoTime();
        long seeds = seedStage.get() < 0 ? 0 : seedTasks.get();
        return line(done.get(), submitted.get(), failed.get(), (now - start) / 1_000_000, seedsDone.get(), seeds,
                seeds == 0 ? 0 : (now - seedStart) / 1_000_000);
    }

    /**
     * The line of a run with simulated seeds: while they compute, the time left is estimated from their partitions,
     * bins of equal estimated cost, done so far (Spark submits the later stages only when they start, so a count
     * of tasks would leave them out); after them, from the tasks.
     *
     * @param seedsDone      partitions of the seeds computed
     * @param seeds          partitions of the seeds, 0 before their stage starts or when nothing is simulated
     * @param seedsElapsedMs time since the seeds' stage started
     */
    static String line(long done, long total, long failed, long elapsedMs, long seedsDone, long seeds,
                       long seedsElapsedMs) {
        if (seeds == 0 || seedsDone >= seeds) {
            return line(done, total, failed, elapsedMs);
        }
        String left = seedsDone == 0 ? "" : ", ~" + duration(seedsElapsedMs * (seeds - seedsDone) / seedsDone)
                + " left";
        return String.format(Locale.ROOT, "tasks %d/%d done, %d failed, %s elapsed, seeds %d/%d partitions%s",
                done, total, failed, duration(elapsedMs), seedsDone, seeds, left);
    }

    /**
     * @param done      tasks finished successfully
     * @param total     tasks submitted so far (later stages add theirs when they start)
     * @param failed    failed task attempts (Spark retries them)
     * @param elapsedMs time since the start
     */
    static String line(long done, long total, long failed, long elapsedMs) {
        String left = done == 0 || done >= total ? "" : ", ~" + duration(elapsedMs * (total - done) / done) + " left";
        return String.format(Locale.ROOT, "tasks %d/%d done, %d failed, %s elapsed%s", done, total, failed,
                duration(elapsedMs), left);
    }

    static String duration(long ms) {
        long s = Math.round(ms / 1000.0);
        return s < 60 ? s + " s" : s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }

    private synchronized void print() {
        String line = line();
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
            out.flush();
        } else {
            // a log gets a line every period even when no task ended: a long task shows as time passing, not silence
            out.println(line);
        }
        last = line;
    }

    /**
     * Prints the final line and stops listening. The scheduler's events arrive a moment after the work they report,
     * so it first waits (at most two seconds) for the count of finished tasks to reach the count submitted.
     */
    @Override
    public synchronized void close() {
        printer.shutdownNow();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (done.get() < submitted.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        spark.sparkContext().removeSparkListener(this);
        String line = line();
        if (terminal) {
            out.println("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
        } else {
            out.println(line);
        }
        out.flush();
    }
}
