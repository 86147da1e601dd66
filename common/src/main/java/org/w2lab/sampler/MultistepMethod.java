package org.w2lab.sampler;

import java.util.Arrays;
import java.util.List;

/**
 * The samplers of k-diffusion and diffusers that carry values from one step to the next or inject noise, written in
 * the scaled state {@code xhat = x / alpha_t} and the noise level {@code sigma} (docs/theory.md, 16), as their
 * reference implementations run them: one step goes from noise level {@code s} to {@code t < s}, evaluates the
 * denoiser once at {@code s} and may reuse the values it saved on earlier steps. Written once over {@link Iterate},
 * run by the three engines of {@link MultistepScheme}.
 */
abstract class MultistepMethod {
    /**
     * What a step produced: the next iterate, the values later steps read (newest first) and the noise levels they
     * belong to.
     */
    record Advance<V>(V next, List<V> past, double[] pastSigma) {
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
     * @param past      what the previous step returned (empty on the first step)
     * @param pastSigma likewise
     * @param index     the step's index in the run, from 0
     */
    abstract <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, int index, double s,
                                    double tFrom, double t);

    /**
     * The result of a step that saves one value at noise level {@code s}: it goes first, the older ones after it, at
     * most {@link #memory()} in all.
     */
    final <V> Advance<V> saving(V next, V saved, List<V> past, double[] pastSigma, double s) {
        int kept = Math.min(memory, past.size() + 1);
        if (kept == 0) {
            return new Advance<>(next, List.of(), new double[0]);
        }
        List<V> values = new java.util.ArrayList<>(kept);
        values.add(saved);
        values.addAll(past.subList(0, kept - 1));
        double[] sigmas = new double[kept];
        sigmas[0] = s;
        System.arraycopy(pastSigma, 0, sigmas, 1, kept - 1);
        return new Advance<>(next, values, sigmas);
    }

    /**
     * DDIM (Song et al. 2021, eq. 12) with {@code sigma_t = eta sqrt((1 - abar_prev) / (1 - abar_t))
     * sqrt(1 - abar_t / abar_prev)}, divided by {@code alpha}: the noise added to {@code xhat} has standard deviation
     * {@code up = eta t sqrt(s^2 - t^2) / s}, and the deterministic part steps to {@code down = sqrt(t^2 - up^2)}:
     * {@code xhat' = xhat + (down - s) epsilon + up xi} (docs/theory.md, 16.2). k-diffusion's ancestral step
     * ({@code get_ancestral_step}, {@code sample_euler_ancestral}) is the same update, so {@code euler_ancestral} is
     * {@code ddim} with {@code eta = 1}; {@code eta = 0} is DPM-Solver-1.
     */
    static MultistepMethod ddim(double eta) {
        checkEta(eta);
        return new MultistepMethod(0, 1, eta > 0) {
            @Override
            <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, int index, double s,
                                   double tFrom, double t) {
                double up = eta == 0 ? 0 : eta * t * Math.sqrt(s * s - t * t) / s;
                double down = up == 0 ? t : Math.sqrt(t * t - up * up);
                V next = it.plus(x, down - s, it.epsilon(x, tFrom));
                return saving(up == 0 ? next : it.noise(next, up), null, past, pastSigma, s);
            }
        };
    }

    /**
     * The DPM-Solver++ family as k-diffusion runs it: one denoiser evaluation {@code D} at {@code s}, saved for later
     * steps; on a step to {@code t = 0} the denoiser alone ("denoising step"); else {@link #update} with
     * {@code h = log(s / t)} and, where a previous value is carried, its ratio {@code r = h_prev / h}.
     */
    private abstract static class DataPrediction extends MultistepMethod {
        DataPrediction(int memory, boolean stochastic) {
            super(memory, 2, stochastic);
        }

        @Override
        final <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, int index, double s,
                                     double tFrom, double t) {
            V denoised = it.denoised(x, s, tFrom);
            if (t == 0) {
                return saving(denoised, denoised, past, pastSigma, s);
            }
            double h = Math.log(s / t);
            return saving(update(it, x, denoised, past, pastSigma, s, t, h), denoised, past, pastSigma, s);
        }

        /** {@code r_k = h_{k} / h}: the ratio of the step that ended at {@code pastSigma[k-1]} (or {@code s}). */
        static double ratio(double[] pastSigma, int k, double s, double h) {
            return Math.log(pastSigma[k] / (k == 0 ? s : pastSigma[k - 1])) / h;
        }

        abstract <V> V update(Iterate<V> it, V x, V denoised, List<V> past, double[] pastSigma, double s, double t,
                              double h);
    }

    /**
     * DPM-Solver++(2M) (Lu et al. 2022b, Algorithm 2; k-diffusion's {@code sample_dpmpp_2m}): with
     * {@code h = log(s / t)}, {@code xhat' = (t / s) xhat - expm1(-h) D'}, {@code D' = D} on the first step and on a
     * step to {@code t = 0}, else {@code D' = (1 + 1 / (2r)) D - (1 / (2r)) D_prev}, {@code r = h_prev / h}.
     */
    static final MultistepMethod DPMPP_2M = new DataPrediction(1, false) {
        @Override
        <V> V update(Iterate<V> it, V x, V denoised, List<V> past, double[] pastSigma, double s, double t,
                     double h) {
            V d = denoised;
            if (!past.isEmpty()) {
                double r = ratio(pastSigma, 0, s, h);
                d = it.plus(it.times(1 + 1 / (2 * r), denoised), -1 / (2 * r), past.get(0));
            }
            return it.plus(it.times(t / s, x), -Math.expm1(-h), d);
        }
    };

    /**
     * DPM-Solver++(2M) SDE, midpoint form (Lu et al. 2022b, SDE-DPM-Solver++(2M); k-diffusion's
     * {@code sample_dpmpp_2m_sde} with its {@code eta}): {@code xhat' = (t / s) e^{-eta h} xhat + (1 - e^{-(1+eta) h}) D
     * + (1 - e^{-(1+eta) h}) (D - D_prev) / (2r) + t sqrt(1 - e^{-2 eta h}) xi}, the correction from the second step on,
     * and the denoiser alone on a step to {@code t = 0}; {@code eta = 0} is DPM-Solver++(2M).
     */
    static MultistepMethod dpmpp2mSde(double eta) {
        checkEta(eta);
        return new DataPrediction(1, eta > 0) {
            @Override
            <V> V update(Iterate<V> it, V x, V denoised, List<V> past, double[] pastSigma, double s, double t,
                         double h) {
                double etaH = eta * h;
                double w = -Math.expm1(-h - etaH);
                V next = it.plus(it.times(t / s * Math.exp(-etaH), x), w, denoised);
                if (!past.isEmpty()) {
                    next = it.plus(next, 0.5 * w / ratio(pastSigma, 0, s, h), it.plus(denoised, -1, past.get(0)));
                }
                return eta == 0 ? next : it.noise(next, t * Math.sqrt(-Math.expm1(-2 * etaH)));
            }
        };
    }

    /**
     * DPM-Solver++(3M) SDE (k-diffusion's {@code sample_dpmpp_3m_sde} with its {@code eta}): with
     * {@code h_eta = (1 + eta) h}, {@code xhat' = e^{-h_eta} xhat + (1 - e^{-h_eta}) D + phi_2 d_1 - phi_3 d_2
     * + t sqrt(1 - e^{-2 eta h}) xi}, {@code phi_2 = expm1(-h_eta) / h_eta + 1}, {@code phi_3 = phi_2 / h_eta - 1/2},
     * {@code d_1}, {@code d_2} the divided differences of the last three denoised values (second order on the second
     * step: {@code phi_2 d} alone, first order on the first), the denoiser alone on a step to {@code t = 0}.
     */
    static MultistepMethod dpmpp3mSde(double eta) {
        checkEta(eta);
        return new DataPrediction(2, eta > 0) {
            @Override
            <V> V update(Iterate<V> it, V x, V denoised, List<V> past, double[] pastSigma, double s, double t,
                         double h) {
                double hEta = h * (eta + 1);
                V next = it.plus(it.times(Math.exp(-hEta), x), -Math.expm1(-hEta), denoised);
                double phi2 = Math.expm1(-hEta) / hEta + 1;
                if (past.size() >= 2) {
                    double r0 = ratio(pastSigma, 0, s, h);
                    double r1 = ratio(pastSigma, 1, s, h);
                    V d10 = it.times(1 / r0, it.plus(denoised, -1, past.get(0)));
                    V d11 = it.times(1 / r1, it.plus(past.get(0), -1, past.get(1)));
                    V diff = it.plus(d10, -1, d11);
                    V d1 = it.plus(d10, r0 / (r0 + r1), diff);
                    V d2 = it.times(1 / (r0 + r1), diff);
                    double phi3 = phi2 / hEta - 0.5;
                    next = it.plus(it.plus(next, phi2, d1), -phi3, d2);
                } else if (past.size() == 1) {
                    double r = ratio(pastSigma, 0, s, h);
                    next = it.plus(next, phi2, it.times(1 / r, it.plus(denoised, -1, past.get(0))));
                }
                return eta == 0 ? next : it.noise(next, t * Math.sqrt(-Math.expm1(-2 * h * eta)));
            }
        };
    }

    private static void checkEta(double eta) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("need 0 <= eta <= 1, got " + eta);
        }
    }

    /**
     * k-diffusion's linear multistep method of order 4 ({@code sample_lms}, {@code linear_multistep_coeff}): the
     * derivative {@code epsilon} of the ODE of 12.1 at the last {@code k = min(i + 1, 4)} noise levels, its Lagrange
     * interpolant integrated exactly from {@code s} to {@code t}: {@code xhat' = xhat + sum_j c_j epsilon_j},
     * {@code c_j = int_s^t l_j(tau) dtau} (docs/theory.md, 16.4).
     */
    static final MultistepMethod LMS = new MultistepMethod(3, 2, false) {
        @Override
        <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, int index, double s,
                               double tFrom, double t) {
            V epsilon = it.epsilon(x, tFrom);
            int k = past.size() + 1;
            double[] nodes = new double[k];
            nodes[0] = s;
            System.arraycopy(pastSigma, 0, nodes, 1, k - 1);
            V next = it.plus(x, lagrangeIntegral(nodes, 0, s, t), epsilon);
            for (int j = 1; j < k; j++) {
                next = it.plus(next, lagrangeIntegral(nodes, j, s, t), past.get(j - 1));
            }
            return saving(next, epsilon, past, pastSigma, s);
        }
    };

    /**
     * UniPC (Zhao et al. 2023) as diffusers runs it ({@code UniPCMultistepScheduler} with {@code solver_order = 3},
     * {@code solver_type = "bh2"}, {@code predict_x0 = True}, {@code lower_order_final = True}, no step's corrector
     * disabled), divided by {@code alpha} (docs/theory.md, 16.4). Step {@code i} of {@code N} evaluates the denoiser
     * once, at the predicted iterate; from the second step on the corrector UniC (of the previous predictor's order)
     * first replaces that iterate, reusing the same evaluation; then the predictor UniP of order
     * {@code min(3, N - i, i + 1)} steps on. What is carried: the corrected iterate of the previous step and the last
     * three denoised values.
     *
     * @param steps {@code N}: the last steps' orders depend on it
     */
    static MultistepMethod unipc(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("need steps >= 1, got " + steps);
        }
        return new MultistepMethod(4, 2, false) {
            /** The predictor's order at step {@code i} ({@code this_order}: the warm-up and the lower final orders). */
            private int order(int i) {
                return Math.min(3, Math.min(steps - i, i + 1));
            }

            @Override
            <V> Advance<V> advance(Iterate<V> it, V x, List<V> past, double[] pastSigma, int index, double s,
                                   double tFrom, double t) {
                V denoised = it.denoised(x, s, tFrom);
                V corrected = x;
                if (index > 0) {
                    // UniC from the previous step's start sigma_{i-1} to s, with model_t = this evaluation
                    int p = order(index - 1);
                    double s0 = pastSigma[0];
                    double h = Math.log(s0 / s);
                    double[] r = new double[p - 1];
                    List<V> d1 = new java.util.ArrayList<>();
                    for (int k = 1; k < p; k++) {
                        r[k - 1] = Math.log(s0 / pastSigma[k]) / h;
                        d1.add(it.times(1 / r[k - 1], it.plus(past.get(1 + k), -1, past.get(1))));
                    }
                    double[] rho = p == 1 ? new double[] {0.5} : solve(powers(r, p, p), phiWeights(h, p));
                    double bh = Math.expm1(-h);
                    V res = it.times(rho[p - 1], it.plus(denoised, -1, past.get(1)));
                    for (int k = 0; k < p - 1; k++) {
                        res = it.plus(res, rho[k], d1.get(k));
                    }
                    corrected = it.plus(it.plus(it.times(s / s0, past.get(0)), -Math.expm1(-h), past.get(1)), -bh,
                            res);
                }
                int p = order(index);
                List<V> outputs = new java.util.ArrayList<>();
                outputs.add(denoised);
                double[] sigmas = new double[Math.min(3, pastSigma.length + 1)];
                sigmas[0] = s;
                for (int k = 1; k < sigmas.length; k++) {
                    outputs.add(past.get(k));
                    sigmas[k] = pastSigma[k - 1];
                }
                V next;
                if (t == 0) {
                    next = denoised;
                } else {
                    double h = Math.log(s / t);
                    next = it.plus(it.times(t / s, corrected), -Math.expm1(-h), denoised);
                    if (p > 1) {
                        double[] r = new double[p - 1];
                        for (int k = 1; k < p; k++) {
                            r[k - 1] = Math.log(s / sigmas[k]) / h;
                        }
                        double[] rho = p == 2 ? new double[] {0.5}
                                : solve(powers(r, p - 1, p - 1), Arrays.copyOf(phiWeights(h, p), p - 1));
                        double bh = Math.expm1(-h);
                        for (int k = 1; k < p; k++) {
                            V d = it.times(1 / r[k - 1], it.plus(outputs.get(k), -1, denoised));
                            next = it.plus(next, -bh * rho[k - 1], d);
                        }
                    }
                }
                List<V> carried = new java.util.ArrayList<>();
                carried.add(corrected);
                carried.addAll(outputs);
                return new Advance<>(next, carried, sigmas);
            }
        };
    }

    /**
     * UniPC's {@code R}: row {@code i} (from 0) holds {@code rks^i}, {@code rks} the ratios {@code r} then 1;
     * the leading {@code rows x cols} block.
     */
    private static double[][] powers(double[] r, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = Math.pow(j < r.length ? r[j] : 1, i);
            }
        }
        return m;
    }

    /**
     * UniPC's {@code b} for B(h) = {@code expm1(hh)}, {@code hh = -h}: {@code b_i = h phi_{i+1}(hh) i! / B(h)} by
     * diffusers' recursion {@code h_phi_k <- h_phi_k / hh - 1 / (k+1)!}.
     */
    private static double[] phiWeights(double h, int p) {
        double hh = -h;
        double bh = Math.expm1(hh);
        double hPhiK = Math.expm1(hh) / hh - 1;
        double factorial = 1;
        double[] b = new double[p];
        for (int i = 1; i <= p; i++) {
            b[i - 1] = hPhiK * factorial / bh;
            factorial *= i + 1;
            hPhiK = hPhiK / hh - 1 / factorial;
        }
        return b;
    }

    /** The solution of {@code A x = b} for {@code n <= 3} by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int i = col + 1; i < n; i++) {
                if (Math.abs(m[i][col]) > Math.abs(m[pivot][col])) {
                    pivot = i;
                }
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            for (int i = col + 1; i < n; i++) {
                double f = m[i][col] / m[col][col];
                for (int j = col; j <= n; j++) {
                    m[i][j] -= f * m[col][j];
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = m[i][n];
            for (int j = i + 1; j < n; j++) {
                sum -= m[i][j] * x[j];
            }
            x[i] = sum / m[i][i];
        }
        return x;
    }

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
