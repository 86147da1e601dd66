package org.w2lab.sampler;

import java.util.random.RandomGenerator;
import org.w2lab.linalg.Matrices;
import org.w2lab.linalg.Simd;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;

/**
 * An explicit Runge-Kutta method for the probability-flow ODE {@code dy = [r_t y + D_t score(y)] ds}
 * ({@link ForwardProcess}; for VP {@code r = D = beta}: Pierret &amp; Galerne, eq. 5), given by its Butcher tableau. In
 * the eigenbasis the ODE is the scalar linear equation {@code y' = c(s) y}, {@code c = r_t - D_t / sigma_t^2(lambda)}
 * ({@code beta_t (1 - 1 / sigma_t^2)} for VP), on which stage {@code j} is
 * {@code K_j = g_j y} with {@code g_j = c(s + c_j h) (1 + h sum_{l<j} a_jl g_l)}, and the step multiplies
 * {@code y} by {@code R = 1 + h sum_j b_j g_j}: the law by {@code R^2} (docs/theory.md, section 3.2).
 */
public final class RungeKuttaScheme implements DiscreteScheme {
    /** Eigenvalues per block of {@link #step(SpectralState, double, double)}: a dozen arrays of it fit in 32 KiB. */
    private static final int BLOCK = 256;

    private final String id;
    private final int order;
    private final double[] c;
    private final double[][] a;
    private final double[] b;
    /** Per stage, the only {@code l} with {@code a_jl != 0}, or -1 when there are none or several. */
    private final int[] onlyInput;
    /**
     * The kernel of {@link #steps} for this tableau, or null: every stage after the first must take the stage before
     * it as its only input, and the nodes be {@code (0)}, {@code (0, 1)} or {@code (0, c, c, 1)}, so that a step's
     * first stage evaluates the previous step's last time ({@code t_from - 0 h} is {@code t_from}, and the node 1 is
     * {@code t_to} itself: {@link #stageTime}), and RK4's middle stages the same time.
     */
    private final RecursionKernel.Kernel kernel;

    /**
     * @param id    the sampler id
     * @param order the classical order of the method
     * @param c     the nodes {@code c_j}
     * @param a     the strictly lower-triangular matrix {@code a_jl}
     * @param b     the weights {@code b_j}
     */
    RungeKuttaScheme(String id, int order, double[] c, double[][] a, double[] b) {
        if (java.util.Arrays.stream(c).distinct().count() > SpectralState.KAPPA_TIMES) {
            throw new IllegalArgumentException(id + ": more distinct stage times than the spectral state keeps ("
                    + SpectralState.KAPPA_TIMES + ")");
        }
        this.id = id;
        this.order = order;
        this.c = c.clone();
        this.a = a.clone();
        this.b = b.clone();
        this.onlyInput = new int[c.length];
        for (int j = 0; j < c.length; j++) {
            onlyInput[j] = -1;
            for (int l = 0; l < j; l++) {
                if (a[j][l] != 0) {
                    onlyInput[j] = onlyInput[j] == -1 && nonzeros(a[j]) == 1 ? l : -1;
                }
            }
        }
        boolean chain = java.util.stream.IntStream.range(1, c.length).allMatch(j -> onlyInput[j] == j - 1);
        if (!chain || c[0] != 0) {
            this.kernel = null;
        } else if (c.length == 1) {
            this.kernel = RecursionKernel.Kernel.EULER;
        } else if (c.length == 2 && c[1] == 1) {
            this.kernel = RecursionKernel.Kernel.HEUN;
        } else if (c.length == 4 && c[1] == c[2] && c[3] == 1) {
            this.kernel = RecursionKernel.Kernel.RK4;
        } else {
            this.kernel = null;
        }
    }

    private static long nonzeros(double[] row) {
        return java.util.Arrays.stream(row).filter(x -> x != 0).count();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int evaluationsPerStep() {
        return c.length;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public boolean stochastic() {
        return false;
    }

    /**
     * One step, stage by stage in plain array loops (which the JIT vectorizes):
     * {@code y_j = 1 + h sum_l a_jl g_l}, {@code g_j = c(t_j) y_j}, {@code R = 1 + h sum_j b_j g_j},
     * {@code v <- R^2 v}; the update of {@code R} rides on the stage loops. The factors {@code 1 / sigma^2} come from
     * {@link SpectralState#kappa}, computed once per distinct stage time. The eigenvalues go by blocks of
     * {@link #BLOCK}, all stages of a block before the next, so that the stage arrays of a block stay in the
     * first-level cache between the stages (each eigenvalue's arithmetic is unchanged).
     */
    @Override
    public void step(SpectralState state, double tFrom, double tTo) {
        if (c.length == 1) {
            oneStage(state, tFrom, tTo);
            return;
        }
        int stages = c.length;
        double h = tFrom - tTo;
        double[][] v = state.v;
        int d = state.lambda.length;
        double[][] work = state.work(stages + 2);
        double[] r = work[stages];
        double[] y = work[stages + 1];
        double[][] kappa = new double[stages][];
        double[] diffusion = new double[stages];
        double[] rate = new double[stages];
        for (int j = 0; j < stages; j++) {
            double t = stageTime(j, tFrom, tTo);
            // c = r - D / sigma^2 = D (r / D - 1 / sigma^2): for VP r = D = beta, and r / D = 1 exactly
            diffusion[j] = state.schedule.diffusion(t);
            rate[j] = state.schedule.drift(t) / diffusion[j];
            kappa[j] = state.kappa(t);
        }
        for (int from = 0; from < d; from += BLOCK) {
            int to = Math.min(d, from + BLOCK);
            for (int j = 0; j < stages; j++) {
                double dj = diffusion[j];
                double rj = rate[j];
                double[] kj = kappa[j];
                double[] gj = work[j];
                double w = h * b[j];
                int l = onlyInput[j];
                if (j == 0) {
                    // first stage: input 1, R starts at 1 (and for a one-stage method the step ends here)
                    for (int i = from; i < to; i++) {
                        double g = dj * (rj - kj[i]);
                        gj[i] = g;
                        r[i] = 1 + w * g;
                    }
                } else if (l >= 0) {
                    // y_j = 1 + h a_jl g_l from its only term, as stageInput would give it, without the array
                    double[] gl = work[l];
                    double wl = h * a[j][l];
                    for (int i = from; i < to; i++) {
                        double g = dj * (rj - kj[i]) * (1 + wl * gl[i]);
                        gj[i] = g;
                        r[i] += w * g;
                    }
                } else {
                    stageInput(j, h, work, y, from, to);
                    for (int i = from; i < to; i++) {
                        double g = dj * (rj - kj[i]) * y[i];
                        gj[i] = g;
                        r[i] += w * g;
                    }
                }
            }
            for (double[] vm : v) {
                for (int i = from; i < to; i++) {
                    vm[i] *= r[i] * r[i];
                }
            }
        }
    }

    /**
     * A run of two steps or more goes through {@link RecursionKernel} when the SIMD kernels run and the tableau is
     * one it has (Euler, Heun, RK4: {@link #kernel}). The scalars of every stage of every step come first, which
     * checks every score evaluation before any variance changes.
     */
    @Override
    public void steps(SpectralState state, TimeGrid grid, int from, int to) {
        int n = to - from;
        if (n < 2 || kernel == null || !Simd.available()) {
            DiscreteScheme.super.steps(state, grid, from, to);
            return;
        }
        int stages = c.length;
        int fields = RecursionKernel.STAGE_FIELDS;
        double[] coef = new double[n * stages * fields];
        for (int k = 0, at = 0; k < n; k++) {
            double tFrom = grid.forward(from + k);
            double tTo = grid.forward(from + k + 1);
            double h = tFrom - tTo;
            for (int j = 0; j < stages; j++, at += fields) {
                double t = stageTime(j, tFrom, tTo);
                coef[at] = state.decayForScore(t);
                coef[at + 1] = state.noise(t);
                double diffusion = state.schedule.diffusion(t);
                coef[at + 2] = diffusion;
                coef[at + 3] = state.schedule.drift(t) / diffusion;
                coef[at + 4] = h * b[j];
                coef[at + 5] = j == 0 ? 0 : h * a[j][j - 1];
            }
        }
        for (int m = 0; m < state.v.length; m += 2) {
            RecursionKernel.run(kernel, state.lambda, state.v[m], state.partner(m), coef, n);
        }
    }

    /**
     * A one-stage method ({@code euler}): {@code R = 1 + h b_1 g_1}, {@code g_1 = c(t_1)}, in one pass over the
     * eigenvalues for two starts at a time ({@link SpectralState#partner}): no later stage needs {@code 1 / sigma^2}
     * or {@code g}, so neither is stored. The same operations as the stage loop.
     */
    private void oneStage(SpectralState state, double tFrom, double tTo) {
        double h = tFrom - tTo;
        double t = stageTime(0, tFrom, tTo);
        double diffusion = state.schedule.diffusion(t);
        double rate = state.schedule.drift(t) / diffusion;
        double decay = state.decayForScore(t);
        double noise = state.noise(t);
        double w = h * b[0];
        double[] lambda = state.lambda;
        double[][] v = state.v;
        for (int m = 0; m < v.length; m += 2) {
            double[] va = v[m];
            double[] vb = state.partner(m);
            for (int i = 0; i < va.length; i++) {
                double r = 1 + w * (diffusion * (rate - 1 / (decay * lambda[i] + noise)));
                va[i] *= r * r;
                vb[i] *= r * r;
            }
        }
    }

    /**
     * The step on an affine flow {@code y' = F_j y + g_j} at the stage times, {@code F = r I - D P},
     * {@code g = D c} for the score {@code -P y + c}: stage {@code j} is the affine map
     * {@code K_j = G_j y + k_j}, {@code G_j = F_j (I + h sum_l a_jl G_l)}, {@code k_j = h F_j sum_l a_jl k_l + g_j},
     * and the step is {@code y -> R y + h sum_j b_j k_j}, {@code R = I + h sum_j b_j G_j}.
     */
    @Override
    public GaussianLaw step(GaussianLaw law, LinearScore score, ForwardProcess schedule, double tFrom, double tTo) {
        int n = law.n();
        int stages = c.length;
        double h = tFrom - tTo;
        double[] identity = Matrices.identity(n);
        double[][] gMat = new double[stages][];
        double[][] kVec = new double[stages][];
        double[] r = identity.clone();
        double[] shift = new double[n];
        for (int j = 0; j < stages; j++) {
            AffineDrift drift = AffineDrift.at(score, schedule, stageTime(j, tFrom, tTo));
            double[] input = identity.clone();
            double[] inputShift = new double[n];
            for (int l = 0; l < j; l++) {
                if (a[j][l] != 0) {
                    input = Matrices.combine(1, input, h * a[j][l], gMat[l]);
                    for (int i = 0; i < n; i++) {
                        inputShift[i] += h * a[j][l] * kVec[l][i];
                    }
                }
            }
            gMat[j] = Matrices.times(n, drift.f(), input);
            kVec[j] = Matrices.apply(n, drift.f(), inputShift);
            for (int i = 0; i < n; i++) {
                kVec[j][i] += drift.g()[i];
            }
            r = Matrices.combine(1, r, h * b[j], gMat[j]);
            for (int i = 0; i < n; i++) {
                shift[i] += h * b[j] * kVec[j][i];
            }
        }
        double[] mean = Matrices.apply(n, r, law.mean());
        for (int i = 0; i < n; i++) {
            mean[i] += shift[i];
        }
        return new GaussianLaw(n, mean, Matrices.congruence(n, r, law.cov()));
    }

    /** The tableau on particles: {@code Y_j = X + h sum_l a_jl K_l}, {@code K_j = F_j Y_j + g_j 1^T}. */
    @Override
    public void step(ParticleBlock particles, LinearScore score, ForwardProcess schedule, double tFrom, double tTo,
                     RandomGenerator rng) {
        int d = particles.d;
        int m = particles.m;
        int stages = c.length;
        double h = tFrom - tTo;
        double[][] k = new double[stages][];
        double[] next = particles.spare();
        System.arraycopy(particles.x, 0, next, 0, next.length);
        for (int j = 0; j < stages; j++) {
            AffineDrift drift = AffineDrift.at(score, schedule, stageTime(j, tFrom, tTo), true);
            ParticleBlock input = new ParticleBlock(d, m, particles.x.clone());
            for (int l = 0; l < j; l++) {
                if (a[j][l] != 0) {
                    double w = h * a[j][l];
                    for (int i = 0; i < input.x.length; i++) {
                        input.x[i] += w * k[l][i];
                    }
                }
            }
            k[j] = drift.diagonal() ? input.diagonalMapped(drift.f()) : input.mapped(drift.f());
            for (int col = 0; col < m; col++) {
                for (int i = 0; i < d; i++) {
                    k[j][col * d + i] += drift.g()[i];
                }
            }
            double w = h * b[j];
            for (int i = 0; i < next.length; i++) {
                next[i] += w * k[j][i];
            }
        }
        particles.swap();
    }

    /** Stage {@code j} sits at backward time {@code s + c_j h}, i.e. forward time {@code tFrom - c_j h}. */
    private double stageTime(int j, double tFrom, double tTo) {
        return c[j] == 1 ? tTo : tFrom - c[j] * (tFrom - tTo);
    }

    /**
     * The flow ODE's drift {@code r_t y + D_t s_t(y) = F y + g} for the score {@code -P y + c}:
     * {@code F = r_t I - D_t P_t}, {@code g = D_t c_t} ({@code r = D = beta} for VP).
     */
    private record AffineDrift(double[] f, double[] g, boolean diagonal) {
        static AffineDrift at(LinearScore score, ForwardProcess schedule, double t) {
            return at(score, schedule, t, false);
        }

        /**
         * @param particles whether the drift is for particles, which take {@code F}'s diagonal alone when {@code P} is
         *                  diagonal (each entry as {@code Matrices.combine} computes it)
         */
        static AffineDrift at(LinearScore score, ForwardProcess schedule, double t, boolean particles) {
            int n = score.dimension();
            double diffusion = schedule.diffusion(t);
            double[] c = new double[n];
            double[] diagonal = particles ? score.diagonalAt(t, c) : null;
            if (diagonal != null) {
                double drift = schedule.drift(t);
                double[] f = new double[n];
                for (int i = 0; i < n; i++) {
                    f[i] = drift * 1.0 + -diffusion * diagonal[i];
                    c[i] *= diffusion;
                }
                return new AffineDrift(f, c, true);
            }
            double[] p = new double[n * n];
            score.at(t, p, c);
            for (int i = 0; i < n; i++) {
                c[i] *= diffusion;
            }
            return new AffineDrift(Matrices.combine(schedule.drift(t), Matrices.identity(n), -diffusion, p), c, false);
        }
    }

    /** {@code y = 1 + h sum_{l<j} a_jl g_l} on {@code [from, to)} (untouched for the first stage, whose input is 1). */
    private void stageInput(int j, double h, double[][] g, double[] y, int from, int to) {
        boolean assigned = false;
        for (int l = 0; l < j; l++) {
            double w = h * a[j][l];
            if (w == 0) {
                continue;
            }
            double[] gl = g[l];
            for (int i = from; i < to; i++) {
                y[i] = (assigned ? y[i] : 1) + w * gl[i];
            }
            assigned = true;
        }
        if (j > 0 && !assigned) {
            java.util.Arrays.fill(y, from, to, 1.0);
        }
    }
}
