package org.w2lab.wasserstein;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.w2lab.linalg.NativeBlas;

/**
 * W2 estimators between two equal-size point clouds in {@code R^d}, each a column-major {@code d x M} block (point
 * {@code j} is column {@code j}), each point of weight {@code 1/M}.
 */
public final class ParticleW2 {
    private ParticleW2() {
    }

    /**
     * Sliced W2: {@code sqrt(mean over L directions theta of W2^2(theta . X, theta . Y))}, the one-dimensional W2
     * between projections being the distance between sorted samples (the monotone coupling). Directions are
     * uniform on the sphere (normalized Gaussian vectors from {@code rng}, one direction's {@code d} draws after the
     * other's). The projections of all directions are two products of {@code L x d} by {@code d x M} (BLAS).
     */
    public static double sliced(int d, int m, double[] x, double[] y, int directions, RandomGenerator rng) {
        double[] theta = new double[d * directions];
        double[] norm = new double[directions];
        for (int l = 0; l < directions; l++) {
            double sum = 0;
            for (int i = 0; i < d; i++) {
                double t = rng.nextGaussian();
                theta[l * d + i] = t;
                sum += t * t;
            }
            norm[l] = Math.sqrt(sum);
        }
        double[] projectedX = project(d, m, theta, directions, x);
        double[] projectedY = project(d, m, theta, directions, y);
        double[] px = new double[m];
        double[] py = new double[m];
        double total = 0;
        for (int l = 0; l < directions; l++) {
            for (int j = 0; j < m; j++) {
                px[j] = projectedX[j * directions + l] / norm[l];
                py[j] = projectedY[j * directions + l] / norm[l];
            }
            Arrays.sort(px);
            Arrays.sort(py);
            double sum = 0;
            for (int j = 0; j < m; j++) {
                double diff = px[j] - py[j];
                sum += diff * diff;
            }
            total += sum / m;
        }
        return Math.sqrt(total / directions);
    }

    /** {@code Theta^T X}, {@code L x M} column-major, for the directions as the columns of {@code d x L} theta. */
    private static double[] project(int d, int m, double[] theta, int directions, double[] x) {
        double[] p = new double[directions * m];
        NativeBlas.blas().dgemm("T", "N", directions, m, d, 1.0, theta, d, x, d, 0.0, p, directions);
        return p;
    }

    /**
     * The exact W2 between the two empirical measures: {@code sqrt(min over permutations sigma of
     * (1/M) sum_j |x_j - y_sigma(j)|^2)}, by the Hungarian algorithm (Kuhn-Munkres with potentials, O(M^3)).
     */
    public static double exact(int d, int m, double[] x, double[] y) {
        double[][] cost = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double diff = x[i * d + k] - y[j * d + k];
                    s += diff * diff;
                }
                cost[i][j] = s;
            }
        }
        int[] assignment = Assignment.minimize(cost);
        double sum = 0;
        for (int i = 0; i < m; i++) {
            sum += cost[i][assignment[i]];
        }
        return Math.sqrt(sum / m);
    }
}
