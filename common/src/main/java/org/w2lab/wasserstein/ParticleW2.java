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
        Directions theta = new Directions(d, directions, rng);
        return theta.sliced(m, theta.project(m, x), theta.project(m, y));
    }

    /**
     * The directions of a sliced W2 estimate, drawn once, and the projections of point clouds on them: a cloud
     * projected in parts (its particles in chunks) gives the projections of the whole.
     */
    public static final class Directions {
        private final int d;
        private final int count;
        /** The directions as the columns of a {@code d x L} block, not normalized. */
        private final double[] theta;
        private final double[] norm;

        /** {@code L} directions: {@code L d} normal draws from {@code rng}, direction after direction. */
        public Directions(int d, int directions, RandomGenerator rng) {
            this.d = d;
            this.count = directions;
            this.theta = new double[d * directions];
            this.norm = new double[directions];
            for (int l = 0; l < directions; l++) {
                double sum = 0;
                for (int i = 0; i < d; i++) {
                    double t = rng.nextGaussian();
                    theta[l * d + i] = t;
                    sum += t * t;
                }
                norm[l] = Math.sqrt(sum);
            }
        }

        /** {@code Theta^T X}, {@code L x M} column-major (unnormalized), for a {@code d x M} block. */
        public double[] project(int m, double[] x) {
            double[] p = new double[count * m];
            NativeBlas.blas().dgemm("T", "N", count, m, d, 1.0, theta, d, x, d, 0.0, p, count);
            return p;
        }

        /** The sliced W2 between two clouds of {@code M} points from their projections ({@link #project}). */
        public double sliced(int m, double[] projectedX, double[] projectedY) {
            double[] px = new double[m];
            double[] py = new double[m];
            double total = 0;
            for (int l = 0; l < count; l++) {
                for (int j = 0; j < m; j++) {
                    px[j] = projectedX[j * count + l] / norm[l];
                    py[j] = projectedY[j * count + l] / norm[l];
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
            return Math.sqrt(total / count);
        }
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
