package org.w2lab.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** The ziggurat's draws against the exact normal law: the whole distribution, and the tail it draws apart. */
class ZigguratTest {
    private static final int N = 2_000_000;
    private static final double[] DRAWS = draws();

    private static double[] draws() {
        double[] x = new double[N];
        Ziggurat.fill(RandomStreams.forTask("ziggurat", 0), x, 0, N);
        return x;
    }

    /** 200 equiprobable bins of N(0, 1); the chi-square statistic must not exceed its 1 - 1e-6 quantile. */
    @Test
    void binsAreEquiprobable() {
        int bins = 200;
        NormalDistribution normal = new NormalDistribution(null, 0, 1);
        double[] edges = new double[bins - 1];
        for (int b = 1; b < bins; b++) {
            edges[b - 1] = normal.inverseCumulativeProbability(b / (double) bins);
        }
        long[] counts = new long[bins];
        for (double x : DRAWS) {
            int at = Arrays.binarySearch(edges, x);
            counts[at >= 0 ? at + 1 : -at - 1]++;
        }
        double expected = N / (double) bins;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        double critical = new ChiSquaredDistribution(null, bins - 1).inverseCumulativeProbability(1 - 1e-6);
        assertTrue(chi2 < critical, "chi2 = " + chi2 + " >= " + critical);
    }

    /** Beyond R = 3.654 (the tail method) and beyond 4.5: counts within 5 Poisson standard deviations. */
    @Test
    void tailsHaveTheNormalMass() {
        NormalDistribution normal = new NormalDistribution(null, 0, 1);
        for (double z : new double[] {3.6541528853610088, 4.5}) {
            double expected = N * 2 * normal.cumulativeProbability(-z);
            long count = Arrays.stream(DRAWS).filter(x -> Math.abs(x) > z).count();
            assertEquals(expected, count, 5 * Math.sqrt(expected), "beyond " + z);
        }
    }
}
