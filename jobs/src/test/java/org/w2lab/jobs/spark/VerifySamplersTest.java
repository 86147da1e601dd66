package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.config.Experiment;

/**
 * A reduced conf/verify-samplers.conf: Pierret &amp; Galerne's schemes and the samplers of k-diffusion and diffusers
 * (multistep, ancestral, DDIM with eta), both bases, run for real on particles and compared with the exact theory. The step counts put every exact error (0.05 to 7 here) well above the resolution of the
 * bias-corrected Gaussian fit (about 0.01 for 8192 particles in d = 16), so the comparison tests the samplers,
 * not the estimator's floor.
 */
class VerifySamplersTest {
    private static final int SEEDS = 8;
    private static final String CONFIG = "experiment = verify_reduced\n"
            + "params { d = 16, zeta = 1.0, eps = 1e-3, init = normal, particles = 8192, seeds = " + SEEDS
            + ", record_every = 0 }\n"
            + "grid = [ { sampler = [em, ei, ddpm], steps = 20, basis = [identity, random] }\n"
            + "  { sampler = euler, steps = 4, basis = [identity, random] }\n"
            + "  { sampler = heun, steps = 5, basis = [identity, random] }\n"
            + "  { sampler = rk4, steps = 3, basis = [identity, random] }\n"
            + "  { sampler = [euler_ancestral, dpmpp_2m, dpmpp_2m_sde, dpmpp_3m_sde, unipc], steps = 10,"
            + " basis = [identity, random] }\n"
            + "  { sampler = ddim, eta = 0.5, steps = 10, basis = [identity, random] }\n"
            + "  { sampler = lms, steps = 5, basis = [identity, random] } ]\n";

    @TempDir
    Path dir;

    /**
     * Each row's theory must lie in its seeds' Student interval at the family-wise level 99% over all rows
     * (Bonferroni: each at 1 - 0.01 / rows), and each 95% interval must be narrow: under 5% of the value.
     */
    @Test
    void theoryLiesWithinTheEmpiricalIntervals() throws IOException {
        SparkSession spark = SharedSpark.session();
        Experiment e = Experiment.load(Files.writeString(dir.resolve("v.conf"), CONFIG), List.of());
        RunJob.run(spark, e, dir.resolve("out").toString(), 0);
        List<Row> rows = spark.read().parquet(dir.resolve("out").resolve(Tables.SUMMARY).toString()).collectAsList();
        assertEquals(26, rows.size());
        double family = 0.01;
        double t = new TDistribution(null, SEEDS - 1).inverseCumulativeProbability(1 - family / (2 * rows.size()));
        double t95 = new TDistribution(null, SEEDS - 1).inverseCumulativeProbability(0.975);
        for (Row r : rows) {
            String what = r.getAs("sampler") + " " + r.getAs("steps") + " " + r.getAs("basis");
            assertEquals(SEEDS, (int) r.getAs("n_ok"), what);
            double theory = r.getAs("w2_theory");
            double mean = r.getAs("w2_empirical_mean");
            double ci95 = r.getAs("w2_empirical_ci95");
            assertTrue(ci95 < 0.05 * theory, what + ": interval +-" + ci95 + " around " + mean);
            assertEquals(theory, mean, t / t95 * ci95, what);
            // the squared error's interval, and the W2 interval derived from it, at the same family-wise level
            assertEquals(Boolean.FALSE, r.getAs("below_resolution"), what);
            double sq = r.getAs("w2sq_empirical_mean");
            double sqCi95 = r.getAs("w2sq_empirical_ci95");
            assertEquals(theory * theory, sq, t / t95 * sqCi95, what + " squared");
            double lo = r.getAs("w2_empirical_lo95");
            double hi = r.getAs("w2_empirical_hi95");
            assertEquals(Math.sqrt(sq - sqCi95), lo, 1e-15 * hi, what);
            assertEquals(Math.sqrt(sq + sqCi95), hi, 1e-15 * hi, what);
        }
    }
}
