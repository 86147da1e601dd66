package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.VeSchedule;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.score.Denoiser;

/** {@link PerturbedScore} against its definition, through Hurault et al.'s denoiser optimum (docs/theory.md, 14). */
class PerturbedScoreTest {
    private static final double[] LAMBDA = {2.5, 1.0, 0.4, 0.1, 0.03, 0};
    private static final int N = LAMBDA.length;
    private static final double[] U = MatrixEngineTest.rotation(N, 3);

    /**
     * The denoiser read back from the score by Tweedie, {@code D(xhat) = (I - noise(t) P) xhat + noise(t) c / alpha},
     * is the optimum {@code C (C + sigma^2 I)^{-1}} at the noise level {@code sigma(t)} ({@link Denoiser#optimum},
     * computed from the spectrum, not from the score) plus {@code delta G}.
     */
    @Test
    void denoiserOfThePerturbedScoreIsTheOptimumPlusDeltaG() {
        double[] g = MatrixEngineTest.rotation(N, 4); // not symmetric, not commuting with C: any matrix will do
        double delta = 0.3;
        for (ForwardProcess process : List.of(VpSchedule.standard(), VeSchedule.standard())) {
            LinearScore score = new PerturbedScore(new ExactVpScore(process, LAMBDA, U, new double[N]), process, g,
                    delta);
            for (double t : new double[] {0.02, 0.3, 1}) {
                double[] p = new double[N * N];
                double[] c = new double[N];
                score.at(t, p, c);
                double[] optimum = Denoiser.optimum(LAMBDA, U, process.noiseLevel(t)).a();
                double noise = process.noise(t);
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < N; j++) {
                        double a = (i == j ? 1 : 0) - noise * p[j * N + i];
                        assertEquals(optimum[j * N + i] + delta * g[j * N + i], a, 1e-12,
                                process.id() + " t=" + t + " entry " + i + "," + j);
                    }
                    assertEquals(0.0, c[i], 0.0);
                }
            }
        }
    }

    @Test
    void zeroDeltaIsTheExactScoreBitForBit() {
        VpSchedule vp = VpSchedule.standard();
        LinearScore exact = new ExactVpScore(vp, LAMBDA, U, new double[] {1, 2, 3, 4, 5, 6});
        LinearScore none = new PerturbedScore(exact, vp, MatrixEngineTest.rotation(N, 4), 0);
        double[] p1 = new double[N * N];
        double[] c1 = new double[N];
        double[] p2 = new double[N * N];
        double[] c2 = new double[N];
        exact.at(0.4, p1, c1);
        none.at(0.4, p2, c2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(p1, p2, 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(c1, c2, 0.0);
    }
}
