package org.w2lab.sampler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.w2lab.linalg.Matrices;
import org.w2lab.linalg.NativeBlas;
import org.w2lab.schedule.ForwardProcess;

/**
 * A sampler of {@link MultistepMethod} run by the three engines (docs/theory.md, 16.5). Every quantity of a step is an
 * affine function of the step's sources: the iterate {@code xhat}, the values carried from earlier steps and the
 * step's fresh noise {@code xi}. The spectral engine keeps, per eigenvalue, the coefficients of each quantity on the
 * sources and the joint covariance of the carried values; the full-matrix engine the same with matrices and means;
 * particles keep the carried values themselves. One score evaluation per step.
 */
public final class MultistepScheme implements DiscreteScheme {
    private final String id;
    private final MultistepMethod method;

    MultistepScheme(String id, MultistepMethod method) {
        this.id = id;
        this.method = method;
    }

    /** DDIM with its {@code eta} in [0, 1] (Song et al. 2021), sampler id {@code ddim}. */
    public static MultistepScheme ddim(double eta) {
        return new MultistepScheme("ddim", MultistepMethod.ddim(eta));
    }

    /** Euler ancestral (k-diffusion's {@code sample_euler_ancestral}) with its {@code eta}: DDIM's step (16.2). */
    public static MultistepScheme eulerAncestral(double eta) {
        return new MultistepScheme("euler_ancestral", MultistepMethod.ddim(eta));
    }

    /** DPM-Solver++(2M) SDE with k-diffusion's {@code eta} in [0, 1] (0: DPM-Solver++(2M)). */
    public static MultistepScheme dpmpp2mSde(double eta) {
        return new MultistepScheme("dpmpp_2m_sde", MultistepMethod.dpmpp2mSde(eta));
    }

    /** DPM-Solver++(3M) SDE with k-diffusion's {@code eta} in [0, 1]. */
    public static MultistepScheme dpmpp3mSde(double eta) {
        return new MultistepScheme("dpmpp_3m_sde", MultistepMethod.dpmpp3mSde(eta));
    }

    /**
     * UniPC with diffusers' settings (order 3, bh2, data prediction, lower orders on the last steps), sampler id
     * {@code unipc}: the orders of the last steps depend on the number of steps {@code N} of the run.
     */
    public static MultistepScheme unipc(int steps) {
        return new MultistepScheme("unipc", MultistepMethod.unipc(steps));
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
        return method.order();
    }

    /** Whether a step adds fresh noise: DDIM with {@code eta > 0}, Euler ancestral, the SDE solvers. */
    @Override
    public boolean stochastic() {
        return method.stochastic();
    }

    /** Whether the sampler reads values saved on earlier steps. */
    public boolean multistep() {
        return method.memory() > 0;
    }

    /**
     * How many later steps read a value a step saves (its history's length): a score evaluation moves the step that
     * makes it and at most this many after it.
     */
    public int memory() {
        return method.memory();
    }

    /** The quantities a step hands on: the next iterate first, then the values later steps read. */
    private static <V> List<V> carried(MultistepMethod.Advance<V> a) {
        List<V> carried = new ArrayList<>();
        carried.add(a.next());
        carried.addAll(a.past());
        return carried;
    }

    // ---------------------------------------------------------------- spectral engine

    /**
     * Per eigenvalue: {@code cov[a][b][i]}, the joint covariance of the carried values ({@code xhat} first, its
     * variance refreshed from the state at each step), one per start, and their noise levels.
     */
    private record SpectralCarry(double[][][][] cov, double[] sigmas, int steps) implements Carry {
    }

    /** Coefficients {@code c[source][i]} of a quantity on the step's sources, per eigenvalue. */
    private record Coefficients(SpectralState state, int noiseSource) implements MultistepMethod.Iterate<double[][]> {
        @Override
        public double[][] plus(double[][] x, double a, double[][] y) {
            double[][] z = new double[x.length][x[0].length];
            for (int p = 0; p < z.length; p++) {
                for (int i = 0; i < z[p].length; i++) {
                    z[p][i] = x[p][i] + a * y[p][i];
                }
            }
            return z;
        }

        @Override
        public double[][] times(double a, double[][] x) {
            double[][] z = new double[x.length][x[0].length];
            for (int p = 0; p < z.length; p++) {
                for (int i = 0; i < z[p].length; i++) {
                    z[p][i] = a * x[p][i];
                }
            }
            return z;
        }

        /** {@code epsilon = sigma alpha^2 / sigma_t^2(lambda) xhat} per eigenvalue (12.1). */
        @Override
        public double[][] epsilon(double[][] x, double t) {
            double decay = state.decayForScore(t);
            double noise = state.noise(t);
            double sigma = state.schedule.noiseLevel(t);
            double[] lambda = state.lambda;
            double[][] z = new double[x.length][lambda.length];
            for (int i = 0; i < lambda.length; i++) {
                double e = sigma * decay / (decay * lambda[i] + noise);
                for (int p = 0; p < z.length; p++) {
                    z[p][i] = e * x[p][i];
                }
            }
            return z;
        }

        @Override
        public double[][] noise(double[][] x, double sd) {
            double[][] z = new double[x.length][];
            for (int p = 0; p < z.length; p++) {
                z[p] = x[p].clone();
            }
            for (int i = 0; i < z[noiseSource].length; i++) {
                z[noiseSource][i] += sd;
            }
            return z;
        }
    }

    @Override
    public void step(SpectralState state, double tFrom, double tTo) {
        ForwardProcess schedule = state.schedule;
        SpectralCarry carry = (SpectralCarry) state.carry;
        double[] pastSigma = carry == null ? new double[0] : carry.sigmas();
        int d = state.lambda.length;
        int c = carry == null ? 1 : carry.cov()[0].length;
        double[][] x = unit(c + 1, 0, d);
        List<double[][]> past = new ArrayList<>();
        for (int j = 1; j < c; j++) {
            past.add(unit(c + 1, j, d));
        }
        double s = schedule.noiseLevel(tFrom);
        MultistepMethod.Advance<double[][]> a = method.advance(new Coefficients(state, c), x, past, pastSigma,
                carry == null ? 0 : carry.steps(), s, tFrom, schedule.noiseLevel(tTo));
        List<double[][]> next = carried(a);
        double aFrom = schedule.scale(tFrom);
        double aTo = schedule.scale(tTo);
        double[][][][] cov = new double[state.starts()][][][];
        for (int m = 0; m < cov.length; m++) {
            double[][][] old = carry == null ? new double[1][1][] : carry.cov()[m];
            old[0][0] = new double[d];
            for (int i = 0; i < d; i++) {
                old[0][0][i] = state.v[m][i] / (aFrom * aFrom);
            }
            cov[m] = covariance(next, old, c);
            for (int i = 0; i < d; i++) {
                state.v[m][i] = aTo * aTo * cov[m][0][0][i];
            }
        }
        state.carry = new SpectralCarry(cov, a.pastSigma(), carry == null ? 1 : carry.steps() + 1);
    }

    private static double[][] unit(int sources, int p, int d) {
        double[][] u = new double[sources][d];
        Arrays.fill(u[p], 1.0);
        return u;
    }

    /**
     * Per eigenvalue {@code L_a C L_b^T + l_a l_b}: the covariance of quantities with coefficients {@code L} on
     * {@code c} carried values of covariance {@code old} and on one unit noise (source {@code c}).
     */
    private static double[][][] covariance(List<double[][]> q, double[][][] old, int c) {
        int n = q.size();
        int d = q.get(0)[0].length;
        double[][][] cov = new double[n][n][];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b <= a; b++) {
                double[][] la = q.get(a);
                double[][] lb = q.get(b);
                double[] out = new double[d];
                for (int i = 0; i < d; i++) {
                    double sum = la[c][i] * lb[c][i];
                    for (int p = 0; p < c; p++) {
                        for (int r = 0; r < c; r++) {
                            sum += la[p][i] * (p >= r ? old[p][r][i] : old[r][p][i]) * lb[r][i];
                        }
                    }
                    out[i] = sum;
                }
                cov[a][b] = out;
                cov[b][a] = out;
            }
        }
        return cov;
    }

    // ---------------------------------------------------------------- full-matrix engine

    /**
     * The carried values other than {@code xhat}: their means, the joint covariance of all carried values
     * ({@code xhat} first; column-major, order {@code c n}) and their noise levels.
     */
    private record LawCarry(double[][] means, double[] cov, double[] sigmas, int steps) implements Carry {
    }

    /**
     * A quantity as an affine map of the sources: {@code sum_p G_p source_p + k}, each {@code G_p} column-major
     * {@code n x n}, the last source the step's noise.
     */
    record Affine(double[][] g, double[] k) {
    }

    private record Maps(LinearScore score, ForwardProcess schedule, int n) implements MultistepMethod.Iterate<Affine> {
        @Override
        public Affine plus(Affine x, double a, Affine y) {
            double[][] g = new double[x.g().length][];
            for (int p = 0; p < g.length; p++) {
                g[p] = Matrices.combine(1, x.g()[p], a, y.g()[p]);
            }
            return new Affine(g, Matrices.combine(1, x.k(), a, y.k()));
        }

        @Override
        public Affine times(double a, Affine x) {
            double[][] g = new double[x.g().length][];
            for (int p = 0; p < g.length; p++) {
                g[p] = Matrices.combine(a, x.g()[p], 0, x.g()[p]);
            }
            return new Affine(g, Matrices.combine(a, x.k(), 0, x.k()));
        }

        @Override
        public Affine epsilon(Affine x, double t) {
            NoiseLevelScheme.Affine e = NoiseLevelScheme.epsilonMap(score, schedule, t);
            double[][] g = new double[x.g().length][];
            for (int p = 0; p < g.length; p++) {
                g[p] = Matrices.times(n, e.g(), x.g()[p]);
            }
            double[] k = Matrices.apply(n, e.g(), x.k());
            for (int i = 0; i < n; i++) {
                k[i] += e.k()[i];
            }
            return new Affine(g, k);
        }

        @Override
        public Affine noise(Affine x, double sd) {
            double[][] g = x.g().clone();
            int last = g.length - 1;
            g[last] = g[last].clone();
            for (int i = 0; i < n; i++) {
                g[last][i * n + i] += sd;
            }
            return new Affine(g, x.k());
        }
    }

    @Override
    public GaussianLaw step(GaussianLaw law, LinearScore score, ForwardProcess schedule, double tFrom, double tTo) {
        int n = law.n();
        LawCarry carry = (LawCarry) law.carry();
        double[] pastSigma = carry == null ? new double[0] : carry.sigmas();
        int c = carry == null ? 1 : 1 + carry.means().length;
        double aFrom = schedule.scale(tFrom);
        double[][] means = new double[c][];
        means[0] = scaled(1 / aFrom, law.mean());
        double[] cov = new double[c * n * c * n];
        if (carry != null) {
            System.arraycopy(carry.means(), 0, means, 1, c - 1);
            System.arraycopy(carry.cov(), 0, cov, 0, cov.length);
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                cov[j * c * n + i] = law.cov()[j * n + i] / (aFrom * aFrom);
            }
        }
        Affine x = unitMap(c + 1, 0, n);
        List<Affine> past = new ArrayList<>();
        for (int j = 1; j < c; j++) {
            past.add(unitMap(c + 1, j, n));
        }
        double s = schedule.noiseLevel(tFrom);
        MultistepMethod.Advance<Affine> a = method.advance(new Maps(score, schedule, n), x, past, pastSigma,
                carry == null ? 0 : carry.steps(), s, tFrom, schedule.noiseLevel(tTo));
        List<Affine> next = carried(a);
        int c2 = next.size();
        // L: (c2 n) x ((c + 1) n), the sources' joint covariance with the noise's identity block appended
        int rows = c2 * n;
        int cols = (c + 1) * n;
        double[] l = new double[rows * cols];
        double[] shift = new double[rows];
        for (int q = 0; q < c2; q++) {
            Affine map = next.get(q);
            for (int p = 0; p <= c; p++) {
                for (int j = 0; j < n; j++) {
                    System.arraycopy(map.g()[p], j * n, l, (p * n + j) * rows + q * n, n);
                }
            }
            double[] k = map.k().clone();
            for (int p = 0; p < c; p++) {
                double[] gm = Matrices.apply(n, map.g()[p], means[p]);
                for (int i = 0; i < n; i++) {
                    k[i] += gm[i];
                }
            }
            System.arraycopy(k, 0, shift, q * n, n);
        }
        double[] sources = new double[cols * cols];
        for (int j = 0; j < c * n; j++) {
            System.arraycopy(cov, j * c * n, sources, j * cols, c * n);
        }
        for (int i = c * n; i < cols; i++) {
            sources[i * cols + i] = 1;
        }
        double[] ls = new double[rows * cols];
        NativeBlas.blas().dgemm("N", "N", rows, cols, cols, 1.0, l, rows, sources, cols, 0.0, ls, rows);
        double[] joint = new double[rows * rows];
        NativeBlas.blas().dgemm("N", "T", rows, rows, cols, 1.0, ls, rows, l, rows, 0.0, joint, rows);
        joint = Matrices.symmetrize(rows, joint);
        double aTo = schedule.scale(tTo);
        double[] xCov = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                xCov[j * n + i] = aTo * aTo * joint[j * rows + i];
            }
        }
        double[][] carriedMeans = new double[c2 - 1][];
        for (int q = 1; q < c2; q++) {
            carriedMeans[q - 1] = Arrays.copyOfRange(shift, q * n, (q + 1) * n);
        }
        return new GaussianLaw(n, scaled(aTo, Arrays.copyOf(shift, n)), xCov,
                new LawCarry(carriedMeans, joint, a.pastSigma(), carry == null ? 1 : carry.steps() + 1));
    }

    /**
     * The step on one coordinate as a matrix on its sources (docs/theory.md 15.3, "the pairs in closed form"): rows
     * the carried quantities after the step (the state first, then the saved values), columns the sources (the state,
     * the saved values, then the step's unit noise), the state in its own units, the saved ones in {@code xhat}
     * units. {@code law} gives what is carried (its moments are not read); the score's offset is not either
     * ({@link #laneOffset}).
     */
    public double[][] laneMap(GaussianLaw law, LinearScore score, ForwardProcess schedule, double tFrom, double tTo) {
        List<Affine> next = lane(law, score, schedule, tFrom, tTo);
        int c = next.get(0).g().length - 1;
        double aFrom = schedule.scale(tFrom);
        double aTo = schedule.scale(tTo);
        double[][] map = new double[next.size()][c + 1];
        for (int q = 0; q < map.length; q++) {
            for (int p = 0; p <= c; p++) {
                // the state enters as xhat = x / alpha_from and leaves as alpha_to xhat'
                map[q][p] = next.get(q).g()[p][0] * (p == 0 ? 1 / aFrom : 1) * (q == 0 ? aTo : 1);
            }
        }
        return map;
    }

    /**
     * What the score's offset adds to the carried quantities of {@link #laneMap} over the step, from zero sources,
     * in the same units: the mean's response to it (docs/theory.md 15.3, "with saved values").
     */
    public double[] laneOffset(GaussianLaw law, LinearScore score, ForwardProcess schedule, double tFrom,
                               double tTo) {
        List<Affine> next = lane(law, score, schedule, tFrom, tTo);
        double aTo = schedule.scale(tTo);
        double[] offset = new double[next.size()];
        for (int q = 0; q < offset.length; q++) {
            offset[q] = next.get(q).k()[0] * (q == 0 ? aTo : 1);
        }
        return offset;
    }

    /** The carried quantities after the step on one coordinate, affine in the sources of {@link #laneMap}. */
    private List<Affine> lane(GaussianLaw law, LinearScore score, ForwardProcess schedule, double tFrom, double tTo) {
        if (law.n() != 1) {
            throw new IllegalArgumentException("a lane map is the step on one coordinate, not " + law.n());
        }
        LawCarry carry = (LawCarry) law.carry();
        double[] pastSigma = carry == null ? new double[0] : carry.sigmas();
        int c = carry == null ? 1 : 1 + carry.means().length;
        Affine x = unitMap(c + 1, 0, 1);
        List<Affine> past = new ArrayList<>();
        for (int j = 1; j < c; j++) {
            past.add(unitMap(c + 1, j, 1));
        }
        MultistepMethod.Advance<Affine> a = method.advance(new Maps(score, schedule, 1), x, past, pastSigma,
                carry == null ? 0 : carry.steps(), schedule.noiseLevel(tFrom), tFrom, schedule.noiseLevel(tTo));
        return carried(a);
    }

    private static Affine unitMap(int sources, int p, int n) {
        double[][] g = new double[sources][n * n];
        for (int i = 0; i < n; i++) {
            g[p][i * n + i] = 1;
        }
        return new Affine(g, new double[n]);
    }

    private static double[] scaled(double a, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = a * x[i];
        }
        return y;
    }

    // ---------------------------------------------------------------- particles

    /** The carried values of every particle ({@code d x M} blocks, {@code xhat} units) and their noise levels. */
    private record ParticleCarry(List<double[]> past, double[] sigmas, int steps) implements Carry {
    }

    private record Particles(NoiseLevelScheme.Particles base, ParticleBlock block, RandomGenerator rng)
            implements MultistepMethod.Iterate<double[]> {
        @Override
        public double[] plus(double[] x, double a, double[] y) {
            double[] z = new double[x.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = x[i] + a * y[i];
            }
            return z;
        }

        @Override
        public double[] times(double a, double[] x) {
            return scaled(a, x);
        }

        @Override
        public double[] epsilon(double[] x, double t) {
            return base.epsilon(x, t);
        }

        @Override
        public double[] noise(double[] x, double sd) {
            double[] z = new double[x.length];
            block.fillNoise(rng, z);
            for (int i = 0; i < z.length; i++) {
                z[i] = x[i] + sd * z[i];
            }
            return z;
        }
    }

    @Override
    public void step(ParticleBlock particles, LinearScore score, ForwardProcess schedule, double tFrom, double tTo,
                     RandomGenerator rng) {
        ParticleCarry carry = (ParticleCarry) particles.carry;
        List<double[]> past = carry == null ? List.of() : carry.past();
        double[] pastSigma = carry == null ? new double[0] : carry.sigmas();
        double s = schedule.noiseLevel(tFrom);
        double[] x = scaled(1 / schedule.scale(tFrom), particles.x);
        MultistepMethod.Advance<double[]> a = method.advance(
                new Particles(new NoiseLevelScheme.Particles(score, schedule, particles.d, particles.m), particles, rng), x, past,
                pastSigma, carry == null ? 0 : carry.steps(), s, tFrom, schedule.noiseLevel(tTo));
        double aTo = schedule.scale(tTo);
        double[] spare = particles.spare();
        for (int i = 0; i < spare.length; i++) {
            spare[i] = aTo * a.next()[i];
        }
        particles.swap();
        particles.carry = new ParticleCarry(List.copyOf(a.past()), a.pastSigma(), carry == null ? 1 : carry.steps() + 1);
    }
}
