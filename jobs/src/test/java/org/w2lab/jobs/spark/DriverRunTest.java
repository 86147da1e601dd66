package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.config.Experiment;

/**
 * Runs on the driver alone ({@link DriverRun}) against the same runs through Spark ({@link RunJob}): the same rows
 * in every table, bit for bit, the same Parquet schema and Spark metadata in the files, the same commit record; and
 * which runs qualify.
 */
class DriverRunTest {
    /** Every path of the spectral engine: VP and VE, discrete and continuous, trajectories, both starts. */
    private static final String CONFIG = "experiment = driver\n"
            + "params { d = 6, zeta = 1.0, record_every = 5 }\n"
            + "grid = [ { sampler = [em, ei, ddpm, euler, heun, rk4, dpm_solver_2, edm_heun], steps = [5, 20],"
            + " eps = [0, 1e-3], init = [p_T, normal] }\n"
            + "  { sampler = [sde, ode], eps = 1e-3, init = [p_T, normal] }\n"
            + "  { process = ve, sampler = [euler, heun], steps = 10, init = [p_T, normal], grid = [uniform, edm] } ]\n";

    @TempDir
    Path dir;

    @Test
    void writesWhatSparkWrites() throws IOException {
        SparkSession spark = SharedSpark.session();
        Experiment e = Experiment.load(Files.writeString(dir.resolve("driver.conf"), CONFIG), List.of());
        assertTrue(DriverRun.suits(e));
        Path viaSpark = dir.resolve("spark");
        Path viaDriver = dir.resolve("driver");
        RunJob.Report sparkReport = StoreFixtures.run(spark, e, viaSpark.toString(), false);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        RunJob.Report driverReport = DriverRun.run(e, ResultsStore.open(hadoop, viaDriver.toString(), e, false),
                hadoop);

        assertEquals(sparkReport.configurations(), driverReport.configurations());
        assertEquals(sparkReport.statuses(), driverReport.statuses());
        assertEquals(sparkReport.rows(), driverReport.rows());
        assertTrue(driverReport.rows().get(Tables.TRAJECTORIES) > 0, driverReport.rows().toString());
        Map<String, List<String>> seenViaSpark = StoreFixtures.seen(spark, viaSpark);
        assertEquals(seenViaSpark, StoreFixtures.seen(spark, viaDriver));
        assertEquals(List.of(Tables.SUMMARY, Tables.TRAJECTORIES, Tables.SPECTRA),
                List.copyOf(seenViaSpark.keySet()));
        for (String table : seenViaSpark.keySet()) {
            FileMetaData a = footer(viaSpark.resolve(table));
            FileMetaData b = footer(viaDriver.resolve(table));
            assertEquals(a.getSchema(), b.getSchema(), table);
            assertEquals(a.getKeyValueMetaData(), b.getKeyValueMetaData(), table);
        }
        assertEquals(ResultsStore.experiments(hadoop, viaSpark.toString()).get("driver").rows(),
                ResultsStore.experiments(hadoop, viaDriver.toString()).get("driver").rows());
    }

    @Test
    void onlySmallSpectralRunsQualify() throws IOException {
        assertFalse(suits("{ sampler = em, steps = 10, particles = 100, seeds = 2 }"), "simulated seeds");
        assertFalse(suits("{ sampler = em, steps = 10, score = perturbed, delta = 0.1 }"), "full-matrix theory");
        assertFalse(suits("{ sampler = em, steps = 10, score = learned, n_train = 100, tau = 0.01, sgd_steps = 2000, seeds = 0 }"),
                "learned score");
        assertFalse(suits("{ sampler = ula, sigma = 0.5, gamma = 0.05, tau = 0.01, n_train = 50, sgd_steps = 2000,"
                + " steps = 20 }"), "ula");
        // d x evaluations past DriverRun.MAX_WORK
        assertFalse(suits("{ d = 100000, sampler = em, steps = [10000, 20000, 30000] }"), "too much work");
        assertTrue(suits("{ d = 100000, sampler = em, steps = 10000 }"));
    }

    private boolean suits(String grid) throws IOException {
        Path config = Files.writeString(dir.resolve("q.conf"), "experiment = q\nparams { d = 4, zeta = 1.0 }\n"
                + "grid = [ " + grid + " ]\n");
        return DriverRun.suits(Experiment.load(config, List.of()));
    }

    /** The footer of the one Parquet file of a table's experiment partition. */
    private static FileMetaData footer(Path table) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(table)) {
            walk.filter(p -> p.getFileName().toString().endsWith(".parquet")).forEach(files::add);
        }
        assertEquals(1, files.size(), files.toString());
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(files.get(0).toUri()), new Configuration()))) {
            return r.getFooter().getFileMetaData();
        }
    }

    /** {@code w2lab run} in a JVM of its own (no session): the quickstart on the driver, read back through Spark. */
    @Test
    void theCliRunsSmallRunsOnTheDriver() throws Exception {
        Path out = dir.resolve("cli");
        List<String> command = new ArrayList<>(ChildJvm.java());
        command.addAll(List.of("-cp", ChildJvm.classPath(), "org.w2lab.jobs.cli.W2lab", "run",
                "../conf/quickstart.conf", "--out", out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("28 configurations, status {ok=28}") && output.contains("on the driver"), output);
        Map<String, List<String>> seen = StoreFixtures.seen(SharedSpark.session(), out);
        assertEquals(28, seen.get(Tables.SUMMARY).size());
    }
}
