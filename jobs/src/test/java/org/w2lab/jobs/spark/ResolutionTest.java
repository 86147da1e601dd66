package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.spectrum.SpectrumFiles;

/**
 * A configuration below the Gaussian-fit estimator's resolution: CIFAR-10's spectrum subsampled to d = 32 (every
 * 96th eigenvalue, the largest 221) on 2048 particles, where the first-order bias of the fit's {@code W2^2} (about
 * 0.16) dwarfs the exact {@code W2^2}. Clipping each seed's corrected estimate at 0 once made the summary read
 * {@code 0 +- 0} against a nonzero exact value; now the row is flagged and claims no interval of {@code W2}.
 */
class ResolutionTest {
    private static final int SEEDS = 8;

    @TempDir
    Path dir;

    @Test
    void belowTheResolutionARowIsFlaggedAndItsSquaredErrorIntervalHoldsTheTruth() throws IOException {
        SparkSession spark = SharedSpark.session();
        double[] lambda = SpectrumFiles.load(Path.of("../conf/spectra/cifar10_eigenvalues.npy")).lambda();
        double[] sorted = Arrays.stream(lambda).boxed().sorted((a, b) -> Double.compare(b, a))
                .mapToDouble(Double::doubleValue).toArray();
        String steep = IntStream.range(0, 32).mapToObj(i -> Double.toString(sorted[96 * i]))
                .collect(Collectors.joining("\n"));
        Files.writeString(dir.resolve("steep.txt"), steep + "\n");
        Path conf = Files.writeString(dir.resolve("steep.conf"), "experiment = steep\nparams { spectrum = steep.txt, "
                + "sampler = heun, steps = 20, eps = 1e-3, particles = 2048, seeds = " + SEEDS
                + ", record_every = 0 }\n");
        Path out = dir.resolve("out");
        RunJob.run(spark, Experiment.load(conf, List.of()), out.toString(), 0);

        List<Row> runs = spark.read().parquet(out.resolve(Tables.RUNS).toString()).collectAsList();
        assertEquals(SEEDS, runs.size());
        long clipped = 0;
        for (Row r : runs) {
            double fit = r.getAs("w2_fit");
            double sq = r.<Double>getAs("w2sq_empirical");
            assertEquals(fit * fit - r.<Double>getAs("fit_bias_sq"), sq, 0.0, "unclipped, as computed");
            assertEquals(Math.sqrt(Math.max(sq, 0)), r.<Double>getAs("w2_empirical"), 0.0);
            clipped += sq <= 0 ? 1 : 0;
        }
        assertTrue(clipped > 0, "the case must reach below the resolution for this test to mean anything");

        Row s = spark.read().parquet(out.resolve(Tables.SUMMARY).toString()).first();
        assertEquals(Boolean.TRUE, s.getAs("below_resolution"));
        assertNull(s.getAs("w2_empirical_ci95"), "no interval of W2 is claimed below the resolution");
        assertNull(s.getAs("w2_empirical_sd"));
        assertNull(s.getAs("w2_empirical_lo95"));
        assertNull(s.getAs("w2_empirical_hi95"));
        // the unclipped squared errors keep their honest interval; at the 99.9% level (t ratio) it holds the truth
        double theory = s.getAs("w2_theory");
        double mean = s.getAs("w2sq_empirical_mean");
        double ci95 = s.getAs("w2sq_empirical_ci95");
        assertTrue(ci95 > 0, "a nonzero width: " + ci95);
        double widen = new TDistribution(null, SEEDS - 1).inverseCumulativeProbability(0.9995)
                / new TDistribution(null, SEEDS - 1).inverseCumulativeProbability(0.975);
        assertEquals(theory * theory, mean, widen * ci95, "W2^2 " + mean + " +- " + ci95);
    }
}
