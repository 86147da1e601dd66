package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.w2lab.linalg.Matrices;
import org.w2lab.linalg.SymmetricEigen;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.wasserstein.BuresW2;

/** The full-matrix engine against the spectral engine in a rotated basis, and on exact cases with a mean. */
class MatrixEngineTest {
    /** Round-off of a few hundred products of 12x12 matrices with O(1) entries. */
    private static final double TOLERANCE = 1e-10;

    private static final VpSchedule SCHEDULE = VpSchedule.standard();
    private static final double[] LAMBDA = {3, 1.5, 1, 0.7, 0.4, 0.2, 0.1, 0.05, 0.02, 0.01, 0.003, 0};
    private static final int N = LAMBDA.length;
    private static final double[] U = rotation(N, 42);

    static double[] rotation(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] g = new double[n * n];
        for (int i = 0; i < g.length; i++) {
            g[i] = r.nextDouble(-1, 1);
        }
        double[] s = Matrices.times(n, g, Matrices.combine(1, transpose(n, g), 0, g));
        return SymmetricEigen.of(n, Matrices.symmetrize(n, s), true).vectors();
    }

    static double[] transpose(int n, double[] a) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[i * n + j] = a[j * n + i];
            }
        }
        return t;
    }

    /**
     * Pierret &amp; Galerne's schemes, the noise-level samplers, Karras et al.'s stochastic one and the samplers of
     * k-diffusion and diffusers (multistep and ancestral, DDIM with eta = 0.5).
     */
    static Iterable<DiscreteScheme> schemes() {
        java.util.List<DiscreteScheme> all = new java.util.ArrayList<>(Schemes.ALL);
        all.addAll(Schemes.NOISE_LEVEL);
        all.add(NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(5, 0, Double.POSITIVE_INFINITY, 1.007, 20)));
        all.addAll(Schemes.MULTISTEP);
        all.add(MultistepScheme.ddim(0.5));
        all.add(MultistepScheme.dpmpp3mSde(0.5));
        all.add(StochasticScheme.em(0.5));
        all.add(MultistepScheme.unipc(20));
        return all;
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void agreesWithTheSpectralEngineInARotatedBasis(DiscreteScheme scheme) {
        int steps = 20;
        TimeGrid grid = new TimeGrid(SCHEDULE.horizon(), 1e-3, steps);
        LinearScore score = new ExactVpScore(SCHEDULE, LAMBDA, U, new double[N]);
        GaussianLaw law = GaussianLaw.standard(N);
        double[] ones = new double[N];
        java.util.Arrays.fill(ones, 1);
        SpectralState state = new SpectralState(new Spectrum("t", LAMBDA, 0), SCHEDULE, ones);
        for (int k = 0; k < steps; k++) {
            law = scheme.step(law, score, SCHEDULE, grid.forward(k), grid.forward(k + 1));
            scheme.step(state, grid.forward(k), grid.forward(k + 1));
        }
        double[] expected = Matrices.fromEigen(N, U, state.variances());
        for (int i = 0; i < N * N; i++) {
            assertEquals(expected[i], law.cov()[i], TOLERANCE, scheme.id() + " entry " + i);
        }
        double[] data = Matrices.fromEigen(N, U, LAMBDA);
        double bures = BuresW2.distance(law.mean(), law.cov(), new double[N], data);
        // The data covariance is singular: an eigenvalue that is 0 comes out of LAPACK as +-eps ||M||, and the
        // square root in tr (S1^1/2 S2 S1^1/2)^1/2 turns that into sqrt(eps ||M||) per eigenvalue. Bound on W2^2:
        // 2 N sqrt(eps tr M), tr M <= sqrt(tr S1 tr S2) ~ 8 here.
        double bound = 2 * N * Math.sqrt(Math.ulp(1.0) * 8);
        double spectral = state.w2ToData(0);
        assertEquals(spectral * spectral, bures * bures, bound, scheme.id());
    }

    @Test
    void ddpmCarriesTheStandardNormalWithAMeanExactly() {
        // lambda = 1 everywhere and a mean mu: p_t = N(e^{-B_t} mu, I); Ho et al.'s step with alpha = e^{-2 Delta}
        // maps N(e^{-B_t} mu, I) to N(e^{-B_t'} mu, I) (docs/theory.md, section 5)
        int n = 5;
        double[] ones = {1, 1, 1, 1, 1};
        double[] mu = {2, -1, 0.5, 0, 3};
        double[] u = rotation(n, 7);
        LinearScore score = new ExactVpScore(SCHEDULE, ones, u, mu);
        TimeGrid grid = new TimeGrid(1, 0.01, 13);
        double decayT = Math.exp(-SCHEDULE.integral(1));
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            mean[i] = decayT * mu[i];
        }
        GaussianLaw law = new GaussianLaw(n, mean, Matrices.identity(n));
        for (int k = 0; k < 13; k++) {
            law = Schemes.DDPM.step(law, score, SCHEDULE, grid.forward(k), grid.forward(k + 1));
        }
        double decayEps = Math.exp(-SCHEDULE.integral(0.01));
        for (int i = 0; i < n; i++) {
            assertEquals(decayEps * mu[i], law.mean()[i], TOLERANCE);
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 1 : 0, law.cov()[j * n + i], TOLERANCE);
            }
        }
    }

    @Test
    void scoreAtTimeZeroOfSingularDataIsUndefined() {
        LinearScore score = new ExactVpScore(SCHEDULE, LAMBDA, U, new double[N]);
        assertThrows(ScoreUndefinedException.class,
                () -> Schemes.HEUN.step(GaussianLaw.standard(N), score, SCHEDULE, 0.1, 0));
    }
}
