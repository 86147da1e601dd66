package org.w2lab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.ExactVpScore;
import org.w2lab.sampler.NoiseLevelScheme;
import org.w2lab.sampler.PerturbedScore;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VeSchedule;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;

/**
 * {@link MatrixTheory} against {@link SpectralTheory}: with the exact score (or a zero perturbation) the full-matrix
 * engine, which propagates dense covariances and measures W2 by the Bures formula, must give the spectral engine's
 * per-eigenvalue recursion and commuting W2, a different computation of the same law, on every grid and process.
 */
class MatrixTheoryTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(6, 1.5);

    static Stream<DiscreteScheme> schemes() {
        List<DiscreteScheme> all = new ArrayList<>(Schemes.ALL);
        all.addAll(Schemes.NOISE_LEVEL);
        all.add(NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(4, 0.05, 20, 1.003, 9)));
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void zeroPerturbationGivesTheSpectralTheory(DiscreteScheme scheme) {
        List<ForwardProcess> processes = scheme.id().equals("ei") || scheme.id().equals("ddpm")
                ? List.of(VpSchedule.standard()) : List.of(VpSchedule.standard(), VeSchedule.standard());
        for (ForwardProcess process : processes) {
            for (TimeGrid grid : List.of(TimeGrid.uniform(1, 1e-3, 9), TimeGrid.exponential(1, 1e-3, 9, 0.7),
                    TimeGrid.edm(process, 1e-3, 9, 7))) {
                for (Init init : Init.values()) {
                    TheoryResult spectral = new SpectralTheory(SPECTRUM, process).discrete(scheme, grid,
                            List.of(init), 1).get(0);
                    ExactVpScore exact = new ExactVpScore(process, SPECTRUM.lambda(), null, new double[6]);
                    TheoryResult matrix = new MatrixTheory(SPECTRUM, process).discrete(scheme, grid,
                            new PerturbedScore(exact, process, dense(), 0), init, 1);
                    String what = scheme.id() + " " + process.id() + " " + grid.id() + " " + init.id();
                    assertEquals(spectral.status(), matrix.status(), what);
                    assertTrue(spectral.w2ToData() > 1e-6, what + ": a nonzero error to compare");
                    assertClose(spectral.w2ToData(), matrix.w2ToData(), 1, what);
                    assertEquals(spectral.steps().length, matrix.steps().length, what);
                    for (int k = 0; k < spectral.steps().length; k++) {
                        assertClose(spectral.w2ToMarginal()[k], matrix.w2ToMarginal()[k],
                                process.priorVariance(), what + " step " + k);
                    }
                }
            }
        }
    }

    /**
     * Compares {@code W2^2}: the Bures formula subtracts {@code 2 tr (S^{1/2} T S^{1/2})^{1/2}} from traces of size
     * {@code n v} ({@code v} the largest variance, up to 2500 on VE at {@code T}), so its round-off is a few ulps of
     * that, and the square root of a round-off of {@code 1e-12} is {@code 1e-6}: W2 itself cannot agree closer.
     */
    private static void assertClose(double expected, double actual, double variance, String what) {
        assertEquals(expected * expected, actual * actual, 1e-12 * (SPECTRUM.dimension() * (1 + variance) + expected * expected), what);
    }

    /** Any dense matrix: with delta = 0 it must not matter. */
    private static double[] dense() {
        double[] g = new double[36];
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.sin(i + 1.0);
        }
        return g;
    }
}
