package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class RunProgressTest {
    @Test
    void theLineEstimatesTheTimeLeftFromTheRateSoFar() {
        assertEquals("tasks 5/20 done, 1 failed, 10 s elapsed, ~30 s left", RunProgress.line(5, 20, 1, 10_000));
        assertEquals("tasks 0/8 done, 0 failed, 2 s elapsed", RunProgress.line(0, 8, 0, 2_000));
        assertEquals("tasks 8/8 done, 0 failed, 1 min 05 s elapsed", RunProgress.line(8, 8, 0, 65_000));
        assertEquals("2 h 01 min", RunProgress.duration(7_260_000));
    }

    /**
     * While the seeds compute, the estimate comes from their partitions (bins of equal cost): 2 of 8 done in 20 s
     * leaves 60 s, whatever the count of tasks submitted so far says (here 12 of 20: 40 s / 12 x 8 = 27 s, too low).
     */
    @Test
    void whileSeedsComputeTheTimeLeftComesFromTheirPartitions() {
        assertEquals("tasks 12/20 done, 0 failed, 40 s elapsed, seeds 2/8 partitions, ~1 min 00 s left",
                RunProgress.line(12, 20, 0, 40_000, 2, 8, 20_000));
        assertEquals("tasks 10/20 done, 0 failed, 40 s elapsed, seeds 0/8 partitions",
                RunProgress.line(10, 20, 0, 40_000, 0, 8, 5_000));
        // after the seeds, or without any: from the tasks
        assertEquals(RunProgress.line(18, 20, 0, 40_000), RunProgress.line(18, 20, 0, 40_000, 8, 8, 30_000));
        assertEquals(RunProgress.line(5, 20, 0, 40_000), RunProgress.line(5, 20, 0, 40_000, 0, 0, 0));
    }

    /** A named seeds stage of two partitions, one quick, one slow: the line counts the quick one as done. */
    @Test
    void theSeedsStageIsFoundByItsRddsName() throws Exception {
        SparkSession spark = SharedSpark.session();
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (RunProgress progress = RunProgress.start(spark, out, false, Duration.ofSeconds(60))) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            var seeds = jsc.parallelize(List.of(100, 3000), 2).map(ms -> {
                Thread.sleep(ms);
                return ms;
            });
            seeds.setName(RunProgress.SEEDS);
            Thread job = new Thread(seeds::count);
            job.start();
            String line = progress.line();
            long deadline = System.nanoTime() + 2_500_000_000L;
            while (!line.contains("seeds 1/2 partitions") && System.nanoTime() < deadline) {
                Thread.sleep(20);
                line = progress.line();
            }
            assertTrue(line.contains("seeds 1/2 partitions, ~"), line);
            job.join();
        }
    }

    /** What the progress printed, every 20 ms, while a job of {@code tasks} tasks of {@code ms} each ran. */
    private static String progressOf(boolean terminal, int tasks, long ms) {
        SparkSession spark = SharedSpark.session();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (RunProgress progress = RunProgress.start(spark, out, terminal, Duration.ofMillis(20))) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            jsc.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks).map(x -> {
                Thread.sleep(ms);
                return x;
            }).count();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLogGetsALineEveryPeriodAndTheLastCountsEveryTask() {
        List<String> lines = progressOf(false, 7, 30).lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("tasks 7/7 done, 0 failed, "), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("\r")), lines.toString());
        assertTrue(lines.size() >= 2, "a line while it ran, then the last: " + lines);
    }

    @Test
    void aTerminalGetsOneLineRewrittenInPlace() {
        String text = progressOf(true, 3, 50);
        // String.lines() would split at \r too: count the newlines
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), text);
        assertTrue(text.endsWith("\n"), text);
        assertTrue(text.startsWith("\r") && text.contains("tasks 3/3 done"), text);
    }
}
