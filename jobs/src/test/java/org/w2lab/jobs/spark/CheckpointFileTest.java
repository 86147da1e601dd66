package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.compute.SeedTask;
import org.w2lab.jobs.compute.SimulationRunner;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.config.TaskSpec;

/** Checkpoints that are damaged, truncated or foreign are errors that name the file, never values. */
class CheckpointFileTest {
    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.session();

    /** Every seed of the experiment computed and checkpointed in one file, as an unfinished run leaves them. */
    private Path checkpointed(Experiment e, Path out) throws IOException {
        SeedCheckpoints checkpoints = SeedCheckpoints.open(spark.sparkContext().hadoopConfiguration(),
                new org.apache.hadoop.fs.Path(out.toUri()), e.name());
        List<SeedRows> seeds = e.tasks().stream().filter(TaskSpec::simulated)
                .flatMap(t -> IntStream.range(0, t.seeds()).mapToObj(s -> new SeedTask(t, s)))
                .map(s -> SeedRows.of(SimulationRunner.run(s, RunJob.spectrum(s.task(), e.spectra())))).toList();
        checkpoints.save(seeds);
        try (Stream<Path> files = Files.list(out.resolve(SeedCheckpoints.FOLDER).resolve(e.name()))) {
            return files.filter(f -> f.toString().endsWith(SeedCheckpoints.SUFFIX)).findFirst().orElseThrow();
        }
    }

    private void assertRejected(Experiment e, Path out, Path file, String reason) {
        ResultsFolderException error = assertThrows(ResultsFolderException.class,
                () -> RunJob.run(spark, e, out.toString(), 0));
        assertTrue(error.getMessage().contains("cannot use the checkpoint") && error.getMessage().contains(
                file.getFileName().toString()) && error.getMessage().contains("delete it")
                && error.getMessage().contains(reason), error.getMessage());
        assertTrue(Files.notExists(out.resolve(Tables.SUMMARY)), "nothing published");
    }

    @Test
    void aFlippedByteATruncationOrAForeignFileIsAnErrorNamingIt() throws IOException {
        Experiment e = StoreFixtures.experiment(StoreFixtures.config(dir));
        Path out = dir.resolve("out");
        Path file = checkpointed(e, out);
        byte[] whole = Files.readAllBytes(file);
        // Hadoop's local file system keeps a .crc beside each file and would catch some of these itself; without it
        // (another file system, or the .crc gone) only the checkpoint's own CRC32C stands between a flipped bit and
        // the tables
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));

        byte[] flipped = whole.clone();
        flipped[whole.length - 20] ^= 0x10; // inside the last record's payload: a value, not a length
        Files.write(file, flipped);
        assertRejected(e, out, file, "does not match its CRC32C");

        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 7));
        assertRejected(e, out, file, "truncated");

        Files.write(file, java.util.Arrays.copyOf(whole, whole.length + 1));
        assertRejected(e, out, file, "bytes after its last record");

        Files.delete(file);
        Path foreign = Files.writeString(file.resolveSibling("dropped.ckp"), "not a checkpoint at all");
        assertRejected(e, out, foreign, "not a w2lab checkpoint");
        Files.delete(foreign);
        Path serialized = file.resolveSibling("old.bin");
        try (OutputStream o = new java.io.ObjectOutputStream(Files.newOutputStream(serialized))) {
            ((java.io.ObjectOutputStream) o).writeObject(new String[] {"a Java object"});
        }
        assertRejected(e, out, serialized, "not a checkpoint's name");
        Files.delete(serialized);

        // what the error says to do works: with the file deleted, the seeds are computed again
        Files.write(file, whole);
        RunJob.Report resumed = RunJob.run(spark, e, out.toString(), 0);
        assertEquals(6, resumed.resumed(), "an intact file is read back whole");
    }
}
