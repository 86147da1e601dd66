package org.w2lab.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VpScheduleTest {
    /** Simpson's rule on a smooth integrand with 1000 panels: error far below this. */
    private static final double QUADRATURE_TOLERANCE = 1e-12;
    /** Central differences with step 1e-5 on a smooth function: truncation about 1e-10, round-off about 1e-11. */
    private static final double DERIVATIVE_TOLERANCE = 1e-7;

    private final VpSchedule schedule = new VpSchedule(0.05, 10, 1.5);

    @Test
    void integralIsTheQuadratureOfBeta() {
        for (double t : new double[] {0.1, 0.7, 1.5}) {
            int n = 1000;
            double h = t / n;
            double sum = schedule.beta(0) + schedule.beta(t);
            for (int i = 1; i < n; i++) {
                sum += (i % 2 == 1 ? 4 : 2) * schedule.beta(i * h);
            }
            assertEquals(sum * h / 3, schedule.integral(t), QUADRATURE_TOLERANCE);
        }
        assertEquals(0.05, schedule.beta(0), 0.0);
        assertEquals(10, schedule.beta(1.5), 1e-15);
    }

    @Test
    void varianceSolvesTheForwardVarianceEquation() {
        // d/dt sigma_t^2 = -2 beta_t sigma_t^2 + 2 beta_t for dx = -beta x dt + sqrt(2 beta) dw (models.md)
        for (double lambda : new double[] {0, 0.3, 1, 50}) {
            assertEquals(lambda, schedule.variance(lambda, 0), 0.0);
            for (double t : new double[] {0.01, 0.5, 1.2}) {
                double dt = 1e-5;
                double derivative = (schedule.variance(lambda, t + dt) - schedule.variance(lambda, t - dt)) / (2 * dt);
                double rhs = -2 * schedule.beta(t) * (schedule.variance(lambda, t) - 1);
                assertEquals(rhs, derivative, DERIVATIVE_TOLERANCE * Math.max(1, Math.abs(rhs)));
            }
        }
    }

    @Test
    void varianceOfAZeroEigenvalueKeepsRelativePrecisionNearZero() {
        double t = 1e-12;
        // sigma_t^2 = 1 - e^{-2 B_t} ~ 2 beta_min t for tiny t
        assertEquals(2 * 0.05 * t, schedule.variance(0, t), 1e-9 * 2 * 0.05 * t);
    }

    @Test
    void variancesOfASpectrumAreTheVariancesOneByOneToTheBit() {
        // the engines compute decay and noise once per time (ForwardProcess#variances); they must not change a bit
        VpSchedule s = new VpSchedule(0.05, 10, 1);
        double[] lambda = {0, 1e-300, 3.7e-9, 0.3, 1, 2.5, 50, 1e6};
        double[] out = new double[lambda.length];
        for (double t : new double[] {0, 1e-12, 1e-5, 0.123456789, 0.5, 0.999, 1}) {
            s.variances(lambda, t, out);
            for (int i = 0; i < lambda.length; i++) {
                assertEquals(Double.doubleToRawLongBits(s.variance(lambda[i], t)), Double.doubleToRawLongBits(out[i]),
                        "lambda=" + lambda[i] + ", t=" + t);
            }
        }
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new VpSchedule(0, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new VpSchedule(1, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new VpSchedule(0.1, 10, 0));
    }

    @Test
    void gridEndsAreExact() {
        TimeGrid g = new TimeGrid(1, 1e-3, 7);
        assertEquals(1.0, g.forward(0), 0.0);
        assertEquals(1e-3, g.forward(7), 0.0);
        assertEquals(1 - 1e-3, g.backward(7), 0.0);
        assertEquals(g.step(0), g.forward(0) - g.forward(1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new TimeGrid(1, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> new TimeGrid(1, 0, 0));
    }
}
