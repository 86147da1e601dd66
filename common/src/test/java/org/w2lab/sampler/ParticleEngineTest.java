package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w2lab.random.RandomStreams;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VpSchedule;

/**
 * Particles against the exact law: after running a scheme on {@code M} independent particles, their sample mean
 * and covariance must lie within {@link #Z} standard errors of the full-matrix engine's law. For iid draws of
 * {@code N(m, S)} the standard error of the sample mean is {@code sqrt(S_ii / M)} and that of the sample covariance
 * entry {@code (i, j)} is {@code sqrt((S_ii S_jj + S_ij^2) / M)}.
 */
class ParticleEngineTest {
    /** 840 comparisons (20 schemes, 3 cases, 14 moments) at 5 standard errors: false alarm probability 5e-4. */
    private static final double Z = 5;
    private static final int M = 20_000;
    private static final VpSchedule SCHEDULE = VpSchedule.standard();
    private static final double[] LAMBDA = {2, 0.8, 0.3, 0.05};
    private static final int D = LAMBDA.length;
    private static final double[] U = MatrixEngineTest.rotation(D, 11);
    private static final double[] MU = {1, -0.5, 0, 2};

    /**
     * Pierret &amp; Galerne's schemes, the noise-level samplers, Karras et al.'s stochastic one and the samplers of
     * k-diffusion and diffusers (multistep and ancestral, DDIM with eta = 0.5).
     */
    static Iterable<DiscreteScheme> schemes() {
        java.util.List<DiscreteScheme> all = new java.util.ArrayList<>(Schemes.ALL);
        all.addAll(Schemes.NOISE_LEVEL);
        all.add(NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(2, 0, Double.POSITIVE_INFINITY, 1.007, 8)));
        all.addAll(Schemes.MULTISTEP);
        all.add(MultistepScheme.ddim(0.5));
        all.add(MultistepScheme.dpmpp3mSde(0.5));
        all.add(StochasticScheme.em(0.5));
        all.add(MultistepScheme.unipc(8));
        return all;
    }

    /** A rotated basis: dense score matrices, steps by BLAS products. */
    @ParameterizedTest
    @MethodSource("schemes")
    void particlesFollowTheExactLaw(DiscreteScheme scheme) {
        particlesFollowTheExactLaw(scheme, U);
    }

    /** The identity basis: diagonal score matrices, elementwise steps. */
    @ParameterizedTest
    @MethodSource("schemes")
    void particlesFollowTheExactLawElementwise(DiscreteScheme scheme) {
        particlesFollowTheExactLaw(scheme, null);
    }

    /**
     * A rotated basis with a score error that does not commute with the data covariance ({@link PerturbedScore},
     * {@code G} a symmetric matrix of rotation entries): the laws are no longer diagonal in {@code U}.
     */
    @ParameterizedTest
    @MethodSource("schemes")
    void particlesFollowTheLawOfAPerturbedScore(DiscreteScheme scheme) {
        double[] g = MatrixEngineTest.rotation(D, 12);
        double[] symmetric = new double[D * D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                symmetric[j * D + i] = (g[j * D + i] + g[i * D + j]) / 2;
            }
        }
        particlesFollowTheExactLaw(scheme, new PerturbedScore(new ExactVpScore(SCHEDULE, LAMBDA, U, MU), SCHEDULE,
                symmetric, 0.1), "-perturbed");
    }

    private static void particlesFollowTheExactLaw(DiscreteScheme scheme, double[] basis) {
        particlesFollowTheExactLaw(scheme, new ExactVpScore(SCHEDULE, LAMBDA, basis, MU),
                basis == null ? "-identity" : "");
    }

    private static void particlesFollowTheExactLaw(DiscreteScheme scheme, LinearScore score, String stream) {
        particlesFollowTheLaw(scheme, score, SCHEDULE, GaussianLaw.standard(D), new TimeGrid(1, 0.05, 8),
                "particles-" + scheme.id() + stream);
    }

    /**
     * Runs {@code scheme} on the law {@code start} (full-matrix engine) and on {@link #M} particles drawn from it,
     * and checks every mean and covariance entry of the particles within {@link #Z} standard errors of the law.
     */
    static void particlesFollowTheLaw(DiscreteScheme scheme, LinearScore score, ForwardProcess process,
                                      GaussianLaw start, TimeGrid grid, String stream) {
        RandomGenerator rng = RandomStreams.forTask(stream, 0);
        GaussianLaw law = start;
        ParticleBlock particles = ParticleBlock.sample(law, M, rng);
        for (int k = 0; k < grid.steps(); k++) {
            law = scheme.step(law, score, process, grid.forward(k), grid.forward(k + 1));
            scheme.step(particles, score, process, grid.forward(k), grid.forward(k + 1), rng);
        }
        GaussianLaw fit = particles.fit();
        double[] s = law.cov();
        int d = law.n();
        for (int i = 0; i < d; i++) {
            assertEquals(law.mean()[i], fit.mean()[i], Z * Math.sqrt(s[i * d + i] / M), scheme.id() + " mean " + i);
            for (int j = 0; j <= i; j++) {
                double se = Math.sqrt((s[i * d + i] * s[j * d + j] + s[j * d + i] * s[j * d + i]) / M);
                assertEquals(s[j * d + i], fit.cov()[j * d + i], Z * se, scheme.id() + " cov " + i + "," + j);
            }
        }
    }
}
