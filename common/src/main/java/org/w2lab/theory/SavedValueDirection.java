package org.w2lab.theory;

import java.util.Arrays;

/**
 * The training set's direction on the pairs of a multistep sampler (docs/theory.md 15.3, "with saved values"), carried
 * forward step by step: with {@code S~} a joint covariance with the noise's unit variance appended,
 * {@code C = Cov(z_i, z_j)} and the second orders {@code S2_i}, {@code S2_j} follow
 * {@code C <- F_i C~ F_j^T + dP_ij F1 S~_j F_j^T + dP_ji F_i S~_i F1^T} and
 * {@code S2_i <- F_i S2~_i F_i^T + dP_ij (F1 C~^T F_i^T + F_i C~ F1^T) + dP_ij^2 F1 S~_j F1^T}, per unit {@code E_ij},
 * where the direction moves {@code P_ij} by {@code dP_ij = unit_k sigma^2 / ((lambda_i + sigma^2)(lambda_j +
 * sigma^2))} times the share of column {@code j} reached. For one {@code i} every {@code j > i} is a lane of the same
 * arrays (each matrix entry an array over {@code j}), so the loops over {@code j} vectorize; each lane runs the
 * products in the order of {@link LaneMaps#sandwich} and {@link LaneMaps#add}.
 */
final class SavedValueDirection {
    /** Receives, after a step it asked for, the entries (0, 0) of {@code C}, {@code S2_i} and {@code S2_j} per lane. */
    interface Visitor {
        void after(int k, double[] c, double[] s2i, double[] s2j);
    }

    private final LaneMaps lanes;
    private final double[] unit;
    private final double[] noise2;
    private final double[][] reached;
    private final double[] lambda;
    private final int d;
    private final int size;
    /** Per step, {@code F1} and each coordinate's map and noisy covariance, entry by entry, over the coordinates. */
    private final double[][][][] f1;
    private final double[][][][] map;
    private final double[][][][] noisy;
    /** Coordinate {@code i}'s map and noisy covariance at the current step, copied to every lane. */
    private final double[][][] fi;
    private final double[][][] si;
    private double[][][] gen;
    private double[][][] gen2i;
    private double[][][] gen2j;
    private double[][][] nextGen;
    private double[][][] next2i;
    private double[][][] next2j;
    private final double[][][] t1;
    private final double[][][] t2;
    private final double[][][] t3;
    private final double[][][] t4;
    private final double[][][] product;
    private final double[] pij;
    private final double[] pji;
    private final double[] pij2;
    private final double[] pji2;

    /** @param reached each level's share of the way to the dataset optimum, per column */
    SavedValueDirection(LaneMaps lanes, double[][] reached, double[] lambda) {
        this.lanes = lanes;
        this.unit = lanes.unit;
        this.noise2 = lanes.noise2;
        this.reached = reached;
        this.lambda = lambda;
        this.d = lambda.length;
        int steps = lanes.f1.length;
        int largest = 0;
        f1 = new double[steps][][][];
        map = new double[steps][][][];
        noisy = new double[steps][][][];
        for (int k = 0; k < steps; k++) {
            largest = Math.max(largest, Math.max(lanes.f1[k].length, lanes.f1[k][0].length));
            f1[k] = spread(lanes.f1[k]);
            map[k] = gather(lanes.map, k);
            noisy[k] = gather(lanes.noisy, k);
        }
        size = largest + 1;
        fi = new double[size][size][d];
        si = new double[size][size][d];
        gen = new double[size][size][d];
        gen2i = new double[size][size][d];
        gen2j = new double[size][size][d];
        nextGen = new double[size][size][d];
        next2i = new double[size][size][d];
        next2j = new double[size][size][d];
        t1 = new double[size][size][d];
        t2 = new double[size][size][d];
        t3 = new double[size][size][d];
        t4 = new double[size][size][d];
        product = new double[size][size][d];
        pij = new double[d];
        pji = new double[d];
        pij2 = new double[d];
        pji2 = new double[d];
    }

    /** A matrix the same for every coordinate, entry by entry over the coordinates. */
    private double[][][] spread(double[][] m) {
        double[][][] out = new double[m.length][m[0].length][d];
        for (int r = 0; r < m.length; r++) {
            for (int q = 0; q < m[r].length; q++) {
                Arrays.fill(out[r][q], m[r][q]);
            }
        }
        return out;
    }

    /** Each coordinate's matrix at step {@code k}, entry by entry over the coordinates. */
    private double[][][] gather(double[][][][] perCoordinate, int k) {
        double[][] first = perCoordinate[0][k];
        double[][][] out = new double[first.length][first[0].length][d];
        for (int j = 0; j < d; j++) {
            double[][] m = perCoordinate[j][k];
            for (int r = 0; r < m.length; r++) {
                for (int q = 0; q < m[r].length; q++) {
                    out[r][q][j] = m[r][q];
                }
            }
        }
        return out;
    }

    /** The direction of every pair {@code (i, j > i)} from zero, step after step; {@code report[k]}: visit after k. */
    void run(int i, boolean[] report, Visitor visitor) {
        int from = i + 1;
        if (from >= d) {
            return;
        }
        for (double[][][] m : new double[][][][] {gen, gen2i, gen2j}) {
            for (double[][] row : m) {
                for (double[] entry : row) {
                    Arrays.fill(entry, from, d, 0);
                }
            }
        }
        double li = lambda[i];
        for (int k = 0; k < f1.length; k++) {
            int e = lanes.level[k];
            double[][] fiK = lanes.map[i][k];
            double[][] siK = lanes.noisy[i][k];
            int rows = fiK.length;
            int inner = fiK[0].length;
            for (int r = 0; r < rows; r++) {
                for (int q = 0; q < inner; q++) {
                    Arrays.fill(fi[r][q], from, d, fiK[r][q]);
                }
            }
            for (int p = 0; p < inner; p++) {
                for (int q = 0; q < inner; q++) {
                    Arrays.fill(si[p][q], from, d, siK[p][q]);
                }
            }
            double n2 = noise2[k];
            double u = unit[k];
            double[] reachedE = reached[e];
            double reachedI = reachedE[i];
            for (int j = from; j < d; j++) {
                double move = n2 / ((li + n2) * (lambda[j] + n2));
                pij[j] = u * move * reachedE[j];
                pji[j] = u * move * reachedI;
                pij2[j] = pij[j] * pij[j];
                pji2[j] = pji[j] * pji[j];
            }
            double[][][] f1K = f1[k];
            double[][][] fj = map[k];
            double[][][] sj = noisy[k];
            sandwich(fi, gen2i, false, fi, rows, inner, t1, from);
            sandwich(f1K, gen, true, fi, rows, inner, t2, from);
            sandwich(fi, gen, false, f1K, rows, inner, t3, from);
            sandwich(f1K, sj, false, f1K, rows, inner, t4, from);
            combine(rows, pij, pij, pij2, next2i, from);
            sandwich(fj, gen2j, false, fj, rows, inner, t1, from);
            sandwich(f1K, gen, false, fj, rows, inner, t2, from);
            sandwich(fj, gen, true, f1K, rows, inner, t3, from);
            sandwich(f1K, si, false, f1K, rows, inner, t4, from);
            combine(rows, pji, pji, pji2, next2j, from);
            sandwich(fi, gen, false, fj, rows, inner, t1, from);
            sandwich(f1K, sj, false, fj, rows, inner, t2, from);
            sandwich(fi, si, false, f1K, rows, inner, t3, from);
            combine(rows, pij, pji, null, nextGen, from);
            clear(nextGen, next2i, next2j, rows, from);
            swap();
            if (report[k]) {
                visitor.after(k, gen[0][0], gen2i[0][0], gen2j[0][0]);
            }
        }
    }

    /**
     * {@code out = a b c^T} in every lane from {@code from}, {@code b} (or its transpose) the first {@code inner} rows
     * and columns of its matrix, {@code c} with {@code rows} rows.
     */
    private void sandwich(double[][][] a, double[][][] b, boolean transposed, double[][][] c, int rows, int inner,
                          double[][][] out, int from) {
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < inner; q++) {
                double[] sum = product[r][q];
                Arrays.fill(sum, from, d, 0);
                for (int p = 0; p < inner; p++) {
                    double[] x = a[r][p];
                    double[] y = transposed ? b[q][p] : b[p][q];
                    for (int j = from; j < d; j++) {
                        sum[j] += x[j] * y[j];
                    }
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < rows; s++) {
                double[] sum = out[r][s];
                Arrays.fill(sum, from, d, 0);
                for (int q = 0; q < inner; q++) {
                    double[] x = product[r][q];
                    double[] y = c[s][q];
                    for (int j = from; j < d; j++) {
                        sum[j] += x[j] * y[j];
                    }
                }
            }
        }
    }

    /** {@code ((t1 + x t2) + y t3) + z t4} in every lane, without the last term where {@code z} is null. */
    private void combine(int rows, double[] x, double[] y, double[] z, double[][][] out, int from) {
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < rows; s++) {
                double[] o = out[r][s];
                double[] a1 = t1[r][s];
                double[] a2 = t2[r][s];
                double[] a3 = t3[r][s];
                if (z == null) {
                    for (int j = from; j < d; j++) {
                        o[j] = (a1[j] + x[j] * a2[j]) + y[j] * a3[j];
                    }
                } else {
                    double[] a4 = t4[r][s];
                    for (int j = from; j < d; j++) {
                        o[j] = ((a1[j] + x[j] * a2[j]) + y[j] * a3[j]) + z[j] * a4[j];
                    }
                }
            }
        }
    }

    /** The next noise's row and column of the step's results, zero (the carried values are {@code rows}). */
    private void clear(double[][][] a, double[][][] b, double[][][] c, int rows, int from) {
        if (rows >= size) {
            return;
        }
        for (double[][][] m : new double[][][][] {a, b, c}) {
            for (int r = 0; r <= rows; r++) {
                Arrays.fill(m[r][rows], from, d, 0);
                Arrays.fill(m[rows][r], from, d, 0);
            }
        }
    }

    /** The step's results become the kept matrices. */
    private void swap() {
        double[][][] old = gen;
        gen = nextGen;
        nextGen = old;
        old = gen2i;
        gen2i = next2i;
        next2i = old;
        old = gen2j;
        gen2j = next2j;
        next2j = old;
    }
}
