package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w2lab.sampler.DenseTestMatrices.combine;
import static org.w2lab.sampler.DenseTestMatrices.identity;
import static org.w2lab.sampler.DenseTestMatrices.inverse;
import static org.w2lab.sampler.DenseTestMatrices.times;
import static org.w2lab.sampler.DenseTestMatrices.transpose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;

/**
 * The noise-level samplers against their algorithms as printed, on matrices in a random orthonormal basis
 * {@code U}: Lu et al.'s DPM-Solver-1/2/3 (2022, eq. 3.7, Algorithms 1 and 2) in the original variables
 * {@code x_t}, {@code alpha_t}, {@code sigma_t}, {@code lambda_t} with the noise prediction
 * {@code epsilon(x, t) = sigma_t Sigma_t^{-1} x} and the inverse {@code t_lambda} found by bisection; Karras et al.'s
 * Algorithms 1 and 2 in {@code xhat = x / alpha} with the denoiser {@code D(xhat; sigma) = C (C + sigma^2 I)^{-1} xhat}
 * (the posterior mean, not derived from the score). None of them goes through the engine's {@code xhat}/epsilon
 * rewriting (docs/theory.md, 12.2-12.4); rotating the final covariance back must give the spectral engine's
 * {@code diag(v)}.
 */
class NoiseLevelRotatedBasisTest {
    /** Round-off of a few hundred 6x6 products and inversions on entries up to sigma(T)^2 ~ 2e4. */
    private static final double TOLERANCE = 1e-9;

    private static final VpSchedule SCHEDULE = VpSchedule.standard();
    private static final double[] LAMBDA = {2.5, 1.0, 0.4, 0.1, 0.03, 0.007};
    private static final int D = LAMBDA.length;
    private static final double[][] U = DenseTestMatrices.randomRotation(D, 20251123L);
    private static final double[][] I = identity(D);
    private static final double[][] C = rotate(LAMBDA);
    private static final int STEPS = 12;
    private static final double S_CHURN = 6;
    private static final double S_NOISE = 1.007;

    private static double[][] rotate(double[] diagonal) {
        double[][] m = new double[D][D];
        for (int i = 0; i < D; i++) {
            m[i][i] = diagonal[i];
        }
        return times(times(U, m), transpose(U));
    }

    private static double alpha(double t) {
        return Math.exp(-SCHEDULE.integral(t));
    }

    private static double sigma(double t) {
        return Math.sqrt(1 - Math.exp(-2 * SCHEDULE.integral(t)));
    }

    private static double lambda(double t) {
        return Math.log(alpha(t) / sigma(t));
    }

    /** {@code t_lambda}: {@code lambda_t} decreases in {@code t}; bisection on {@code [0, 2T]} to the last bit. */
    private static double timeOfLambda(double target) {
        double lo = 0;
        double hi = 2 * SCHEDULE.horizon();
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (lambda(mid) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** A symmetric perturbation that does not commute with {@code C}. */
    private static final double[][] G = symmetric(DenseTestMatrices.randomRotation(D, 7));

    private static double[][] symmetric(double[][] a) {
        return combine(0.5, a, 0.5, transpose(a));
    }

    /**
     * {@code epsilon_theta(x, t) = -sigma_t s_t(x)} as a matrix, for the score {@code -Sigma_t^{-1} x} plus the
     * perturbation {@code delta G x / sigma_t^2} of {@link PerturbedScore}.
     */
    private static double[][] epsilon(double t, double delta) {
        double[] v = new double[D];
        for (int i = 0; i < D; i++) {
            v[i] = SCHEDULE.variance(LAMBDA[i], t);
        }
        double noise = sigma(t) * sigma(t);
        return combine(sigma(t), combine(1, inverse(rotate(v)), -delta / noise, G), 0, I);
    }

    /** One DPM-Solver step as the matrix {@code A}: {@code x_t = A x_s} (Lu et al. 2022). */
    private static double[][] dpmSolver(int order, double s, double t, double delta) {
        double h = lambda(t) - lambda(s);
        double[][] e0 = epsilon(s, delta);
        double[][] first = combine(alpha(t) / alpha(s), I, -sigma(t) * Math.expm1(h), e0); // eq. 3.7
        if (order == 1) {
            return first;
        }
        if (order == 2) { // Algorithm 1, r1 = 1/2
            double r1 = 0.5;
            double si = timeOfLambda(lambda(s) + r1 * h);
            double[][] u = combine(alpha(si) / alpha(s), I, -sigma(si) * Math.expm1(r1 * h), e0);
            double[][] d = combine(1, times(epsilon(si, delta), u), -1, e0);
            return combine(1, first, -sigma(t) / (2 * r1) * Math.expm1(h), d);
        }
        // Algorithm 2, r1 = 1/3, r2 = 2/3
        double r1 = 1.0 / 3;
        double r2 = 2.0 / 3;
        double s1 = timeOfLambda(lambda(s) + r1 * h);
        double s2 = timeOfLambda(lambda(s) + r2 * h);
        double[][] u1 = combine(alpha(s1) / alpha(s), I, -sigma(s1) * Math.expm1(r1 * h), e0);
        double[][] d1 = combine(1, times(epsilon(s1, delta), u1), -1, e0);
        double[][] u2 = combine(1, combine(alpha(s2) / alpha(s), I, -sigma(s2) * Math.expm1(r2 * h), e0),
                -sigma(s2) * r2 / r1 * (Math.expm1(r2 * h) / (r2 * h) - 1), d1);
        double[][] d2 = combine(1, times(epsilon(s2, delta), u2), -1, e0);
        return combine(1, first, -sigma(t) / r2 * (Math.expm1(h) / h - 1), d2);
    }

    /** Karras et al.'s denoiser {@code D(xhat; sigma) = C (C + sigma^2 I)^{-1} xhat}, plus {@code delta G}. */
    private static double[][] denoiser(double sigmaHat, double delta) {
        return combine(1, times(C, inverse(combine(1, C, sigmaHat * sigmaHat, I))), delta, G);
    }

    private static double noiseLevel(double t) {
        return sigma(t) / alpha(t);
    }

    /**
     * Algorithm 1, lines 4-8 (with churn: Algorithm 2, lines 4-8), on {@code xhat}: returns {@code (A, q)} with
     * {@code xhat_{i+1} = A (xhat_i + sqrt(q) xi)}.
     */
    private static double[][][] edm(boolean churn, double tFrom, double tTo, double delta) {
        double ti = noiseLevel(tFrom);
        double next = noiseLevel(tTo);
        double gamma = churn ? Math.min(S_CHURN / STEPS, Math.sqrt(2) - 1) : 0;
        double hat = ti * (1 + gamma);
        double q = S_NOISE * S_NOISE * (hat * hat - ti * ti);
        double[][] d = combine(1 / hat, combine(1, I, -1, denoiser(hat, delta)), 0, I); // d_i = (x - D(x; t^)) / t^
        double[][] euler = combine(1, I, next - hat, d);
        if (next == 0) {
            return new double[][][] {euler, combine(q, I, 0, I)};
        }
        double[][] dPrime = times(combine(1 / next, combine(1, I, -1, denoiser(next, delta)), 0, I), euler);
        double[][] a = combine(1, I, (next - hat) / 2, combine(1, d, 1, dPrime));
        return new double[][][] {a, combine(q, I, 0, I)};
    }

    private static DiscreteScheme scheme(String id) {
        return switch (id) {
            case "dpm_solver_1" -> Schemes.DPM_SOLVER_1;
            case "dpm_solver_2" -> Schemes.DPM_SOLVER_2;
            case "dpm_solver_3" -> Schemes.DPM_SOLVER_3;
            case "edm_heun" -> Schemes.EDM_HEUN;
            case "edm_stochastic" -> NoiseLevelScheme.edmStochastic(
                    new NoiseLevelScheme.Churn(S_CHURN, 0, Double.POSITIVE_INFINITY, S_NOISE, STEPS));
            default -> throw new IllegalArgumentException(id);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"dpm_solver_1", "dpm_solver_2", "dpm_solver_3", "edm_heun", "edm_stochastic"})
    void spectralRecursionEqualsThePrintedAlgorithmInARotatedBasis(String id) {
        // Lu et al.'s printed coefficients are 0 * infinity at sigma_t = 0 (eps = 0); see the limit test below
        for (double eps : id.startsWith("dpm") ? new double[] {1e-5, 1e-3} : new double[] {0, 1e-3}) {
            TimeGrid grid = TimeGrid.edm(SCHEDULE, eps, STEPS, TimeGrid.EDM_RHO);
            double[][] v = identity(D); // N(0, I) start
            double[] spectral = new double[D];
            java.util.Arrays.fill(spectral, 1);
            SpectralState state = new SpectralState(new Spectrum("test", LAMBDA, 0), SCHEDULE, spectral);
            DiscreteScheme scheme = scheme(id);
            for (int k = 0; k < STEPS; k++) {
                double tFrom = grid.forward(k);
                double tTo = grid.forward(k + 1);
                v = printedStep(id, v, tFrom, tTo, 0);
                scheme.step(state, tFrom, tTo);
            }
            double[][] back = times(times(transpose(U), v), U);
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    double expected = i == j ? state.variances()[i] : 0;
                    assertEquals(expected, back[i][j], TOLERANCE * Math.max(1, Math.abs(expected)),
                            id + " eps=" + eps + " entry " + i + "," + j);
                }
            }
        }
    }

    /** One step of the printed algorithm on the covariance {@code v} of {@code x}. */
    private static double[][] printedStep(String id, double[][] v, double tFrom, double tTo, double delta) {
        if (id.startsWith("dpm")) {
            double[][] a = dpmSolver(id.charAt(id.length() - 1) - '0', tFrom, tTo, delta);
            return times(times(a, v), transpose(a));
        }
        double[][][] aq = edm(id.equals("edm_stochastic"), tFrom, tTo, delta);
        double[][] vHat = combine(1 / (alpha(tFrom) * alpha(tFrom)), v, 1, aq[1]);
        double[][] a = combine(alpha(tTo), aq[0], 0, I);
        return times(times(a, vHat), transpose(a));
    }

    /**
     * With a score error that does not commute with {@code C} ({@link PerturbedScore}, {@code delta = 0.05}) the laws
     * leave the eigenbasis; the full-matrix engine must still equal the printed algorithms, whose EDM variant takes
     * the perturbation on the denoiser ({@code D + delta G}) and whose DPM-Solver takes it on the noise prediction,
     * so the test also checks Tweedie's link between the two (docs/theory.md, 14).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dpm_solver_1", "dpm_solver_2", "dpm_solver_3", "edm_heun", "edm_stochastic"})
    void fullMatrixEngineWithAPerturbedScoreEqualsThePrintedAlgorithm(String id) {
        double delta = 0.05;
        double[] basis = new double[D * D];
        double[] g = new double[D * D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                basis[j * D + i] = U[i][j];
                g[j * D + i] = G[i][j];
            }
        }
        LinearScore score = new PerturbedScore(new ExactVpScore(SCHEDULE, LAMBDA, basis, new double[D]), SCHEDULE, g,
                delta);
        TimeGrid grid = TimeGrid.edm(SCHEDULE, 1e-3, STEPS, TimeGrid.EDM_RHO);
        double[][] v = identity(D);
        GaussianLaw law = GaussianLaw.standard(D);
        DiscreteScheme scheme = scheme(id);
        for (int k = 0; k < STEPS; k++) {
            v = printedStep(id, v, grid.forward(k), grid.forward(k + 1), delta);
            law = scheme.step(law, score, SCHEDULE, grid.forward(k), grid.forward(k + 1));
        }
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                assertEquals(v[i][j], law.cov()[j * D + i], TOLERANCE * Math.max(1, Math.abs(v[i][j])),
                        id + " entry " + i + "," + j);
            }
        }
    }

    /**
     * At {@code eps = 0} the last step's {@code h} is infinite and the engine uses the limits of Lu et al.'s
     * coefficients (docs/theory.md, 12.3). They must be the values at {@code eps -> 0}. For DPM-Solver-1 and -2 the
     * last step's first intermediate point is at noise level {@code sigma_s^(1 - r) sigma(eps)^r} ({@code r = 1},
     * {@code 1/2}) with {@code sigma(eps) ~ sqrt(2 beta_min eps)}, so the final variances approach the limit like
     * {@code eps^(r/2)}: dividing {@code eps} by 1000 divides the gap by {@code 10^(1.5 r)}.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void dpmSolverAtZeroNoiseIsTheLimitOfSmallNoise(int order) {
        double[] gaps = gaps(order, 1e-8, 1e-11, 1e-14);
        double r = order == 1 ? 1 : 0.5;
        for (int j = 0; j < 2; j++) {
            assertEquals(1.5 * r, Math.log10(gaps[j] / gaps[j + 1]), 0.1, "order " + order + " pair " + j);
        }
    }

    /**
     * DPM-Solver-3's second-order weights {@code sigma_u (phi_1(z) - 1)} decay only like {@code sigma_s / z}: its
     * gap to the {@code eps = 0} limit is {@code c / h + c' / h^2 + ...}, {@code h = log(sigma_s / sigma(eps))} the
     * last step's length. Then {@code G = h gap} is {@code c + c' / h}, and for three values of {@code eps} the ratio
     * of the differences of {@code G} is that of the differences of {@code 1 / h}, up to a relative {@code O(1/h)}.
     */
    @Test
    void dpmSolverThreeApproachesItsZeroNoiseLimitLikeOneOverH() {
        double[] epsilons = {1e-100, 1e-200, 1e-300};
        double[] gaps = gaps(3, epsilons);
        double[] g = new double[3];
        double[] inverseH = new double[3];
        for (int j = 0; j < 3; j++) {
            TimeGrid grid = TimeGrid.uniform(1, epsilons[j], STEPS);
            double h = Math.log(SCHEDULE.noiseLevel(grid.forward(STEPS - 1)) / SCHEDULE.noiseLevel(epsilons[j]));
            g[j] = h * gaps[j];
            inverseH[j] = 1 / h;
        }
        double expected = (inverseH[0] - inverseH[1]) / (inverseH[1] - inverseH[2]);
        assertEquals(expected, (g[0] - g[1]) / (g[1] - g[2]), expected * 3 * inverseH[0]);
    }

    /** The largest relative gap between the final variances at each {@code eps} and those at {@code eps = 0}. */
    private static double[] gaps(int order, double... epsilons) {
        DiscreteScheme scheme = scheme("dpm_solver_" + order);
        double[] atZero = finalVariances(scheme, 0);
        double[] gaps = new double[epsilons.length];
        for (int j = 0; j < epsilons.length; j++) {
            double[] v = finalVariances(scheme, epsilons[j]);
            for (int i = 0; i < D; i++) {
                gaps[j] = Math.max(gaps[j], Math.abs(v[i] - atZero[i]) / atZero[i]);
            }
        }
        return gaps;
    }

    private static double[] finalVariances(DiscreteScheme scheme, double eps) {
        double[] ones = new double[D];
        java.util.Arrays.fill(ones, 1);
        TimeGrid grid = TimeGrid.uniform(1, eps, STEPS);
        SpectralState state = new SpectralState(new Spectrum("test", LAMBDA, 0), SCHEDULE, ones);
        for (int k = 0; k < STEPS; k++) {
            scheme.step(state, grid.forward(k), grid.forward(k + 1));
        }
        return state.variances();
    }

    /**
     * DPM-Solver-1 is DDIM (Song et al. 2021, eq. 12 with {@code sigma_t = 0}, {@code alphabar = alpha^2}) and the
     * exponential integrator of the flow ODE with the noise prediction frozen at the start of the step (Lu et al.
     * 2022, eq. 3.4 with {@code epsilon} constant), the latter integrated here by classical RK4 with 20000 substeps.
     */
    @Test
    void dpmSolverOneIsDdimAndTheExponentialIntegratorOfTheFlow() {
        double[][] pairs = {{1, 0.9}, {0.5, 0.3}, {0.2, 0.05}, {0.05, 0.01}};
        for (double[] pair : pairs) {
            double s = pair[0];
            double t = pair[1];
            for (double lambda : LAMBDA) {
                double var = SCHEDULE.variance(lambda, s);
                SpectralState state = new SpectralState(new Spectrum("one", new double[] {lambda}, 0), SCHEDULE,
                        new double[] {1});
                Schemes.DPM_SOLVER_1.step(state, s, t);
                double a = Math.sqrt(state.variances()[0]);
                // DDIM on x = 1: epsilon = sqrt(1 - abar_s) / sigma_s^2(lambda)
                double abarS = alpha(s) * alpha(s);
                double abarT = alpha(t) * alpha(t);
                double eps = Math.sqrt(1 - abarS) / var;
                double ddim = Math.sqrt(abarT) * (1 - Math.sqrt(1 - abarS) * eps) / Math.sqrt(abarS)
                        + Math.sqrt(1 - abarT) * eps;
                assertEquals(ddim, a, 1e-13 * Math.abs(ddim), "ddim s=" + s + " t=" + t + " lambda=" + lambda);
                // the flow in forward time, dy/dt = -beta_t (y + score), score ~ -epsilon / sigma_t frozen
                int n = 20000;
                double dt = (t - s) / n;
                double y = 1;
                for (int k = 0; k < n; k++) {
                    double u = s + k * dt;
                    double k1 = frozenFlow(u, y, eps);
                    double k2 = frozenFlow(u + dt / 2, y + dt / 2 * k1, eps);
                    double k3 = frozenFlow(u + dt / 2, y + dt / 2 * k2, eps);
                    double k4 = frozenFlow(u + dt, y + dt * k3, eps);
                    y += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
                }
                // RK4's error (20000 steps of a smooth flow) is far below this
                assertEquals(y, a, 1e-10 * Math.abs(y), "integrator s=" + s + " t=" + t + " lambda=" + lambda);
            }
        }
    }

    private static double frozenFlow(double t, double y, double eps) {
        return -SCHEDULE.beta(t) * (y - eps / sigma(t));
    }
}
