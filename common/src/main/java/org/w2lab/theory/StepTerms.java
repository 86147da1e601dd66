package org.w2lab.theory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.w2lab.sampler.ExactVpScore;
import org.w2lab.schedule.ForwardProcess;

/**
 * What one step of a sampler that keeps nothing between steps does to the learned-score pairs (docs/theory.md 15.3,
 * "the pairs in closed form"), for every coordinate at once: {@code N_s(i, j) = sum_t left_t(i) right_t(j)} over the
 * terms {@code t} of evaluation {@code s}; the training set's move of {@code A_ij} at evaluation {@code s},
 * {@code mu_s(i) rho_s(j)} ({@code sigma^2 / (s_i s_j)} times the share of column {@code j} reached); the paths
 * {@code i -> j -> i}, {@code N2_ii = sum_u pathLeft_u(i) pathRight_u(j)} per unit {@code E_ij}.
 */
final class StepTerms {
    /** The share of the way to the dataset optimum level {@code e} has reached on the column of {@code lambda}. */
    interface Reached {
        double at(int e, double lambda);
    }

    final double[] a;
    /** {@code v^}: the exact-score variance with the noise added before the evaluations. */
    final double[] v;
    /** The levels the step evaluates, each once, the one continued from the step before first ... */
    final int[] levels;
    /** ... the first of their evaluations, and how many. */
    final int[] firstEvaluation;
    final int[] evaluationsAt;
    final int[] evaluation;
    final double[][] left;
    final double[][] right;
    final double[][] mu;
    final double[][] rho;
    final double[][] pathLeft;
    final double[][] pathRight;
    /** Each evaluation's exact score matrix, per coordinate. */
    final double[][] p;

    /**
     * @param polynomial        the step's polynomial in its evaluations
     * @param a                 each coordinate's exact-score factor over the step
     * @param variance          each coordinate's exact-score variance before the step
     * @param levelOfEvaluation the level of each evaluation
     * @param continued         the level whose window the step before left open, or -1
     */
    StepTerms(StepPolynomial polynomial, double[] a, double[] variance, int[] levelOfEvaluation, int continued,
              double[] lambda, ExactVpScore exact, ForwardProcess process, Reached reached) {
        int d = lambda.length;
        int count = polynomial.evaluations();
        this.a = a;
        this.v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = variance[j] + polynomial.before;
        }
        // the level continued from the step before first: it reads the open window before a new one overwrites it
        levels = IntStream.concat(IntStream.of(continued), Arrays.stream(levelOfEvaluation)).filter(e -> e >= 0)
                .distinct().toArray();
        firstEvaluation = new int[levels.length];
        evaluationsAt = new int[levels.length];
        for (int l = 0; l < levels.length; l++) {
            firstEvaluation[l] = -1;
            for (int s = 0; s < levelOfEvaluation.length; s++) {
                if (levelOfEvaluation[s] == levels[l]) {
                    firstEvaluation[l] = firstEvaluation[l] < 0 ? s : firstEvaluation[l];
                    evaluationsAt[l]++;
                }
            }
        }
        p = new double[count][];
        double[] noise = new double[count];
        mu = new double[count][d];
        rho = new double[count][d];
        for (int s = 0; s < count; s++) {
            double t = polynomial.times[s];
            p[s] = exact.diagonalAt(t, new double[d]);
            noise[s] = process.noise(t);
            int e = levelOfEvaluation[s];
            double level = process.noiseLevel(t);
            double s2 = level * level;
            for (int j = 0; j < d; j++) {
                double inverse = 1 / (lambda[j] + s2);
                mu[s][j] = s2 * inverse;
                rho[s][j] = inverse * reached.at(e, lambda[j]);
            }
        }
        // terms with the same left factor share it: their right factors are summed
        Map<Integer, double[]> first = new LinkedHashMap<>();
        Map<Integer, double[]> paths = new LinkedHashMap<>();
        int all = (1 << count) - 1;
        for (int mask = 1; mask <= all; mask++) {
            double cs = polynomial.coefficients[mask];
            for (int s = 0; s < count; s++) {
                if ((mask >> s & 1) == 0) {
                    continue;
                }
                int after = mask & ~((2 << s) - 1);
                add(first.computeIfAbsent(s << 8 | after, key -> new double[d]),
                        monomials(d, mask & ((1 << s) - 1), p, -cs / noise[s]));
                for (int s2 = s + 1; s2 < count; s2++) {
                    if ((mask >> s2 & 1) == 0) {
                        continue;
                    }
                    // lane i before s and after s2, lane j between: i -> j at s, j -> i at s2
                    int outer = (mask & ((1 << s) - 1)) | (mask & ~((2 << s2) - 1));
                    int inner = mask & ~((2 << s) - 1) & ((1 << s2) - 1);
                    add(paths.computeIfAbsent(s << 16 | s2 << 8 | outer, key -> new double[d]),
                            monomials(d, inner, p, cs / (noise[s] * noise[s2])));
                }
            }
        }
        evaluation = new int[first.size()];
        left = new double[first.size()][];
        right = new double[first.size()][];
        int t = 0;
        for (Map.Entry<Integer, double[]> term : first.entrySet()) {
            evaluation[t] = term.getKey() >> 8;
            left[t] = monomials(d, term.getKey() & 0xff, p, 1);
            right[t] = term.getValue();
            t++;
        }
        pathLeft = new double[paths.size()][];
        pathRight = new double[paths.size()][];
        int u = 0;
        for (Map.Entry<Integer, double[]> term : paths.entrySet()) {
            int s = term.getKey() >> 16;
            int s2 = term.getKey() >> 8 & 0xff;
            pathLeft[u] = monomials(d, term.getKey() & 0xff, p, 1);
            pathRight[u] = term.getValue();
            for (int j = 0; j < d; j++) {
                pathLeft[u][j] *= rho[s][j] * mu[s2][j];
                pathRight[u][j] *= mu[s][j] * rho[s2][j];
            }
            u++;
        }
    }

    private static void add(double[] to, double[] term) {
        for (int j = 0; j < to.length; j++) {
            to[j] += term[j];
        }
    }

    /** {@code factor prod_{s in mask} p_s(j)} for every coordinate. */
    private static double[] monomials(int d, int mask, double[][] p, double factor) {
        double[] out = new double[d];
        Arrays.fill(out, factor);
        for (int s = 0; s < p.length; s++) {
            if ((mask >> s & 1) == 1) {
                for (int j = 0; j < d; j++) {
                    out[j] *= p[s][j];
                }
            }
        }
        return out;
    }
}
