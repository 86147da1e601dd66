package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w2lab.linalg.Matrices;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VeSchedule;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;

/**
 * The samplers on Song et al.'s VE process (docs/theory.md, section 13): orders of convergence, the full-matrix engine
 * and particles against the spectral engine in a rotated basis, and the noise-level samplers' independence of the
 * process.
 */
class VeSchemesTest {
    private static final VeSchedule VE = VeSchedule.standard();
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(30, 1);
    private static final double EPS = 0.01;
    private static final double ORDER_TOLERANCE = 0.1;

    /** The schemes that apply to any process: EI and DDPM are written for VP. */
    static List<DiscreteScheme> schemes(int steps) {
        List<DiscreteScheme> all = new ArrayList<>(List.of(Schemes.EM, Schemes.EULER, Schemes.HEUN, Schemes.RK4));
        all.addAll(Schemes.NOISE_LEVEL);
        all.add(NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(steps / 4.0, 0, 1e9, 1.007, steps)));
        return all;
    }

    static double error(DiscreteScheme scheme, TimeGrid grid) {
        return NoiseLevelConvergenceTest.error(scheme, VE, SPECTRUM, grid);
    }

    static List<Arguments> orderCases() {
        List<Arguments> cases = new ArrayList<>();
        for (DiscreteScheme s : schemes(1).subList(0, 8)) {
            for (String g : new String[] {TimeGrid.EDM, TimeGrid.EXPONENTIAL}) {
                cases.add(Arguments.of(s, g));
            }
        }
        return cases;
    }

    /**
     * From {@code p_T} the continuous law at {@code eps} is {@code p_eps} for VE too (section 13), so
     * {@code W2(law_N, p_eps)} is the discretization error; doubling {@code N} divides it by {@code 2^order}. The
     * grids are the EDM grid and the one uniform in {@code log t}; {@code N = 1280} (320 for RK4) is asymptotic for
     * all (Euler-Maruyama's first steps on VE are long: on the uniform grid it is not yet at 5120 steps).
     */
    @ParameterizedTest
    @MethodSource("orderCases")
    void errorShrinksAtTheSchemesOrderOnVe(DiscreteScheme scheme, String gridId) {
        int n = scheme.order() == 4 ? 320 : 1280;
        double coarse = error(scheme, grid(gridId, n));
        double fine = error(scheme, grid(gridId, 2 * n));
        assertEquals(scheme.order(), Math.log(coarse / fine) / Math.log(2), ORDER_TOLERANCE,
                scheme.id() + " " + gridId);
    }

    private static TimeGrid grid(String id, int n) {
        return TimeGrid.of(id, VE, EPS, n, Math.pow(EPS / VE.horizon(), 1.0 / n), TimeGrid.EDM_RHO);
    }

    @Test
    void exponentialIntegratorAndDdpmAreForVpOnly() {
        SpectralState state = new SpectralState(SPECTRUM, VE, new double[SPECTRUM.dimension()]);
        for (DiscreteScheme s : List.of(Schemes.EI, Schemes.DDPM)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.step(state, 1, 0.5));
            assertTrue(e.getMessage().contains("vp") && e.getMessage().contains("ve"), e.getMessage());
        }
    }

    /**
     * The noise-level samplers see the process only through {@code sigma(t)} (section 12.1): run on VP between
     * times {@code t_k} and on VE between the times of the same noise levels, their {@code xhat = x / alpha} laws are
     * the same. The VE schedule must reach VP's {@code sigma(T) ~ 152}: {@code sigma_max = 200}.
     */
    @Test
    void noiseLevelSamplersDependOnTheProcessOnlyThroughTheNoiseLevel() {
        VpSchedule vp = VpSchedule.standard();
        VeSchedule ve = new VeSchedule(0.01, 200, 1);
        int steps = 15;
        TimeGrid grid = TimeGrid.edm(vp, 1e-3, steps, TimeGrid.EDM_RHO);
        for (DiscreteScheme s : schemes(steps).subList(4, 9)) {
            double[] start = new double[SPECTRUM.dimension()];
            java.util.Arrays.fill(start, 1);
            SpectralState onVp = new SpectralState(SPECTRUM, vp, start);
            double aT = vp.scale(1);
            java.util.Arrays.fill(start, 1 / (aT * aT));
            SpectralState onVe = new SpectralState(SPECTRUM, ve, start);
            for (int k = 0; k < steps; k++) {
                s.step(onVp, grid.forward(k), grid.forward(k + 1));
                s.step(onVe, ve.timeOfNoiseLevel(vp.noiseLevel(grid.forward(k))),
                        ve.timeOfNoiseLevel(vp.noiseLevel(grid.forward(k + 1))));
            }
            double aEps = vp.scale(1e-3);
            for (int i = 0; i < start.length; i++) {
                double expected = onVp.variances()[i] / (aEps * aEps);
                assertEquals(expected, onVe.variances()[i], 1e-11 * expected, s.id() + " " + i);
            }
        }
    }

    /**
     * The full-matrix engine with the exact score of a rotated spectrum with a mean agrees with the spectral engine
     * on VE (round-off relative to the prior variance {@code sigma_max^2 = 2500} the laws start from). Started at the
     * data mean {@code mu}, the law keeps it: with {@code alpha = 1} the score is {@code -P (y - mu)} and every
     * scheme's step commutes with the translation by {@code mu} (docs/theory.md, section 13).
     */
    @Test
    void fullMatrixEngineAgreesWithTheSpectralEngineOnVe() {
        double[] lambda = {3, 1.5, 1, 0.7, 0.4, 0.2, 0.1, 0.05};
        int n = lambda.length;
        double[] u = MatrixEngineTest.rotation(n, 5);
        double[] mu = {1, -2, 0, 0.5, 3, 0, -1, 0.2};
        TimeGrid grid = TimeGrid.edm(VE, 1e-3, 20, TimeGrid.EDM_RHO);
        for (DiscreteScheme s : schemes(20)) {
            LinearScore score = new ExactVpScore(VE, lambda, u, mu);
            double[] prior = new double[n];
            java.util.Arrays.fill(prior, VE.priorVariance());
            GaussianLaw law = new GaussianLaw(n, mu.clone(), Matrices.fromEigen(n, u, prior));
            SpectralState state = new SpectralState(new Spectrum("t", lambda, 0), VE, prior);
            for (int k = 0; k < 20; k++) {
                law = s.step(law, score, VE, grid.forward(k), grid.forward(k + 1));
                s.step(state, grid.forward(k), grid.forward(k + 1));
            }
            double[] expected = Matrices.fromEigen(n, u, state.variances());
            for (int i = 0; i < n * n; i++) {
                assertEquals(expected[i], law.cov()[i], 2500 * 1e-13, s.id() + " entry " + i);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(mu[i], law.mean()[i], 1e-10, s.id() + " mean " + i);
            }
        }
    }

    /** Particles against the full-matrix law on VE, as in {@code ParticleEngineTest} (5 standard errors). */
    @Test
    void particlesFollowTheExactLawOnVe() {
        double[] lambda = {2, 0.8, 0.3, 0.05};
        int d = lambda.length;
        double[] u = MatrixEngineTest.rotation(d, 11);
        double[] mu = {1, -0.5, 0, 2};
        double[] prior = new double[d * d];
        for (int i = 0; i < d; i++) {
            prior[i * d + i] = VE.priorVariance();
        }
        TimeGrid grid = TimeGrid.edm(VE, 0.05, 8, TimeGrid.EDM_RHO);
        for (DiscreteScheme s : schemes(8)) {
            ParticleEngineTest.particlesFollowTheLaw(s, new ExactVpScore(VE, lambda, u, mu), VE,
                    new GaussianLaw(d, new double[d], prior), grid, "ve-particles-" + s.id());
        }
    }
}
