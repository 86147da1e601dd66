package org.w2lab.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The three time grids against their definitions (docs/theory.md, section 11) and each other's limit cases. */
class TimeGridTest {
    /** Round-off of a few dozen operations on O(1) numbers. */
    private static final double ROUND_OFF = 1e-13;

    private static final VpSchedule SCHEDULE = VpSchedule.standard();

    @Test
    void uniformFactoryHasTheBitsOfTheConstructor() {
        TimeGrid a = new TimeGrid(1, 1e-3, 37);
        TimeGrid b = TimeGrid.uniform(1, 1e-3, 37);
        for (int k = 0; k <= 37; k++) {
            assertEquals(Double.doubleToLongBits(a.forward(k)), Double.doubleToLongBits(b.forward(k)));
            assertEquals(Double.doubleToLongBits(a.backward(k)), Double.doubleToLongBits(b.backward(k)));
            assertEquals(1 - k * (1 - 1e-3) / 37, b.forward(k), ROUND_OFF);
        }
        assertEquals("uniform", b.id());
    }

    @Test
    void exponentialStepsAreGeometricAndEndAtTheTruncationTime() {
        double r = 0.9;
        TimeGrid g = TimeGrid.exponential(1, 0.01, 30, r);
        assertEquals(1.0, g.forward(0), 0.0);
        assertEquals(0.01, g.forward(30), 0.0);
        double sum = 0;
        for (int k = 0; k < 30; k++) {
            sum += g.step(k);
            if (k > 0) {
                assertEquals(r, g.step(k) / g.step(k - 1), ROUND_OFF);
            }
        }
        assertEquals(1 - 0.01, sum, ROUND_OFF);
    }

    @Test
    void exponentialWithRatioOneIsUniformAndCloseToOneTendsToIt() {
        TimeGrid u = TimeGrid.uniform(1, 0.01, 20);
        TimeGrid e1 = TimeGrid.exponential(1, 0.01, 20, 1);
        TimeGrid near = TimeGrid.exponential(1, 0.01, 20, 1 - 1e-9);
        for (int k = 0; k <= 20; k++) {
            assertEquals(u.forward(k), e1.forward(k), 0.0);
            // s_k(r) = s_k(1) + O(1 - r): the steps differ by relative (1 - r) N / 2
            assertEquals(u.forward(k), near.forward(k), 20 * 1e-9);
        }
    }

    @Test
    void exponentialWithTheLogRatioIsGeometricInForwardTime() {
        int n = 25;
        double eps = 1e-3;
        double r = Math.pow(eps, 1.0 / n);
        TimeGrid g = TimeGrid.exponential(1, eps, n, r);
        for (int k = 0; k <= n; k++) {
            assertEquals(Math.pow(r, k), g.forward(k), ROUND_OFF * Math.pow(r, k), "t_" + k);
        }
    }

    @Test
    void noiseLevelSplitsTheMarginalVarianceAndIsInvertedExactly() {
        for (double t : new double[] {0, 1e-6, 1e-3, 0.1, 0.5, 1, 1.3}) {
            double alpha = SCHEDULE.scale(t);
            double sigma = SCHEDULE.noiseLevel(t);
            for (double lambda : new double[] {0, 0.01, 1, 4}) {
                // x_t = alpha (x_0 + sigma z): variance alpha^2 (lambda + sigma^2)
                assertEquals(SCHEDULE.variance(lambda, t), alpha * alpha * (lambda + sigma * sigma),
                        ROUND_OFF * Math.max(1, lambda));
            }
            assertEquals(t, SCHEDULE.timeOfNoiseLevel(sigma), ROUND_OFF * Math.max(t, 1e-3), "t=" + t);
        }
        assertEquals(0.0, SCHEDULE.noiseLevel(0), 0.0);
        assertEquals(0.0, SCHEDULE.timeOfNoiseLevel(0), 0.0);
        assertThrows(IllegalArgumentException.class, () -> SCHEDULE.timeOfNoiseLevel(-1));
    }

    @Test
    void edmGridIsEvenlySpacedInTheRhoRootOfTheNoiseLevel() {
        for (double eps : new double[] {0, 1e-3}) {
            for (double rho : new double[] {1, 3, TimeGrid.EDM_RHO}) {
                int n = 18;
                TimeGrid g = TimeGrid.edm(SCHEDULE, eps, n, rho);
                assertEquals(1.0, g.forward(0), 0.0);
                assertEquals(eps, g.forward(n), 0.0);
                double top = Math.pow(SCHEDULE.noiseLevel(1), 1 / rho);
                double bottom = Math.pow(SCHEDULE.noiseLevel(eps), 1 / rho);
                for (int k = 0; k <= n; k++) {
                    double root = Math.pow(SCHEDULE.noiseLevel(g.forward(k)), 1 / rho);
                    assertEquals(top + k * (bottom - top) / n, root, 1e-12 * top, "rho=" + rho + " k=" + k);
                    if (k < n) {
                        assertTrue(g.forward(k + 1) < g.forward(k));
                    }
                }
            }
        }
    }

    @Test
    void gridsByIdAndTheirErrors() {
        assertEquals("uniform", TimeGrid.of("uniform", SCHEDULE, 0, 4, Double.NaN, Double.NaN).id());
        assertEquals("exponential", TimeGrid.of("exponential", SCHEDULE, 0, 4, 0.5, Double.NaN).id());
        assertEquals("edm", TimeGrid.of("edm", SCHEDULE, 0, 4, Double.NaN, 7).id());
        assertThrows(IllegalArgumentException.class, () -> TimeGrid.of("cosine", SCHEDULE, 0, 4, 0.5, 7));
        assertThrows(IllegalArgumentException.class, () -> TimeGrid.exponential(1, 0, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> TimeGrid.exponential(1, 0, 4, 1.5));
        assertThrows(IllegalArgumentException.class, () -> TimeGrid.edm(SCHEDULE, 0, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> TimeGrid.edm(SCHEDULE, 1, 4, 7));
        // so many geometric steps that consecutive times collide in double precision
        assertThrows(IllegalArgumentException.class, () -> TimeGrid.exponential(1, 0, 4000, 0.5));
    }
}
