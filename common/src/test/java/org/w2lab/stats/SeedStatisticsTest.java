package org.w2lab.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.w2lab.random.RandomStreams;

class SeedStatisticsTest {
    @Test
    void quantilesAreStudentsFromTables() {
        // Student's t table (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2): 0.975 quantiles
        assertEquals(12.706, SeedStatistics.tQuantile975(1), 5e-4);
        assertEquals(2.262, SeedStatistics.tQuantile975(9), 5e-4);
        assertEquals(2.042, SeedStatistics.tQuantile975(30), 5e-4);
        // and the normal limit
        assertEquals(1.95996, SeedStatistics.tQuantile975(1_000_000), 1e-4);
    }

    @Test
    void smallCasesByHand() {
        SeedStatistics s = SeedStatistics.of(new double[] {1, 2, 3, 4});
        assertEquals(2.5, s.mean(), 0);
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-15);
        assertEquals(SeedStatistics.tQuantile975(3) * Math.sqrt(5.0 / 3) / 2, s.ci95(), 1e-15);
        assertEquals(s.ci95(), s.halfWidth(0.95), 1e-15);
        // t_{0.995, 3} = 5.841 (tables)
        assertEquals(5.841 * Math.sqrt(5.0 / 3) / 2, s.halfWidth(0.99), 1e-3);
        assertTrue(Double.isNaN(SeedStatistics.of(new double[] {7}).sd()));
        assertEquals(0, SeedStatistics.of(new double[0]).n());
    }

    /** The interval covers the mean of normal samples 95% of the time: 4000 intervals, 5 binomial sigmas. */
    @Test
    void coversTheMeanNinetyFivePercentOfTheTime() {
        RandomGenerator rng = RandomStreams.forTask("coverage", 0);
        int trials = 4000;
        int covered = 0;
        for (int t = 0; t < trials; t++) {
            double[] x = new double[5];
            for (int i = 0; i < x.length; i++) {
                x[i] = 3 + 2 * rng.nextGaussian();
            }
            SeedStatistics s = SeedStatistics.of(x);
            if (Math.abs(s.mean() - 3) <= s.ci95()) {
                covered++;
            }
        }
        assertEquals(0.95, covered / (double) trials, 5 * Math.sqrt(0.95 * 0.05 / trials));
    }
}
