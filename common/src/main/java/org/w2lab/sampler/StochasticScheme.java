package org.w2lab.sampler;

import java.util.random.RandomGenerator;
import org.w2lab.linalg.Matrices;
import org.w2lab.linalg.Simd;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VpProcess;

/**
 * A one-step scheme for the backward SDE {@code dy = [r_t y + 2 D_t score(y)] ds + sqrt(2 D_t) dw}
 * ({@link ForwardProcess}; {@code r = D = beta} for VP: Pierret &amp; Galerne, eq. 2) that evaluates the score
 * {@code -y / sigma_t^2} once, at the start {@code t = tFrom} of the step.
 * Every such scheme maps {@code y} to {@code (p - r kappa) y + sqrt(q) xi} with {@code kappa = 1 / sigma_t^2(lambda)},
 * so it is fully described by three scalars per step (docs/theory.md, section 3.1), and the law by
 * {@code v <- (p - r kappa)^2 v + q}.
 */
public final class StochasticScheme implements DiscreteScheme {
    /** The scalars {@code (p, r, q)} of one step; see the class comment. */
    @FunctionalInterface
    interface Coefficients {
        /** Writes {@code p, r, q} of the step from {@code tFrom} to {@code tTo} into {@code out}. */
        void of(ForwardProcess schedule, double tFrom, double tTo, double[] out);
    }

    private final String id;
    private final Coefficients coefficients;
    private final boolean stochastic;

    StochasticScheme(String id, Coefficients coefficients) {
        this(id, coefficients, true);
    }

    private StochasticScheme(String id, Coefficients coefficients, boolean stochastic) {
        this.id = id;
        this.coefficients = coefficients;
        this.stochastic = stochastic;
    }

    /**
     * Euler-Maruyama on the member {@code eta} of the family of backward SDEs with the process's marginals,
     * {@code dy = [r y + (1 + eta) D score(y)] ds + sqrt(2 eta D) dw} (docs/theory.md, 3.1.1 and 18): {@code eta = 1}
     * the time reversal of the forward SDE (Pierret &amp; Galerne's EM), {@code eta = 0} Euler on the flow ODE.
     *
     * @param eta {@code 0 <= eta <= 1}
     */
    public static StochasticScheme em(double eta) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("need 0 <= eta <= 1, got " + eta);
        }
        return new StochasticScheme("em", (schedule, tFrom, tTo, out) -> eulerMaruyama(eta, schedule, tFrom, tTo, out),
                eta > 0);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int evaluationsPerStep() {
        return 1;
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public boolean stochastic() {
        return stochastic;
    }

    /** The scalars {@code (p, r, q)} of the step from {@code tFrom} to {@code tTo}. */
    double[] coefficients(ForwardProcess schedule, double tFrom, double tTo) {
        double[] c = new double[3];
        coefficients.of(schedule, tFrom, tTo, c);
        return c;
    }

    /**
     * {@code v <- (p - r kappa)^2 v + q} for every start, two starts per pass over the eigenvalues (the job's
     * batches: {@code p_T} and {@code normal}), so that the factor, whose division is the costly part, is computed
     * once for both and stays in a register ({@link SpectralState#partner}).
     */
    @Override
    public void step(SpectralState state, double tFrom, double tTo) {
        double decay = state.decayForScore(tFrom);
        double noise = state.noise(tFrom);
        double[] c = coefficients(state.schedule, tFrom, tTo);
        double p = c[0];
        double r = c[1];
        double q = c[2];
        double[] lambda = state.lambda;
        double[][] v = state.v;
        for (int m = 0; m < v.length; m += 2) {
            double[] va = v[m];
            double[] vb = state.partner(m);
            for (int i = 0; i < va.length; i++) {
                double a = p - r / (decay * lambda[i] + noise);
                double f = a * a;
                va[i] = f * va[i] + q;
                vb[i] = f * vb[i] + q;
            }
        }
    }

    /**
     * A run of two steps or more goes through {@link RecursionKernel} when the SIMD kernels run: the scalars of
     * every step first (which checks every score evaluation before any variance changes), then the recursion, two
     * starts at a time as in {@link #step(SpectralState, double, double)}.
     */
    @Override
    public void steps(SpectralState state, TimeGrid grid, int from, int to) {
        int n = to - from;
        if (n < 2 || !Simd.available()) {
            DiscreteScheme.super.steps(state, grid, from, to);
            return;
        }
        int fields = RecursionKernel.STOCHASTIC_FIELDS;
        double[] coef = new double[n * fields];
        double[] prq = new double[3];
        for (int k = 0; k < n; k++) {
            double tFrom = grid.forward(from + k);
            coef[k * fields] = state.decayForScore(tFrom);
            coef[k * fields + 1] = state.noise(tFrom);
            coefficients.of(state.schedule, tFrom, grid.forward(from + k + 1), prq);
            System.arraycopy(prq, 0, coef, k * fields + 2, 3);
        }
        for (int m = 0; m < state.v.length; m += 2) {
            RecursionKernel.run(RecursionKernel.Kernel.STOCHASTIC, state.lambda, state.v[m], state.partner(m), coef,
                    n);
        }
    }

    /**
     * {@code y -> (p I - r P) y + r c + sqrt(q) xi} for the score {@code -P y + c}: mean {@code A m + r c},
     * covariance {@code A S A^T + q I} with {@code A = p I - r P}.
     */
    @Override
    public GaussianLaw step(GaussianLaw law, LinearScore score, ForwardProcess schedule, double tFrom, double tTo) {
        int n = law.n();
        AffineStep step = affineStep(score, schedule, tFrom, tTo);
        double[] mean = Matrices.apply(n, step.a(), law.mean());
        for (int i = 0; i < n; i++) {
            mean[i] += step.shift()[i];
        }
        double[] cov = Matrices.congruence(n, step.a(), law.cov());
        for (int i = 0; i < n; i++) {
            cov[i * n + i] += step.q();
        }
        return new GaussianLaw(n, mean, cov);
    }

    /** {@code X <- (p I - r P) X + r c 1^T + sqrt(q) Z}, {@code Z} a block of fresh standard normals. */
    @Override
    public void step(ParticleBlock particles, LinearScore score, ForwardProcess schedule, double tFrom, double tTo,
                     RandomGenerator rng) {
        int d = particles.d;
        double[] c = new double[d];
        double[] diagonal = score.diagonalAt(tFrom, c);
        AffineStep step = diagonal == null ? affineStep(score, schedule, tFrom, tTo)
                : diagonalStep(diagonal, c, schedule, tFrom, tTo);
        double[] y = particles.spare();
        particles.fillNoise(rng, y);
        double noise = Math.sqrt(step.q());
        double[] shift = step.shift();
        for (int j = 0; j < particles.m; j++) {
            for (int i = 0; i < d; i++) {
                y[j * d + i] = shift[i] + noise * y[j * d + i];
            }
        }
        if (diagonal == null) {
            particles.mapAdd(step.a(), y);
        } else {
            particles.diagonalAdd(step.a(), y);
        }
        particles.swap();
    }

    /** One step as {@code y -> A y + shift + sqrt(q) xi} ({@code A} dense, or its diagonal in a diagonal step). */
    private record AffineStep(double[] a, double[] shift, double q) {
    }

    /** {@link #affineStep} for a diagonal {@code P}: {@code A}'s diagonal, entry by entry as {@code Matrices.combine}. */
    private AffineStep diagonalStep(double[] p, double[] c, ForwardProcess schedule, double tFrom, double tTo) {
        double[] k = coefficients(schedule, tFrom, tTo);
        double[] a = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            a[i] = k[0] * 1.0 + -k[1] * p[i];
            c[i] *= k[1];
        }
        return new AffineStep(a, c, k[2]);
    }

    /**
     * The step for the score {@code -P y + c} evaluated at {@code tFrom}: {@code y -> p y + r s(y) + sqrt(q) xi}
     * is {@code A = p I - r P}, {@code shift = r c}.
     */
    private AffineStep affineStep(LinearScore score, ForwardProcess schedule, double tFrom, double tTo) {
        int n = score.dimension();
        double[] pMatrix = new double[n * n];
        double[] c = new double[n];
        score.at(tFrom, pMatrix, c);
        double[] k = coefficients(schedule, tFrom, tTo);
        for (int i = 0; i < n; i++) {
            c[i] *= k[1];
        }
        return new AffineStep(Matrices.combine(k[0], Matrices.identity(n), -k[1], pMatrix), c, k[2]);
    }

    /**
     * Euler-Maruyama: {@code y + h (r_t y - (1 + eta) D_t kappa y) + sqrt(2 eta D_t h) xi}, so {@code p = 1 + h r_t},
     * {@code r = (1 + eta) h D_t}, {@code q = 2 eta h D_t}; for VP {@code r_t = D_t = beta_t} (docs/theory.md, 3.1.1
     * and 13). With {@code eta = 1} the same bits as {@code r = q = 2 h D_t}.
     */
    static void eulerMaruyama(double eta, ForwardProcess schedule, double tFrom, double tTo, double[] out) {
        double h = tFrom - tTo;
        double hd = h * schedule.diffusion(tFrom);
        out[0] = 1 + h * schedule.drift(tFrom);
        out[1] = (1 + eta) * hd;
        out[2] = 2 * eta * hd;
    }

    /** The VP schedule of a VP-only scheme. */
    private static VpProcess vp(ForwardProcess schedule, String scheme) {
        if (schedule instanceof VpProcess vp) {
            return vp;
        }
        throw new IllegalArgumentException("the " + scheme + " scheme is defined for the vp process only; got process="
                + schedule.id());
    }

    /**
     * Exponential integrator: the linear drift {@code beta y} integrated exactly over the step, the score frozen at
     * its start; with {@code Delta = B_tFrom - B_tTo}: {@code p = e^Delta}, {@code r = 2 (e^Delta - 1)},
     * {@code q = e^{2 Delta} - 1} (docs/theory.md, 3.1.2).
     */
    static void exponentialIntegrator(ForwardProcess process, double tFrom, double tTo, double[] out) {
        VpProcess schedule = vp(process, "ei");
        double delta = schedule.integral(tFrom) - schedule.integral(tTo);
        out[0] = StrictMath.exp(delta);
        out[1] = 2 * StrictMath.expm1(delta);
        out[2] = StrictMath.expm1(2 * delta);
    }

    /**
     * DDPM ancestral sampling (Ho et al. 2020, Algorithm 2 with {@code sigma_k^2 = beta_k}) on this SDE's noise
     * levels: {@code alpha = e^{-2 Delta}}, {@code beta_k = 1 - alpha},
     * {@code y <- (y + beta_k score(y)) / sqrt(alpha) + sqrt(beta_k) xi}, so {@code p = e^Delta},
     * {@code r = e^Delta beta_k}, {@code q = beta_k} (docs/theory.md, 3.1.3).
     */
    static void ddpm(ForwardProcess process, double tFrom, double tTo, double[] out) {
        VpProcess schedule = vp(process, "ddpm");
        double delta = schedule.integral(tFrom) - schedule.integral(tTo);
        double betaK = -StrictMath.expm1(-2 * delta);
        double growth = StrictMath.exp(delta);
        out[0] = growth;
        out[1] = growth * betaK;
        out[2] = betaK;
    }
}
