package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.compute.RunOutput;
import org.w2lab.jobs.compute.SeedTask;
import org.w2lab.jobs.compute.SimulationRunner;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.config.TaskSpec;

class SeedCheckpointsTest {
    private static final String SIMULATED = "params { d = 6, zeta = 1.0, particles = 300, seeds = 3, record_every = 4 }\n"
            + "grid = [ { sampler = [em, heun], steps = 8, basis = [identity, random] }\n { sampler = ode } ]\n";
    /** An elapsed time no computation here takes: a row that carries it was read from a checkpoint. */
    private static final long SENTINEL_MS = 987_654_321L;

    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.session();

    private Experiment experiment(String name) throws IOException {
        Path conf = Files.writeString(dir.resolve(name + ".conf"), "experiment = " + name + "\n" + SIMULATED);
        return Experiment.load(conf, List.of());
    }

    private List<String> rows(Path out, String table) {
        Dataset<Row> rows = spark.read().parquet(out.resolve(table).toString());
        if (table.equals(Tables.RUNS)) {
            rows = rows.drop("elapsed_ms");
        }
        return rows.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
    }

    @Test
    void aRerunReadsTheCompletedSeedsBackAndWritesEveryRowOnce() throws IOException {
        Experiment e = experiment("resume");
        Path reference = dir.resolve("reference");
        RunJob.run(spark, e, reference.toString(), 0);

        // an unfinished earlier run: 5 of the 12 seeds checkpointed, marked by an impossible elapsed time
        Path out = dir.resolve("out");
        SeedCheckpoints checkpoints = SeedCheckpoints.open(spark.sparkContext().hadoopConfiguration(),
                new org.apache.hadoop.fs.Path(out.toUri()), e.name());
        List<SeedTask> seeds = e.tasks().stream().filter(TaskSpec::simulated)
                .flatMap(t -> IntStream.range(0, t.seeds()).mapToObj(s -> new SeedTask(t, s)))
                .toList();
        assertEquals(12, seeds.size());
        List<SeedRows> done = new ArrayList<>();
        for (SeedTask s : seeds.subList(3, 8)) {
            RunOutput r = SimulationRunner.run(s, RunJob.spectrum(s.task(), e.spectra()));
            done.add(SeedRows.of(new RunOutput(s, r.simulation(), r.theory(), r.langevin(), r.sgdTheta(),
                    SENTINEL_MS)));
        }
        checkpoints.save(done.subList(0, 2));
        checkpoints.save(done.subList(2, 5));
        assertEquals(5, checkpoints.completed().size());

        RunJob.Report report = RunJob.run(spark, e, out.toString(), 3);
        assertEquals(5, report.resumed());
        assertEquals(12, report.runs());
        long fromCheckpoints = spark.read().parquet(out.resolve(Tables.RUNS).toString())
                .where("elapsed_ms = " + SENTINEL_MS).count();
        assertEquals(5, fromCheckpoints, "the checkpointed seeds were computed again");
        for (String table : Tables.ALL) {
            if (Files.isDirectory(reference.resolve(table))) {
                assertEquals(rows(reference, table), rows(out, table), table);
            }
        }
        assertFalse(Files.exists(out.resolve(SeedCheckpoints.FOLDER).resolve(e.name())),
                "checkpoints are removed once the tables are committed");
    }

    @Test
    void anUnwritableResultsFolderIsAnErrorBeforeAnyComputation() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Path out = file.resolve("results");
        ResultsFolderException error = assertThrows(ResultsFolderException.class,
                () -> RunJob.run(spark, experiment("unwritable"), out.toString(), 0));
        assertTrue(error.getMessage().contains("cannot write the results folder " + out), error.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void theKeyNamesTheConfigurationAndTheSeed() throws IOException {
        Experiment e = experiment("keys");
        SeedTask first = new SeedTask(e.tasks().get(0), 0);
        assertEquals(SeedCheckpoints.key(first), SeedCheckpoints.key(new SeedTask(e.tasks().get(0), 0)));
        assertNotEquals(SeedCheckpoints.key(first), SeedCheckpoints.key(new SeedTask(e.tasks().get(0), 1)));
        assertNotEquals(SeedCheckpoints.key(first), SeedCheckpoints.key(new SeedTask(e.tasks().get(1), 0)));
    }
}
