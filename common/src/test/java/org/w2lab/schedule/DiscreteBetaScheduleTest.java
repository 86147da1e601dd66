package org.w2lab.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The VP processes of diffusers' discrete schedules (docs/theory.md, section 17) against the schedules' own
 * definitions: the cumulative products of {@code 1 - beta} at the training times, the cosine's closed form, the
 * forward variance equation, the noise level's inverse.
 */
class DiscreteBetaScheduleTest {
    private static final int N = DiscreteBetaSchedule.TRAINING_STEPS;

    /** The betas as diffusers builds them, written out again here. */
    private static double[] betas(String schedule) {
        double[] betas = new double[N];
        for (int i = 0; i < N; i++) {
            if ("cosine".equals(schedule)) {
                double a1 = Math.pow(Math.cos((i / 1000.0 + 0.008) / 1.008 * Math.PI / 2), 2);
                double a2 = Math.pow(Math.cos(((i + 1) / 1000.0 + 0.008) / 1.008 * Math.PI / 2), 2);
                betas[i] = Math.min(1 - a2 / a1, 0.999);
            } else {
                double step = (Math.sqrt(0.012) - Math.sqrt(0.00085)) / 999;
                double r = Math.sqrt(0.00085) + i * step;
                betas[i] = r * r;
            }
        }
        return betas;
    }

    @Test
    void alphaBarIsTheProductOfOneMinusBetaAtTheTrainingTimes() {
        for (DiscreteBetaSchedule s : new DiscreteBetaSchedule[] {DiscreteBetaSchedule.cosine(2),
                DiscreteBetaSchedule.scaledLinear(1)}) {
            double[] betas = betas(s.schedule());
            double product = 1;
            for (int i = 0; i <= N; i++) {
                double t = i * s.horizon() / N;
                assertEquals(product, s.decay(t), 1e-12 * product, s.schedule() + " at step " + i);
                assertEquals(1, s.decay(t) + s.noise(t), 1e-15);
                if (i < N) {
                    product *= 1 - betas[i];
                }
            }
        }
    }

    /** The cosine's product telescopes to {@code f(t) / f(0)} except where a beta is clipped: the last step only. */
    @Test
    void cosineFollowsItsClosedFormAndClipsTheLastBeta() {
        DiscreteBetaSchedule s = DiscreteBetaSchedule.cosine(1);
        double f0 = DiscreteBetaSchedule.cosineAlphaBar(0);
        for (int i = 0; i < N; i += 37) {
            double closed = DiscreteBetaSchedule.cosineAlphaBar(i / 1000.0) / f0;
            assertEquals(closed, s.alphaBar(i), 1e-11 * closed, "step " + i);
        }
        assertEquals(0.001 * s.alphaBar(N - 1), s.alphaBar(N), 1e-12 * s.alphaBar(N));
        assertEquals(1 - 0.999, s.decay(1) / s.decay(0.999), 1e-12);
    }

    @Test
    void scaledLinearEndsAtStableDiffusionsBetas() {
        DiscreteBetaSchedule s = DiscreteBetaSchedule.scaledLinear(1);
        assertEquals(0.00085, 1 - s.alphaBar(1) / s.alphaBar(0), 1e-15);
        // the rate of the continuous process on a training step: -log(1 - beta_i) / 2 per unit of i / N
        assertEquals(-0.5 * Math.log1p(-0.00085) * N, s.beta(0.0005), 1e-12);
        assertEquals(0.012, 1 - s.alphaBar(N) / s.alphaBar(N - 1), 1e-15);
    }

    /** {@code dV/dt = -2 beta V + 2 beta} (VP's forward variance equation) between the training times. */
    @Test
    void forwardVarianceEquation() {
        for (DiscreteBetaSchedule s : new DiscreteBetaSchedule[] {DiscreteBetaSchedule.cosine(1),
                DiscreteBetaSchedule.scaledLinear(1)}) {
            for (double t : new double[] {0.01234, 0.3337, 0.7771, 0.9985}) {
                double lambda = 2.5;
                double h = 1e-7;
                double derivative = (s.variance(lambda, t + h) - s.variance(lambda, t - h)) / (2 * h);
                double beta = s.beta(t);
                assertEquals(-2 * beta * s.variance(lambda, t) + 2 * beta, derivative, 1e-6 * Math.max(1, beta),
                        s.schedule() + " at " + t);
            }
        }
    }

    @Test
    void noiseLevelRoundTrip() {
        for (DiscreteBetaSchedule s : new DiscreteBetaSchedule[] {DiscreteBetaSchedule.cosine(1),
                DiscreteBetaSchedule.scaledLinear(3)}) {
            for (double t = 0; t <= s.horizon(); t += s.horizon() / 97) {
                double back = s.timeOfNoiseLevel(s.noiseLevel(t));
                assertEquals(t, back, 1e-9 * s.horizon(), s.schedule() + " at " + t);
            }
            double sigmaT = s.noiseLevel(s.horizon());
            assertTrue(s.timeOfNoiseLevel(2 * sigmaT) > s.horizon(), "beyond sigma(T): the last beta goes on");
            assertEquals(0, s.timeOfNoiseLevel(0), 0);
        }
    }
}
