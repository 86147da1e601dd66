package org.w2lab.sampler;

import java.util.List;

/**
 * The samplers of k-diffusion and diffusers that carry values from one step to the next or inject noise, written in
 * the scaled state {@code xhat = x / alpha_t} and the noise level {@code sigma} (docs/theory.md, 16), as their
 * reference implementations run them: one step goes from noise level {@code s} to {@code t < s}, evaluates the
 * denoiser once at {@code s} and may reuse the values it saved on earlier steps. Written once over {@link Iterate},
 * run by the three engines of {@link MultistepScheme}.
 */
abstract class MultistepMethod {
    /** What a step produced: the next iterate and the value it saves for later steps ({@code null}: none). */
    record Advance<V>(V next, V saved) {
    }

    /**
     * The operations a method needs on its iterate: {@link ScaledIterate}'s, a multiple, and fresh noise.
     *
     * @param <V> the representation of {@code xhat}
     */
    interface Iterate<V> extends ScaledIterate<V> {
        /** {@code a x}. */
        V times(double a, V x);

        /** {@code x + sd xi}, {@code xi} a fresh standard normal vector, independent of everything before. */
        V noise(V x, double sd);

        /** The denoiser {@code D(xhat; t) = xhat - sigma(t) epsilon(xhat; t)}, one evaluation (docs/theory.md, 12.1). */
        default V denoised(V x, double sigma, double t) {
            return plus(x, -sigma, epsilon(x, t));
        }
    }

    private final int memory;
    private final int order;
    private final boolean stochastic;

    MultistepMethod(int memory, int order, boolean stochastic) {
        this.memory = memory;
        this.order = order;
        this.stochastic = stochastic;
    }

    /** Whether a step adds fresh noise. */
    final boolean stochastic() {
        return stochastic;
    }

    /** How many saved values the method reads on a step: its history's length. */
    final int memory() {
        return memory;
    }

    /**
     * The order of convergence of the final law as the steps go to zero, as measured (docs/theory.md, 16.6): a
     * multistep method's first-order first step leaves an {@code O(h^2)} error, so {@code dpmpp_3m_sde} and
     * {@code lms} are of order 2 in the limit, 3 and 4 only before it.
     */
    final int order() {
        return order;
    }

    /**
     * One step from noise level {@code s} (forward time {@code tFrom}) to {@code t}.
     *
     * @param past      the values saved on the latest steps, newest first (fewer than {@link #memory()} on the first
     *                  steps of a run)
     * @param pastSigma the noise level at the start of each of those steps, newest first
     */
    abstract <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, double s, double tFrom,
                                    double t);

    /**
     * DDIM (Song et al. 2021, eq. 12) with {@code sigma_t = eta sqrt((1 - abar_prev) / (1 - abar_t))
     * sqrt(1 - abar_t / abar_prev)}, divided by {@code alpha}: the noise added to {@code xhat} has standard deviation
     * {@code up = eta t sqrt(s^2 - t^2) / s}, and the deterministic part steps to {@code down = sqrt(t^2 - up^2)}:
     * {@code xhat' = xhat + (down - s) epsilon + up xi} (docs/theory.md, 16.2). k-diffusion's ancestral step
     * ({@code get_ancestral_step}, {@code sample_euler_ancestral}) is the same update, so {@code euler_ancestral} is
     * {@code ddim} with {@code eta = 1}; {@code eta = 0} is DPM-Solver-1.
     */
    static MultistepMethod ddim(double eta) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("need 0 <= eta <= 1, got " + eta);
        }
        return new MultistepMethod(0, 1, eta > 0) {
            @Override
            <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, double s, double tFrom,
                                   double t) {
                double up = eta == 0 ? 0 : eta * t * Math.sqrt(s * s - t * t) / s;
                double down = up == 0 ? t : Math.sqrt(t * t - up * up);
                V next = it.plus(x, down - s, it.epsilon(x, tFrom));
                return new Advance<>(up == 0 ? next : it.noise(next, up), null);
            }
        };
    }

    /**
     * DPM-Solver++(2M) (Lu et al. 2022b, Algorithm 2; k-diffusion's {@code sample_dpmpp_2m}): with
     * {@code h = log(s / t)}, {@code xhat' = (t / s) xhat - expm1(-h) D'}, {@code D' = D} on the first step and on a
     * step to {@code t = 0}, else {@code D' = (1 + 1 / (2r)) D - (1 / (2r)) D_prev}, {@code r = h_prev / h}.
     */
    static final MultistepMethod DPMPP_2M = new MultistepMethod(1, 2, false) {
        @Override
        <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, double s, double tFrom,
                               double t) {
            V denoised = it.denoised(x, s, tFrom);
            if (t == 0) {
                return new Advance<>(denoised, denoised);
            }
            double h = Math.log(s / t);
            V d = denoised;
            if (!past.isEmpty()) {
                double r = Math.log(pastSigma[0] / s) / h;
                d = it.plus(it.times(1 + 1 / (2 * r), denoised), -1 / (2 * r), past.get(0));
            }
            return new Advance<>(it.plus(it.times(t / s, x), -Math.expm1(-h), d), denoised);
        }
    };

    /**
     * DPM-Solver++(2M) SDE, midpoint form, {@code eta = 1} (Lu et al. 2022b, SDE-DPM-Solver++(2M); k-diffusion's
     * {@code sample_dpmpp_2m_sde}): {@code xhat' = (t / s) e^{-h} xhat + (1 - e^{-2h}) D
     * + (1 - e^{-2h}) (D - D_prev) / (2r) + t sqrt(1 - e^{-2h}) xi}, the correction from the second step on, and the
     * denoiser alone on a step to {@code t = 0}.
     */
    static final MultistepMethod DPMPP_2M_SDE = new MultistepMethod(1, 2, true) {
        @Override
        <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, double s, double tFrom,
                               double t) {
            V denoised = it.denoised(x, s, tFrom);
            if (t == 0) {
                return new Advance<>(denoised, denoised);
            }
            double h = Math.log(s / t);
            double w = -Math.expm1(-2 * h);
            V next = it.plus(it.times(t / s * Math.exp(-h), x), w, denoised);
            if (!past.isEmpty()) {
                double r = Math.log(pastSigma[0] / s) / h;
                next = it.plus(next, 0.5 * w / r, it.plus(denoised, -1, past.get(0)));
            }
            return new Advance<>(it.noise(next, t * Math.sqrt(w)), denoised);
        }
    };

    /**
     * DPM-Solver++(3M) SDE, {@code eta = 1} (k-diffusion's {@code sample_dpmpp_3m_sde}): with {@code h_eta = 2h},
     * {@code xhat' = e^{-2h} xhat + (1 - e^{-2h}) D + phi_2 d_1 - phi_3 d_2 + t sqrt(1 - e^{-2h}) xi},
     * {@code phi_2 = expm1(-h_eta) / h_eta + 1}, {@code phi_3 = phi_2 / h_eta - 1/2}, {@code d_1}, {@code d_2} the
     * divided differences of the last three denoised values (second order on the second step: {@code phi_2 d} alone,
     * first order on the first), the denoiser alone on a step to {@code t = 0}.
     */
    static final MultistepMethod DPMPP_3M_SDE = new MultistepMethod(2, 2, true) {
        @Override
        <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, double s, double tFrom,
                               double t) {
            V denoised = it.denoised(x, s, tFrom);
            if (t == 0) {
                return new Advance<>(denoised, denoised);
            }
            double h = Math.log(s / t);
            double hEta = 2 * h;
            V next = it.plus(it.times(Math.exp(-hEta), x), -Math.expm1(-hEta), denoised);
            double phi2 = Math.expm1(-hEta) / hEta + 1;
            if (past.size() >= 2) {
                double r0 = Math.log(pastSigma[0] / s) / h;
                double r1 = Math.log(pastSigma[1] / pastSigma[0]) / h;
                V d10 = it.times(1 / r0, it.plus(denoised, -1, past.get(0)));
                V d11 = it.times(1 / r1, it.plus(past.get(0), -1, past.get(1)));
                V diff = it.plus(d10, -1, d11);
                V d1 = it.plus(d10, r0 / (r0 + r1), diff);
                V d2 = it.times(1 / (r0 + r1), diff);
                double phi3 = phi2 / hEta - 0.5;
                next = it.plus(it.plus(next, phi2, d1), -phi3, d2);
            } else if (past.size() == 1) {
                double r = Math.log(pastSigma[0] / s) / h;
                next = it.plus(next, phi2, it.times(1 / r, it.plus(denoised, -1, past.get(0))));
            }
            return new Advance<>(it.noise(next, t * Math.sqrt(-Math.expm1(-2 * h))), denoised);
        }
    };

    /**
     * k-diffusion's linear multistep method of order 4 ({@code sample_lms}, {@code linear_multistep_coeff}): the
     * derivative {@code epsilon} of the ODE of 12.1 at the last {@code k = min(i + 1, 4)} noise levels, its Lagrange
     * interpolant integrated exactly from {@code s} to {@code t}: {@code xhat' = xhat + sum_j c_j epsilon_j},
     * {@code c_j = int_s^t l_j(tau) dtau} (docs/theory.md, 16.4).
     */
    static final MultistepMethod LMS = new MultistepMethod(3, 2, false) {
        @Override
        <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, double s, double tFrom,
                               double t) {
            V epsilon = it.epsilon(x, tFrom);
            int k = past.size() + 1;
            double[] nodes = new double[k];
            nodes[0] = s;
            System.arraycopy(pastSigma, 0, nodes, 1, k - 1);
            V next = it.plus(x, lagrangeIntegral(nodes, 0, s, t), epsilon);
            for (int j = 1; j < k; j++) {
                next = it.plus(next, lagrangeIntegral(nodes, j, s, t), past.get(j - 1));
            }
            return new Advance<>(next, epsilon);
        }
    };

    /** The two Gauss-Legendre nodes on [-1, 1], {@code +-1/sqrt 3}, exact for polynomials of degree 3. */
    private static final double GAUSS_NODE = 1 / Math.sqrt(3);

    /**
     * {@code int_a^b l_j(tau) dtau}, {@code l_j} the Lagrange basis polynomial of node {@code j} (degree
     * {@code nodes.length - 1 <= 3}), by two-point Gauss-Legendre quadrature: exact for such polynomials, where
     * k-diffusion's adaptive quadrature agrees to its round-off.
     */
    static double lagrangeIntegral(double[] nodes, int j, double a, double b) {
        if (nodes.length > 4) {
            throw new IllegalArgumentException("two Gauss nodes integrate degree <= 3 exactly; got "
                    + (nodes.length - 1));
        }
        double mid = (a + b) / 2;
        double half = (b - a) / 2;
        return half * (lagrange(nodes, j, mid - half * GAUSS_NODE) + lagrange(nodes, j, mid + half * GAUSS_NODE));
    }

    private static double lagrange(double[] nodes, int j, double tau) {
        double prod = 1;
        for (int k = 0; k < nodes.length; k++) {
            if (k != j) {
                prod *= (tau - nodes[k]) / (nodes[j] - nodes[k]);
            }
        }
        return prod;
    }
}
