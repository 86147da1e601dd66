package org.w2lab.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The VE process against its definition (Song et al. 2021, eq. 9; docs/theory.md, section 13). */
class VeScheduleTest {
    private static final VeSchedule VE = VeSchedule.standard();

    /**
     * {@code dx = sqrt(d sigma^2 / dt) dw}: the marginal variance grows like {@code dV/dt = d sigma^2 / dt = 2 D_t}.
     * Central differences with {@code dt = 1e-5}: truncation {@code dt^2 V''' / 6} and round-off
     * {@code ulp(V) / dt} are both below 1e-7 of {@code dV/dt} (which is at least {@code 2 L sigma_min^2}).
     */
    @Test
    void varianceSolvesTheForwardVarianceEquation() {
        double dt = 1e-5;
        for (double t : new double[] {0.01, 0.3, 0.7, 0.99}) {
            for (double lambda : new double[] {0, 0.5, 3}) {
                double numeric = (VE.variance(lambda, t + dt) - VE.variance(lambda, t - dt)) / (2 * dt);
                assertEquals(2 * VE.diffusion(t), numeric, 1e-7 * numeric, "t=" + t + " lambda=" + lambda);
            }
        }
    }

    @Test
    void scheduleEndsNoiseLevelAndPrior() {
        assertEquals(0.01, VE.sigma(0), 1e-16);
        assertEquals(50, VE.sigma(1), 50 * 1e-14);
        assertEquals(0.0, VE.noise(0), 0.0);
        assertEquals(50.0 * 50 - 0.01 * 0.01, VE.priorVariance(), 2500 * 1e-14);
        for (double t : new double[] {0, 1e-6, 0.2, 1, 1.2}) {
            double sigma = VE.noiseLevel(t);
            // x_t = x_0 + sigma z, alpha = 1
            assertEquals(VE.variance(0.7, t), 0.7 + sigma * sigma, 1e-13 * VE.variance(0.7, t));
            assertEquals(1.0, VE.scale(t), 0.0);
            assertEquals(t, VE.timeOfNoiseLevel(sigma), 1e-13 * Math.max(t, 1e-3), "t=" + t);
        }
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new VeSchedule(0, 50, 1));
        assertThrows(IllegalArgumentException.class, () -> new VeSchedule(1, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new VeSchedule(0.01, 50, 0));
        assertThrows(IllegalArgumentException.class, () -> VE.timeOfNoiseLevel(-1));
    }
}
