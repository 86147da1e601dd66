package org.w2lab.theory;

import java.util.Arrays;
import org.w2lab.sampler.ExactVpScore;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.MultistepScheme;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.spectrum.Spectrum;

/**
 * A multistep sampler's steps on one coordinate (docs/theory.md 15.3, "with saved values"): step {@code k} is the
 * matrix {@code F0_k + p F1_k} on its sources (the state, the saved values, the unit noise), read off the step with
 * a constant score matrix {@code p} at 0, 1 and 2 (checked affine, the noise's column checked unmoved); the level
 * each step evaluates, each coordinate's map (its exact score matrix there in {@code p}) and its exact joint
 * covariance of its carried values before each step; what a unit offset of the score adds to the carried values
 * (read at {@code p} = 0 and 1, checked the same). With the small dense products the pairs' recursions use.
 */
final class LaneMaps {
    /** Each step's {@code F0} and {@code F1}: rows the carried values after it, columns its sources. */
    final double[][][] f0;
    final double[][][] f1;
    /** Each step's response of its carried values to a unit offset of the score at its evaluation. */
    final double[][] offset;
    /** The level each step evaluates. */
    final int[] level;
    /**
     * Each step's {@code -1 / noise(t)} (what a unit move of the denoiser adds to the score matrix) and
     * {@code sigma(t)^2}, at its level.
     */
    final double[] unit;
    final double[] noise2;
    /** Each coordinate's exact joint covariance of its carried values before each step ... */
    final double[][][][] cov;
    /** ... and with the step's unit noise appended. */
    final double[][][][] noisy;
    /** Each coordinate's map at each step: {@code F0 + p_j F1}. */
    final double[][][][] map;

    /**
     * @param initial each coordinate's variance before the first step
     * @throws IllegalStateException where the sampler's steps are not of this form
     */
    LaneMaps(MultistepScheme scheme, ForwardProcess process, TimeGrid grid, EvaluationLevels levels,
             Spectrum spectrum, double[] initial) {
        int steps = grid.steps();
        int d = spectrum.dimension();
        this.f0 = new double[steps][][];
        this.f1 = new double[steps][][];
        this.offset = new double[steps][];
        this.level = new int[steps];
        this.unit = new double[steps];
        this.noise2 = new double[steps];
        this.cov = new double[d][steps + 1][][];
        this.noisy = new double[d][steps][][];
        this.map = new double[d][steps][][];
        Arrays.fill(level, -1);
        for (int e = 0; e < levels.count(); e++) {
            if (level[levels.first(e)] >= 0) {
                throw new IllegalStateException("two levels in one step");
            }
            level[levels.first(e)] = e;
        }
        ExactVpScore exact = new ExactVpScore(process, spectrum.lambda(), null, new double[d]);
        ExactVpScore one = new ExactVpScore(process, new double[] {spectrum.lambda(0)}, null, new double[1]);
        GaussianLaw law = GaussianLaw.standard(1);
        for (int k = 0; k < steps; k++) {
            if (level[k] < 0) {
                throw new IllegalStateException("a step without its own level");
            }
            double t = levels.time(level[k]);
            unit[k] = -1 / process.noise(t);
            double sigma = process.noiseLevel(t);
            noise2[k] = sigma * sigma;
            double[][][] at = new double[3][][];
            for (int q = 0; q < 3; q++) {
                at[q] = scheme.laneMap(law, constant(q, 0), process, grid.forward(k), grid.forward(k + 1));
            }
            offset[k] = scheme.laneOffset(law, constant(0, 1), process, grid.forward(k), grid.forward(k + 1));
            double[] moved = scheme.laneOffset(law, constant(1, 1), process, grid.forward(k), grid.forward(k + 1));
            f0[k] = at[0];
            f1[k] = add(at[1], -1, at[0]);
            double scale = 0;
            for (double[] row : at[2]) {
                for (double x : row) {
                    scale = Math.max(scale, Math.abs(x));
                }
            }
            int noise = at[0][0].length - 1;
            for (int r = 0; r < at[0].length; r++) {
                for (int q = 0; q <= noise; q++) {
                    boolean affine = Math.abs(at[2][r][q] - 2 * at[1][r][q] + at[0][r][q]) <= 1e-12 * scale;
                    boolean steady = q < noise || Math.abs(at[1][r][q] - at[0][r][q]) <= 1e-12 * scale;
                    if (!affine || !steady) {
                        throw new IllegalStateException("not one evaluation on the carried values");
                    }
                }
                if (Math.abs(moved[r] - offset[k][r]) > 1e-12 * Math.max(scale, Math.abs(offset[k][r]))) {
                    throw new IllegalStateException("the score's offset moved with its matrix");
                }
            }
            // the score matrix of each coordinate at the step's level
            double[] p = exact.diagonalAt(levels.time(level[k]), new double[d]);
            for (int j = 0; j < d; j++) {
                map[j][k] = add(f0[k], p[j], f1[k]);
            }
            law = scheme.step(law, one, process, grid.forward(k), grid.forward(k + 1));
        }
        for (int j = 0; j < d; j++) {
            cov[j][0] = new double[][] {{initial[j]}};
            for (int k = 0; k < steps; k++) {
                noisy[j][k] = withNoise(cov[j][k], 1);
                cov[j][k + 1] = sandwich(map[j][k], noisy[j][k], map[j][k]);
            }
        }
    }

    /** The one-coordinate score {@code p x + c} at every time. */
    private static LinearScore constant(double p, double c) {
        return new LinearScore() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void at(double t, double[] pOut, double[] cOut) {
                pOut[0] = p;
                cOut[0] = c;
            }
        };
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int q = 0; q < a.length; q++) {
            sum += a[q] * b[q];
        }
        return sum;
    }

    /** {@code x^T s x}. */
    static double quadratic(double[] x, double[][] s) {
        double sum = 0;
        for (int q = 0; q < x.length; q++) {
            for (int p = 0; p < x.length; p++) {
                sum += x[q] * s[q][p] * x[p];
            }
        }
        return sum;
    }

    /** {@code a b c^T}. */
    static double[][] sandwich(double[][] a, double[][] b, double[][] c) {
        int inner = b.length;
        double[][] ab = new double[a.length][inner];
        for (int r = 0; r < a.length; r++) {
            for (int q = 0; q < inner; q++) {
                double sum = 0;
                for (int p = 0; p < inner; p++) {
                    sum += a[r][p] * b[p][q];
                }
                ab[r][q] = sum;
            }
        }
        double[][] out = new double[a.length][c.length];
        for (int r = 0; r < a.length; r++) {
            for (int s = 0; s < c.length; s++) {
                double sum = 0;
                for (int q = 0; q < inner; q++) {
                    sum += ab[r][q] * c[s][q];
                }
                out[r][s] = sum;
            }
        }
        return out;
    }

    /** The covariance with the step's unit noise appended as a last source: {@code noise} on its diagonal. */
    static double[][] withNoise(double[][] cov, double noise) {
        int m = cov.length;
        double[][] out = new double[m + 1][m + 1];
        for (int r = 0; r < m; r++) {
            System.arraycopy(cov[r], 0, out[r], 0, m);
        }
        out[m][m] = noise;
        return out;
    }

    /** {@code a + factor b}. */
    static double[][] add(double[][] a, double factor, double[][] b) {
        double[][] out = new double[a.length][];
        for (int r = 0; r < a.length; r++) {
            out[r] = a[r].clone();
            for (int q = 0; q < out[r].length; q++) {
                out[r][q] += factor * b[r][q];
            }
        }
        return out;
    }
}
