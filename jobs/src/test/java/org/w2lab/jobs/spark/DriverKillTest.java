package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.cli.W2lab;
import org.w2lab.jobs.config.Experiment;

/**
 * A driver killed inside each table's write, and inside the promotion of a committed run: {@code w2lab run} in a JVM
 * of its own on embedded Spark, halted at the chosen point as SIGKILL would end it ({@link FaultyFileSystem}). After
 * each kill, readers see every table of one run, and a rerun completes.
 */
class DriverKillTest {
    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.session();

    /** {@code w2lab run CONFIG --out faulty://OUT ARGS...} in a new JVM with {@code fault}; returns its exit status. */
    private int killedRun(Path config, Path out, String fault, String... args) throws Exception {
        List<String> command = ChildJvm.java();
        command.addAll(List.of(
                "-Dspark.hadoop.fs.faulty.impl=" + FaultyFileSystem.class.getName(),
                "-Dspark.hadoop.fs.faulty.impl.disable.cache=true",
                "-Dspark.hadoop." + FaultyFileSystem.FAULT + "=" + fault,
                "-cp", ChildJvm.classPath(),
                W2lab.class.getName(), "run", config.toString(), "--master", "local[1]",
                "--out", "faulty://" + out.toAbsolutePath()));
        command.addAll(List.of(args));
        Path log = dir.resolve(fault.replace(':', '-') + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the run did not end: " + Files.readString(log));
        }
        return p.exitValue();
    }

    private RunJob.Report run(Experiment e, Path out, boolean replace) {
        return StoreFixtures.run(spark, e, out.toString(), replace);
    }

    @Test
    void aKilledDriverLeavesOneRunVisibleAndTheRerunCompletes() throws Exception {
        Path conf = StoreFixtures.config(dir);
        Path out = dir.resolve("out");
        run(StoreFixtures.experiment(conf), out, false);
        Map<String, List<String>> previous = StoreFixtures.seen(spark, out);
        Experiment next = StoreFixtures.experiment(conf, "d=5");
        Path reference = dir.resolve("reference");
        run(next, reference, false);
        Map<String, List<String>> nextRows = StoreFixtures.seen(spark, reference);
        for (String table : Tables.ALL) {
            assertNotEquals(previous.get(table), nextRows.get(table), table);
        }

        for (String table : Tables.ALL) {
            assertEquals(137, killedRun(conf, out, "kill:" + table, "--set", "d=5", "--replace"), table);
            assertEquals(previous, StoreFixtures.seen(spark, out), "after a kill in the write of " + table);
            assertEquals(previous, StoreFixtures.plain(spark, out), "plain reads after a kill in " + table);
        }

        // killed after its commit, while its tables move into place: it is the published run
        assertEquals(137, killedRun(conf, out, "kill-promote:" + Tables.TRAJECTORIES, "--set", "d=5", "--replace"));
        assertEquals(nextRows, StoreFixtures.seen(spark, out), "after a kill in the promotion");

        // the rerun finishes the promotion: plain reads see the new run too, and nothing else is left
        run(next, out, false);
        assertEquals(nextRows, StoreFixtures.seen(spark, out));
        assertEquals(nextRows, StoreFixtures.plain(spark, out));
        try (Stream<Path> left = Files.list(out.resolve(ResultsStore.FOLDER).resolve(StoreFixtures.NAME))) {
            // Hadoop's local checksum files (.NAME.crc) aside
            List<String> names = left.map(f -> f.getFileName().toString()).filter(f -> !f.endsWith(".crc")).sorted()
                    .toList();
            assertEquals(2, names.size(), "the published run's folder and its commit record: " + names);
        }
        assertTrue(Files.notExists(out.resolve(SeedCheckpoints.FOLDER).resolve(StoreFixtures.NAME)));
    }
}
