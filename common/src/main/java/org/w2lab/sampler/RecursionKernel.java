package org.w2lab.sampler;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact variance recursions of {@link StochasticScheme} and {@link RungeKuttaScheme} over a run of steps, with
 * the loops turned around: eigenvalues outermost, steps innermost. Every eigenvalue's recursion is a scalar one
 * (docs/theory.md, section 3), so a block of eight eigenvalues (two 256-bit vectors) of two starts stays in
 * registers for the whole run, and a step costs its divisions and arithmetic only, two divisions in flight; the
 * per-step loops load and store the variances of both starts and the eigenvalues at every step, which on the
 * CIFAR-10 spectrum costs more than the division (docs/theory.md, 3.4).
 *
 * <p>Every lane does the operations of the per-step loops in their order and rounding (no fused multiply-add), so
 * the bits are the same ({@code RecursionKernelTest}). Loaded only when the JVM has the {@code jdk.incubator.vector}
 * module ({@link org.w2lab.linalg.Simd}). Eigenvalues past the last full block run in a padded block.
 *
 * <p>Each kernel is written out in Vector API calls, which the JIT always inlines, with no method of ours in
 * between and no loop over stages: the JIT stops inlining ordinary methods past a budget of nodes, and a vector that
 * crosses a call it did not inline, or that an inner loop carries, is boxed, several times slower (measured: RK4
 * with helper methods 3.5 times, a loop over Euler's single stage 9 times).
 */
final class RecursionKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = S.length();
    /** Eigenvalues per block: two vectors. */
    private static final int BLOCK = 2 * L;
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);

    /** The fields of a step of {@link Kernel#STOCHASTIC}: {@code decay, noise, p, r, q}. */
    static final int STOCHASTIC_FIELDS = 5;
    /**
     * The fields of a stage of the Runge-Kutta kernels: {@code decay, noise, D, r / D, w_j = h b_j, h a_j,j-1} (0
     * for the first stage), at the stage's time.
     */
    static final int STAGE_FIELDS = 6;

    /** The recursions. */
    enum Kernel {
        /**
         * {@code v <- (p - r / (decay lambda + noise))^2 v + q}, {@link #STOCHASTIC_FIELDS} numbers per step (see
         * {@link StochasticScheme#step(SpectralState, double, double)}).
         */
        STOCHASTIC,
        /**
         * The explicit Runge-Kutta methods whose every stage after the first takes the stage before it as its only
         * input, {@code v <- R^2 v} (see {@link RungeKuttaScheme#step(SpectralState, double, double)}): stage
         * {@code j} is {@code g_j = D (r/D - kappa) (1 + h a_j,j-1 g_j-1)} (the first without the last factor),
         * {@code R = 1 + sum_j w_j g_j}, {@code kappa = 1 / (decay lambda + noise)}, {@link #STAGE_FIELDS} numbers
         * per stage and step, stage fastest. Nodes {@code (0)}.
         */
        EULER,
        /** As {@link #EULER}, nodes {@code (0, 1)}. */
        HEUN,
        /** As {@link #EULER}, nodes {@code (0, c, c, 1)}. */
        RK4
    }

    private RecursionKernel() {
    }

    /**
     * Runs {@code steps} steps of a recursion on two starts.
     *
     * @param coef the step's numbers, as the kernel says
     */
    static void run(Kernel kernel, double[] lambda, double[] va, double[] vb, double[] coef, int steps) {
        int full = lambda.length - lambda.length % BLOCK;
        blocks(kernel, lambda, va, vb, full, coef, steps);
        if (full < lambda.length) {
            Padded p = new Padded(lambda, va, vb, full);
            blocks(kernel, p.lambda, p.va, p.vb, BLOCK, coef, steps);
            p.copyBack(va, vb, full);
        }
    }

    /** The first {@code length} eigenvalues, whole blocks; a loop per kernel, so that each is compiled alone. */
    private static void blocks(Kernel kernel, double[] lambda, double[] va, double[] vb, int length, double[] coef,
                               int steps) {
        switch (kernel) {
            case STOCHASTIC -> {
                for (int i = 0; i < length; i += BLOCK) {
                    stochastic(lambda, va, vb, i, coef, steps);
                }
            }
            case EULER -> {
                for (int i = 0; i < length; i += BLOCK) {
                    euler(lambda, va, vb, i, coef, steps);
                }
            }
            case HEUN -> {
                for (int i = 0; i < length; i += BLOCK) {
                    heun(lambda, va, vb, i, coef, steps);
                }
            }
            case RK4 -> {
                for (int i = 0; i < length; i += BLOCK) {
                    rk4(lambda, va, vb, i, coef, steps);
                }
            }
        }
    }

    private static void stochastic(double[] lambda, double[] va, double[] vb, int i, double[] coef, int steps) {
        DoubleVector l0 = DoubleVector.fromArray(S, lambda, i);
        DoubleVector l1 = DoubleVector.fromArray(S, lambda, i + L);
        DoubleVector a0 = DoubleVector.fromArray(S, va, i);
        DoubleVector a1 = DoubleVector.fromArray(S, va, i + L);
        DoubleVector b0 = DoubleVector.fromArray(S, vb, i);
        DoubleVector b1 = DoubleVector.fromArray(S, vb, i + L);
        for (int k = 0, c = 0; k < steps; k++, c += STOCHASTIC_FIELDS) {
            double decay = coef[c];
            double noise = coef[c + 1];
            DoubleVector p = DoubleVector.broadcast(S, coef[c + 2]);
            DoubleVector r = DoubleVector.broadcast(S, coef[c + 3]);
            double q = coef[c + 4];
            DoubleVector f0 = p.sub(r.div(l0.mul(decay).add(noise)));
            DoubleVector f1 = p.sub(r.div(l1.mul(decay).add(noise)));
            f0 = f0.mul(f0);
            f1 = f1.mul(f1);
            a0 = f0.mul(a0).add(q);
            a1 = f1.mul(a1).add(q);
            b0 = f0.mul(b0).add(q);
            b1 = f1.mul(b1).add(q);
        }
        a0.intoArray(va, i);
        a1.intoArray(va, i + L);
        b0.intoArray(vb, i);
        b1.intoArray(vb, i + L);
    }

    private static void euler(double[] lambda, double[] va, double[] vb, int i, double[] coef, int steps) {
        DoubleVector l0 = DoubleVector.fromArray(S, lambda, i);
        DoubleVector l1 = DoubleVector.fromArray(S, lambda, i + L);
        DoubleVector a0 = DoubleVector.fromArray(S, va, i);
        DoubleVector a1 = DoubleVector.fromArray(S, va, i + L);
        DoubleVector b0 = DoubleVector.fromArray(S, vb, i);
        DoubleVector b1 = DoubleVector.fromArray(S, vb, i + L);
        for (int k = 0, c = 0; k < steps; k++, c += STAGE_FIELDS) {
            double decay = coef[c];
            double noise = coef[c + 1];
            double diffusion = coef[c + 2];
            DoubleVector rate = DoubleVector.broadcast(S, coef[c + 3]);
            double w = coef[c + 4];
            DoubleVector r0 = ONE.add(rate.sub(ONE.div(l0.mul(decay).add(noise))).mul(diffusion).mul(w));
            DoubleVector r1 = ONE.add(rate.sub(ONE.div(l1.mul(decay).add(noise))).mul(diffusion).mul(w));
            DoubleVector square0 = r0.mul(r0);
            DoubleVector square1 = r1.mul(r1);
            a0 = a0.mul(square0);
            a1 = a1.mul(square1);
            b0 = b0.mul(square0);
            b1 = b1.mul(square1);
        }
        a0.intoArray(va, i);
        a1.intoArray(va, i + L);
        b0.intoArray(vb, i);
        b1.intoArray(vb, i + L);
    }

    /** Heun's first stage evaluates the time of the previous step's second: its {@code kappa} carries over. */
    private static void heun(double[] lambda, double[] va, double[] vb, int i, double[] coef, int steps) {
        int f = STAGE_FIELDS;
        DoubleVector l0 = DoubleVector.fromArray(S, lambda, i);
        DoubleVector l1 = DoubleVector.fromArray(S, lambda, i + L);
        DoubleVector a0 = DoubleVector.fromArray(S, va, i);
        DoubleVector a1 = DoubleVector.fromArray(S, va, i + L);
        DoubleVector b0 = DoubleVector.fromArray(S, vb, i);
        DoubleVector b1 = DoubleVector.fromArray(S, vb, i + L);
        DoubleVector k0 = ONE.div(l0.mul(coef[0]).add(coef[1]));
        DoubleVector k1 = ONE.div(l1.mul(coef[0]).add(coef[1]));
        for (int k = 0, c = 0; k < steps; k++, c += 2 * f) {
            DoubleVector rate = DoubleVector.broadcast(S, coef[c + 3]);
            DoubleVector g0 = rate.sub(k0).mul(coef[c + 2]);
            DoubleVector g1 = rate.sub(k1).mul(coef[c + 2]);
            DoubleVector r0 = ONE.add(g0.mul(coef[c + 4]));
            DoubleVector r1 = ONE.add(g1.mul(coef[c + 4]));
            int e = c + f;
            k0 = ONE.div(l0.mul(coef[e]).add(coef[e + 1]));
            k1 = ONE.div(l1.mul(coef[e]).add(coef[e + 1]));
            rate = DoubleVector.broadcast(S, coef[e + 3]);
            g0 = rate.sub(k0).mul(coef[e + 2]).mul(g0.mul(coef[e + 5]).add(ONE));
            g1 = rate.sub(k1).mul(coef[e + 2]).mul(g1.mul(coef[e + 5]).add(ONE));
            r0 = r0.add(g0.mul(coef[e + 4]));
            r1 = r1.add(g1.mul(coef[e + 4]));
            DoubleVector square0 = r0.mul(r0);
            DoubleVector square1 = r1.mul(r1);
            a0 = a0.mul(square0);
            a1 = a1.mul(square1);
            b0 = b0.mul(square0);
            b1 = b1.mul(square1);
        }
        a0.intoArray(va, i);
        a1.intoArray(va, i + L);
        b0.intoArray(vb, i);
        b1.intoArray(vb, i + L);
    }

    /**
     * RK4's first stage evaluates the time of the previous step's last, and its two middle stages the same time:
     * two divisions a step.
     */
    private static void rk4(double[] lambda, double[] va, double[] vb, int i, double[] coef, int steps) {
        int f = STAGE_FIELDS;
        DoubleVector l0 = DoubleVector.fromArray(S, lambda, i);
        DoubleVector l1 = DoubleVector.fromArray(S, lambda, i + L);
        DoubleVector a0 = DoubleVector.fromArray(S, va, i);
        DoubleVector a1 = DoubleVector.fromArray(S, va, i + L);
        DoubleVector b0 = DoubleVector.fromArray(S, vb, i);
        DoubleVector b1 = DoubleVector.fromArray(S, vb, i + L);
        DoubleVector k0 = ONE.div(l0.mul(coef[0]).add(coef[1]));
        DoubleVector k1 = ONE.div(l1.mul(coef[0]).add(coef[1]));
        for (int k = 0, c = 0; k < steps; k++, c += 4 * f) {
            DoubleVector rate = DoubleVector.broadcast(S, coef[c + 3]);
            DoubleVector g0 = rate.sub(k0).mul(coef[c + 2]);
            DoubleVector g1 = rate.sub(k1).mul(coef[c + 2]);
            DoubleVector r0 = ONE.add(g0.mul(coef[c + 4]));
            DoubleVector r1 = ONE.add(g1.mul(coef[c + 4]));
            int m = c + f;
            rate = DoubleVector.broadcast(S, coef[m + 3]);
            DoubleVector m0 = rate.sub(ONE.div(l0.mul(coef[m]).add(coef[m + 1]))).mul(coef[m + 2]);
            DoubleVector m1 = rate.sub(ONE.div(l1.mul(coef[m]).add(coef[m + 1]))).mul(coef[m + 2]);
            g0 = m0.mul(g0.mul(coef[m + 5]).add(ONE));
            g1 = m1.mul(g1.mul(coef[m + 5]).add(ONE));
            r0 = r0.add(g0.mul(coef[m + 4]));
            r1 = r1.add(g1.mul(coef[m + 4]));
            g0 = m0.mul(g0.mul(coef[m + f + 5]).add(ONE));
            g1 = m1.mul(g1.mul(coef[m + f + 5]).add(ONE));
            r0 = r0.add(g0.mul(coef[m + f + 4]));
            r1 = r1.add(g1.mul(coef[m + f + 4]));
            int e = c + 3 * f;
            k0 = ONE.div(l0.mul(coef[e]).add(coef[e + 1]));
            k1 = ONE.div(l1.mul(coef[e]).add(coef[e + 1]));
            rate = DoubleVector.broadcast(S, coef[e + 3]);
            g0 = rate.sub(k0).mul(coef[e + 2]).mul(g0.mul(coef[e + 5]).add(ONE));
            g1 = rate.sub(k1).mul(coef[e + 2]).mul(g1.mul(coef[e + 5]).add(ONE));
            r0 = r0.add(g0.mul(coef[e + 4]));
            r1 = r1.add(g1.mul(coef[e + 4]));
            DoubleVector square0 = r0.mul(r0);
            DoubleVector square1 = r1.mul(r1);
            a0 = a0.mul(square0);
            a1 = a1.mul(square1);
            b0 = b0.mul(square0);
            b1 = b1.mul(square1);
        }
        a0.intoArray(va, i);
        a1.intoArray(va, i + L);
        b0.intoArray(vb, i);
        b1.intoArray(vb, i + L);
    }

    /**
     * The eigenvalues from {@code from} on, fewer than a block, padded to a block with {@code lambda = 1}, {@code v =
     * 1}: finite values whose lanes nobody reads.
     */
    private static final class Padded {
        final double[] lambda = new double[BLOCK];
        final double[] va = new double[BLOCK];
        final double[] vb = new double[BLOCK];

        Padded(double[] lambda, double[] va, double[] vb, int from) {
            java.util.Arrays.fill(this.lambda, 1.0);
            java.util.Arrays.fill(this.va, 1.0);
            java.util.Arrays.fill(this.vb, 1.0);
            int n = lambda.length - from;
            System.arraycopy(lambda, from, this.lambda, 0, n);
            System.arraycopy(va, from, this.va, 0, n);
            System.arraycopy(vb, from, this.vb, 0, n);
        }

        void copyBack(double[] va, double[] vb, int from) {
            int n = va.length - from;
            System.arraycopy(this.va, 0, va, from, n);
            System.arraycopy(this.vb, 0, vb, from, n);
        }
    }
}
