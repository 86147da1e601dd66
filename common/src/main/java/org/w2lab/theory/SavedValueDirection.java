package org.w2lab.theory;

import java.util.Arrays;

/**
 * The training set's direction on a pair of coordinates of a multistep sampler (docs/theory.md 15.3, "with saved
 * values"), carried forward step by step without allocating: with {@code S~} a joint covariance with the noise's unit
 * variance appended, {@code C = Cov(z_i, z_j)} and the second orders {@code S2_i}, {@code S2_j} follow
 * {@code C <- F_i C~ F_j^T + dP_ij F1 S~_j F_j^T + dP_ji F_i S~_i F1^T} and
 * {@code S2_i <- F_i S2~_i F_i^T + dP_ij (F1 C~^T F_i^T + F_i C~ F1^T) + dP_ij^2 F1 S~_j F1^T}, per unit {@code E_ij},
 * where the direction moves {@code P_ij} by {@code dP_ij = unit_k sigma^2 / ((lambda_i + sigma^2)(lambda_j +
 * sigma^2))} times the share of column {@code j} reached. The products run in the order of {@link LaneMaps#sandwich}
 * and {@link LaneMaps#add}, into kept buffers.
 */
final class SavedValueDirection {
    /** Receives the entries (0, 0) of {@code C}, {@code S2_i} and {@code S2_j} after each step. */
    interface Visitor {
        void after(int k, double c, double s2i, double s2j);
    }

    private final LaneMaps lanes;
    private final double[] unit;
    private final double[] noise2;
    private final double[][] reached;
    private final int size;
    private double[][] gen;
    private double[][] gen2i;
    private double[][] gen2j;
    private double[][] nextGen;
    private double[][] next2i;
    private double[][] next2j;
    private final double[][] t1;
    private final double[][] t2;
    private final double[][] t3;
    private final double[][] t4;
    private final double[][] product;

    /**
     * @param unit    each step's {@code -1 / noise(t)} at its level
     * @param noise2  each step's {@code sigma(t)^2} at its level
     * @param reached each level's share of the way to the dataset optimum, per column
     */
    SavedValueDirection(LaneMaps lanes, double[] unit, double[] noise2, double[][] reached) {
        this.lanes = lanes;
        this.unit = unit;
        this.noise2 = noise2;
        this.reached = reached;
        int largest = 0;
        for (double[][] f1 : lanes.f1) {
            largest = Math.max(largest, Math.max(f1.length, f1[0].length));
        }
        size = largest + 1;
        gen = new double[size][size];
        gen2i = new double[size][size];
        gen2j = new double[size][size];
        nextGen = new double[size][size];
        next2i = new double[size][size];
        next2j = new double[size][size];
        t1 = new double[size][size];
        t2 = new double[size][size];
        t3 = new double[size][size];
        t4 = new double[size][size];
        product = new double[size][size];
    }

    /** The direction of the pair {@code (i, j)} from zero, step after step. */
    void run(int i, int j, double li, double lj, Visitor visitor) {
        for (double[][] m : new double[][][] {gen, gen2i, gen2j}) {
            for (double[] row : m) {
                Arrays.fill(row, 0);
            }
        }
        for (int k = 0; k < lanes.f1.length; k++) {
            int e = lanes.level[k];
            double[][] f1 = lanes.f1[k];
            double[][] fi = lanes.map[i][k];
            double[][] fj = lanes.map[j][k];
            double[][] si = lanes.noisy[i][k];
            double[][] sj = lanes.noisy[j][k];
            double move = noise2[k] / ((li + noise2[k]) * (lj + noise2[k]));
            double pij = unit[k] * move * reached[e][j];
            double pji = unit[k] * move * reached[e][i];
            int rows = fi.length;
            int inner = fi[0].length;
            sandwich(fi, gen2i, false, fi, rows, inner, t1);
            sandwich(f1, gen, true, fi, rows, inner, t2);
            sandwich(fi, gen, false, f1, rows, inner, t3);
            sandwich(f1, sj, false, f1, rows, inner, t4);
            combine(rows, pij, pij, true, pij * pij, next2i);
            sandwich(fj, gen2j, false, fj, rows, inner, t1);
            sandwich(f1, gen, false, fj, rows, inner, t2);
            sandwich(fj, gen, true, f1, rows, inner, t3);
            sandwich(f1, si, false, f1, rows, inner, t4);
            combine(rows, pji, pji, true, pji * pji, next2j);
            sandwich(fi, gen, false, fj, rows, inner, t1);
            sandwich(f1, sj, false, fj, rows, inner, t2);
            sandwich(fi, si, false, f1, rows, inner, t3);
            combine(rows, pij, pji, false, 0, nextGen);
            advance(rows);
            visitor.after(k, gen[0][0], gen2i[0][0], gen2j[0][0]);
        }
    }

    /** {@code out = a b c^T}, {@code b} (or its transpose) the first {@code inner} rows and columns of a kept matrix. */
    private void sandwich(double[][] a, double[][] b, boolean transposed, double[][] c, int rows, int inner,
                          double[][] out) {
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < inner; q++) {
                double sum = 0;
                for (int p = 0; p < inner; p++) {
                    sum += a[r][p] * (transposed ? b[q][p] : b[p][q]);
                }
                product[r][q] = sum;
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < c.length; s++) {
                double sum = 0;
                for (int q = 0; q < inner; q++) {
                    sum += product[r][q] * c[s][q];
                }
                out[r][s] = sum;
            }
        }
    }

    /** {@code ((t1 + x t2) + y t3) + z t4}, the last term where {@code withT4}. */
    private void combine(int rows, double x, double y, boolean withT4, double z, double[][] out) {
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < rows; s++) {
                double sum = t1[r][s] + x * t2[r][s];
                sum = sum + y * t3[r][s];
                out[r][s] = withT4 ? sum + z * t4[r][s] : sum;
            }
        }
    }

    /** The step's results become the kept matrices, with the next noise's row and column zero. */
    private void advance(int rows) {
        double[][] old = gen;
        gen = nextGen;
        nextGen = old;
        old = gen2i;
        gen2i = next2i;
        next2i = old;
        old = gen2j;
        gen2j = next2j;
        next2j = old;
        for (double[][] m : new double[][][] {gen, gen2i, gen2j}) {
            for (int r = 0; r <= rows && r < size; r++) {
                if (r == rows) {
                    Arrays.fill(m[r], 0);
                } else {
                    Arrays.fill(m[r], rows, size, 0);
                }
            }
        }
    }
}
