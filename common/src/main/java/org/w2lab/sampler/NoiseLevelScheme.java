package org.w2lab.sampler;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.w2lab.linalg.Matrices;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;

/**
 * A sampler written in the scaled state {@code xhat = x / alpha_t} and the noise level {@code sigma(t)}
 * ({@link NoiseLevelMethod}), optionally with Karras et al.'s churn ({@link Churn}): one step maps {@code x} at
 * {@code tFrom} to {@code xhat = x / alpha_tFrom}, adds the churn noise, advances {@code xhat} deterministically and
 * returns {@code alpha_tTo xhat} (docs/theory.md, section 12). With the exact score a step is
 * {@code y -> a y + sqrt(q) xi} on each eigenvalue, so the law maps {@code v -> a^2 v + q}.
 */
public final class NoiseLevelScheme implements DiscreteScheme {
    /**
     * Karras et al.'s stochasticity (2022, Algorithm 2, lines 4-6): at a noise level {@code sigma} in
     * {@code [sTmin, sTmax]} the step first raises it to {@code sigma (1 + gamma)},
     * {@code gamma = min(sChurn / N, sqrt 2 - 1)}, by adding {@code sNoise^2 (sigma_hat^2 - sigma^2)} of fresh
     * noise to {@code xhat}, then runs the deterministic step from {@code sigma_hat}.
     *
     * @param sChurn {@code S_churn >= 0}
     * @param sTmin  {@code S_tmin >= 0}
     * @param sTmax  {@code S_tmax >= S_tmin}
     * @param sNoise {@code S_noise > 0}
     * @param steps  {@code N}, the number of steps of the run ({@code gamma} depends on it)
     */
    public record Churn(double sChurn, double sTmin, double sTmax, double sNoise, int steps) {
        public Churn {
            if (!(sChurn >= 0) || Double.isInfinite(sChurn) || !(sTmin >= 0) || !(sTmax >= sTmin)
                    || !(sNoise > 0) || Double.isInfinite(sNoise) || steps < 1) {
                throw new IllegalArgumentException("need s_churn >= 0, 0 <= s_tmin <= s_tmax, s_noise > 0 (finite) "
                        + "and steps >= 1; got s_churn=" + sChurn + ", s_tmin=" + sTmin + ", s_tmax=" + sTmax
                        + ", s_noise=" + sNoise + ", steps=" + steps);
            }
        }

        /** {@code gamma_i} at noise level {@code sigma} (Algorithm 2, line 4). */
        double gamma(double sigma) {
            return sigma >= sTmin && sigma <= sTmax ? Math.min(sChurn / steps, Math.sqrt(2) - 1) : 0;
        }
    }

    private final String id;
    private final NoiseLevelMethod method;
    private final Churn churn;

    NoiseLevelScheme(String id, NoiseLevelMethod method, Churn churn) {
        this.id = id;
        this.method = method;
        this.churn = churn;
    }

    /**
     * Karras et al.'s stochastic sampler (2022, Algorithm 2): {@code edm_heun} with churn, sampler id
     * {@code edm_stochastic}.
     */
    public static NoiseLevelScheme edmStochastic(Churn churn) {
        return new NoiseLevelScheme("edm_stochastic", NoiseLevelMethod.EDM_HEUN, churn);
    }

    @Override
    public String id() {
        return id;
    }

    /** The evaluations of a step that does not end at noise level 0. */
    @Override
    public int evaluationsPerStep() {
        return method.order();
    }

    /**
     * The score evaluations of a run on {@code grid} (docs/theory.md, 12.5): each step's own, none shared between
     * steps; {@code edm_heun}'s last step saves one when it ends at noise level 0 ({@code eps = 0}).
     */
    @Override
    public int evaluations(TimeGrid grid, ForwardProcess schedule) {
        int n = 0;
        for (int k = 0; k < grid.steps(); k++) {
            n += method.evaluations(schedule.noiseLevel(grid.forward(k + 1)));
        }
        return n;
    }

    @Override
    public int order() {
        return method.order();
    }

    @Override
    public boolean stochastic() {
        return churn != null;
    }

    /** {@code xhat}'s start time after the churn and the variance of the churn noise added to {@code xhat}. */
    private record Start(double t, double q) {
    }

    private Start start(ForwardProcess schedule, double tFrom) {
        if (churn == null) {
            return new Start(tFrom, 0);
        }
        double sigma = schedule.noiseLevel(tFrom);
        double gamma = churn.gamma(sigma);
        if (gamma == 0) {
            return new Start(tFrom, 0);
        }
        double sigmaHat = sigma * (1 + gamma);
        double q = churn.sNoise() * churn.sNoise() * (sigmaHat * sigmaHat - sigma * sigma);
        return new Start(schedule.timeOfNoiseLevel(sigmaHat), q);
    }

    /**
     * Per eigenvalue {@code xhat -> R xhat}, {@code R} the method's multiplier; in {@code x}:
     * {@code v -> (alpha_to / alpha_from)^2 R^2 (v + alpha_from^2 q)}.
     */
    @Override
    public void step(SpectralState state, double tFrom, double tTo) {
        ForwardProcess schedule = state.schedule;
        Start start = start(schedule, tFrom);
        double[] ones = new double[state.lambda.length];
        Arrays.fill(ones, 1.0);
        double[] r = method.advance(new Spectral(state), schedule, ones, start.t(), tTo);
        double aFrom = schedule.scale(tFrom);
        double ratio = schedule.scale(tTo) / aFrom;
        double q = aFrom * aFrom * start.q();
        for (double[] vm : state.v) {
            for (int i = 0; i < vm.length; i++) {
                double a = ratio * r[i];
                vm[i] = a * a * (vm[i] + q);
            }
        }
    }

    /** {@code x -> A x + shift} with {@code A = (alpha_to / alpha_from) G}, {@code shift = alpha_to k}. */
    @Override
    public GaussianLaw step(GaussianLaw law, LinearScore score, ForwardProcess schedule, double tFrom, double tTo) {
        int n = law.n();
        Start start = start(schedule, tFrom);
        Affine map = method.advance(new Matrix(score, schedule), schedule,
                new Affine(Matrices.identity(n), new double[n]), start.t(), tTo);
        double aFrom = schedule.scale(tFrom);
        double aTo = schedule.scale(tTo);
        double[] a = map.g().clone();
        for (int i = 0; i < a.length; i++) {
            a[i] *= aTo / aFrom;
        }
        double[] mean = Matrices.apply(n, a, law.mean());
        for (int i = 0; i < n; i++) {
            mean[i] += aTo * map.k()[i];
        }
        double[] cov = law.cov().clone();
        for (int i = 0; i < n; i++) {
            cov[i * n + i] += aFrom * aFrom * start.q();
        }
        return new GaussianLaw(n, mean, Matrices.congruence(n, a, cov));
    }

    @Override
    public void step(ParticleBlock particles, LinearScore score, ForwardProcess schedule, double tFrom, double tTo,
                     RandomGenerator rng) {
        Start start = start(schedule, tFrom);
        double aFrom = schedule.scale(tFrom);
        double[] x = particles.x.clone();
        for (int i = 0; i < x.length; i++) {
            x[i] /= aFrom;
        }
        if (start.q() > 0) {
            double[] z = new double[x.length];
            particles.fillNoise(rng, z);
            double sd = Math.sqrt(start.q());
            for (int i = 0; i < x.length; i++) {
                x[i] += sd * z[i];
            }
        }
        double[] next = method.advance(new Particles(score, schedule, particles.d, particles.m), schedule, x,
                start.t(), tTo);
        double aTo = schedule.scale(tTo);
        double[] spare = particles.spare();
        for (int i = 0; i < next.length; i++) {
            spare[i] = aTo * next[i];
        }
        particles.swap();
    }

    /** {@code x + a y} as a new array. */
    private static double[] axpy(double[] x, double a, double[] y) {
        double[] z = new double[x.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = x[i] + a * y[i];
        }
        return z;
    }

    /** The affine map {@code xhat_in -> G xhat_in + k}, {@code G} column-major. */
    record Affine(double[] g, double[] k) {
    }

    /**
     * The noise prediction of the score {@code -P y + c} at {@code t}, as an affine map of {@code xhat}:
     * {@code epsilon(xhat) = -sigma_t (-P alpha_t xhat + c) = E xhat + e}, {@code E = sigma_t alpha_t P},
     * {@code e = -sigma_t c}, with {@code sigma_t = sqrt(1 - alpha_t^2)}.
     */
    static Affine epsilonMap(LinearScore score, ForwardProcess schedule, double t) {
        int n = score.dimension();
        double[] p = new double[n * n];
        double[] c = new double[n];
        score.at(t, p, c);
        double alpha = schedule.scale(t);
        double sigma = alpha * schedule.noiseLevel(t);
        for (int i = 0; i < n; i++) {
            c[i] *= -sigma;
        }
        return new Affine(Matrices.combine(sigma * alpha, p, 0, p), c);
    }

    /** The spectral engine: {@code xhat = R xhat_in} per eigenvalue, {@code epsilon = sigma alpha^2 / sigma_t^2}. */
    private record Spectral(SpectralState state) implements ScaledIterate<double[]> {
        @Override
        public double[] plus(double[] x, double a, double[] y) {
            return axpy(x, a, y);
        }

        @Override
        public double[] epsilon(double[] x, double t) {
            double decay = state.decayForScore(t);
            double noise = state.noise(t);
            double sigma = state.schedule.noiseLevel(t);
            double[] lambda = state.lambda;
            double[] z = new double[x.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = sigma * decay / (decay * lambda[i] + noise) * x[i];
            }
            return z;
        }
    }

    /** The full-matrix engine: {@code xhat} as an affine map of the step's input. */
    private record Matrix(LinearScore score, ForwardProcess schedule) implements ScaledIterate<Affine> {
        @Override
        public Affine plus(Affine x, double a, Affine y) {
            double[] k = x.k().clone();
            for (int i = 0; i < k.length; i++) {
                k[i] += a * y.k()[i];
            }
            return new Affine(Matrices.combine(1, x.g(), a, y.g()), k);
        }

        @Override
        public Affine epsilon(Affine x, double t) {
            int n = x.k().length;
            Affine e = epsilonMap(score, schedule, t);
            double[] k = Matrices.apply(n, e.g(), x.k());
            for (int i = 0; i < n; i++) {
                k[i] += e.k()[i];
            }
            return new Affine(Matrices.times(n, e.g(), x.g()), k);
        }
    }

    /** Particles: {@code xhat} as a {@code d x M} block. */
    record Particles(LinearScore score, ForwardProcess schedule, int d, int m)
            implements ScaledIterate<double[]> {
        /** {@link #epsilonMap} for a diagonal {@code P}: {@code g}'s diagonal, each entry as the dense one. */
        private Affine diagonalEpsilonMap(double[] p, double[] c, double t) {
            double alpha = schedule.scale(t);
            double sigma = alpha * schedule.noiseLevel(t);
            double[] g = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                // Matrices.combine(sigma alpha, P, 0, P) on the diagonal, term for term: the dense path's bits
                g[i] = sigma * alpha * p[i] + 0 * p[i];
                c[i] *= -sigma;
            }
            return new Affine(g, c);
        }

        @Override
        public double[] plus(double[] x, double a, double[] y) {
            return axpy(x, a, y);
        }

        @Override
        public double[] epsilon(double[] x, double t) {
            double[] c = new double[d];
            double[] diagonal = score.diagonalAt(t, c);
            Affine e = diagonal == null ? epsilonMap(score, schedule, t) : diagonalEpsilonMap(diagonal, c, t);
            double[] y = diagonal == null ? new ParticleBlock(d, m, x).mapped(e.g())
                    : new ParticleBlock(d, m, x).diagonalMapped(e.g());
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < d; i++) {
                    y[j * d + i] += e.k()[i];
                }
            }
            return y;
        }
    }
}
