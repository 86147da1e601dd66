package org.w2lab.score;

/**
 * The stationary law of the DSM-SGD iterates {@code (A, b)} for {@code p_data = N(0, C)}, written in the eigenbasis
 * of {@code C} where it decouples (docs/theory.md, section 10). Two parts, independent to the order kept:
 * <ul>
 *   <li><b>optimization</b> ({@code tau}): around the dataset optimum the iterates fluctuate with independent
 *   entries, {@code Var(A_ai) = tau^2 r_a w_i}, {@code Var(b_a) = tau^2 r_a w_0}, {@code r_a = sigma^2 lambda_a /
 *   (lambda_a + sigma^2)}; to first order {@code w = 1 / (2 tau B)}, exactly (for Gaussian data and fresh samples)
 *   the solution of the second-moment equation (10.3);</li>
 *   <li><b>generalization</b> ({@code 1/N}): the dataset optimum {@code C^ (C^ + sigma^2 I)^{-1}} differs from
 *   {@code A*} by a symmetric fluctuation with {@code Var(D_ij) = Cov(D_ij, D_ji) = sigma^4 lambda_i lambda_j
 *   (1 + delta_ij) / (N s_i^2 s_j^2)} and a bias on the diagonal, {@code s = lambda + sigma^2} (10.4).</li>
 * </ul>
 * For {@code p_data = N(m, C)} (10.10) the optimization part couples the entries of each row,
 * {@code Cov = tau^2 r_a W} with the full {@code W} of {@link NonCentredMoments}, and the dataset optimum's offset
 * {@code b^ = (I - A^) m^} correlates with {@code D}; the first order does not change.
 */
public final class SgdStationaryLaw implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Which optimization variances: the first-order ones or the exact ones. */
    public enum Order {
        FIRST, EXACT
    }

    private final double[] lambda;
    /** The data mean in the eigenbasis, {@code U^T m} (10.10); all zero for centred data. */
    private final double[] mean;
    private final double sigma2;
    private final double tau;
    private final int n;
    /**
     * {@code W} of (10.2), {@code (d+1) x (d+1)}, the offset's feature last: its diagonal for centred data (10.3) and
     * for the first order, where it is diagonal ...
     */
    private final double[] wDiagonal;
    /** ... or the whole matrix, column-major, otherwise (10.10); {@code null} where it is diagonal. */
    private final double[] wFull;
    /** {@code mu~^T W mu~}, {@code mu~ = (mu, 1)}: the same for every row (10.10). */
    private final double meanForm;
    /** {@code sum_j alpha_j}, {@code alpha = lambda / s}: the generalization bias's trace term (10.4). */
    private final double alphaSum;

    /**
     * The law for centred data, {@code p_data = N(0, C)}.
     *
     * @param n     training samples; 0 for fresh samples at every step ({@code N = infinity})
     * @param batch samples per SGD step
     * @throws IllegalArgumentException for {@link Order#EXACT} when {@code tau} is at or past the variance
     *                                  stability bound (the second moments have no stationary value)
     */
    public SgdStationaryLaw(double[] lambda, double sigma, double tau, int batch, int n, Order order) {
        this(lambda, new double[lambda.length], sigma, tau, batch, n, order);
    }

    /**
     * The law for {@code p_data = N(m, C)} (10.10).
     *
     * @param mean  the data mean in the eigenbasis, {@code U^T m}
     * @param n     training samples; 0 for fresh samples at every step ({@code N = infinity})
     * @param batch samples per SGD step
     * @throws IllegalArgumentException for {@link Order#EXACT} when {@code tau} is at or past the variance
     *                                  stability bound, or when the mean is not zero and {@code d} is beyond
     *                                  {@link NonCentredMoments#MAX_D}
     */
    public SgdStationaryLaw(double[] lambda, double[] mean, double sigma, double tau, int batch, int n, Order order) {
        this.lambda = lambda.clone();
        this.mean = mean.clone();
        this.sigma2 = sigma * sigma;
        this.tau = tau;
        this.n = n;
        int d = lambda.length;
        double form = 0;
        if (order == Order.EXACT && !isCentred(mean)) {
            this.wFull = new NonCentredMoments(lambda, mean, sigma).w(tau, batch);
            if (wFull == null) {
                throw new IllegalArgumentException(unstable(tau, lambda, mean, sigma, batch));
            }
            this.wDiagonal = null;
            for (int v = 0; v <= d; v++) {
                double mv = v < d ? mean[v] : 1;
                for (int u = 0; u <= d; u++) {
                    form += (u < d ? mean[u] : 1) * wFull[v * (d + 1) + u] * mv;
                }
            }
        } else {
            this.wFull = null;
            this.wDiagonal = order == Order.FIRST ? constant(d, 1 / (2 * tau * batch))
                    : centred(lambda, sigma, tau, batch);
            for (int u = 0; u <= d; u++) {
                double mu = u < d ? mean[u] : 1;
                form += mu * wDiagonal[u] * mu;
            }
        }
        this.meanForm = form;
        double sum = 0;
        for (double l : lambda) {
            sum += l / (l + sigma2);
        }
        this.alphaSum = sum;
    }

    /** The diagonal of {@code W} for centred data, (10.3). */
    private static double[] centred(double[] lambda, double sigma, double tau, int batch) {
        int d = lambda.length;
        double sigma2 = sigma * sigma;
        double[] mean = new double[d];
        // (10.3): phi_u = 1 / (B tau (2 - tau s_u c_u)), w_u = phi_u / (1 - tau^2 sum_u s_u phi_u)
        double[] phi = phi(lambda, sigma2, tau, batch);
        if (phi == null) {
            throw new IllegalArgumentException(unstable(tau, lambda, mean, sigma, batch));
        }
        double total = 0;
        for (int u = 0; u <= d; u++) {
            total += feature(lambda, sigma2, u) * phi[u];
        }
        if (!(tau * tau * total < 1)) {
            throw new IllegalArgumentException(unstable(tau, lambda, mean, sigma, batch));
        }
        double[] w = new double[d + 1];
        for (int u = 0; u <= d; u++) {
            w[u] = phi[u] / (1 - tau * tau * total);
        }
        return w;
    }

    /** The first order: the Lyapunov equation H V + V H = tau r H / B has V = tau r / (2B) I for any H. */
    private static double[] constant(int d, double value) {
        double[] w = new double[d + 1];
        java.util.Arrays.fill(w, value);
        return w;
    }

    /** Whether every entry of the mean is zero: the centred case of (10.3), solved in closed form. */
    public static boolean isCentred(double[] mean) {
        for (double x : mean) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String unstable(double tau, double[] lambda, double[] mean, double sigma, int batch) {
        return "tau = " + tau + " is past the variance stability bound "
                + varianceStabilityBound(lambda, mean, sigma, batch)
                + " of SGD: its second moments have no stationary value";
    }

    /** {@code s_u}: {@code lambda_u + sigma^2} for a data feature, 1 for the offset's constant feature. */
    private static double feature(double[] lambda, double sigma2, int u) {
        return u < lambda.length ? lambda[u] + sigma2 : 1;
    }

    /** {@code phi_u}, or {@code null} if some {@code 2 - tau s_u c_u <= 0}. */
    private static double[] phi(double[] lambda, double sigma2, double tau, int batch) {
        int d = lambda.length;
        double[] phi = new double[d + 1];
        for (int u = 0; u <= d; u++) {
            // c_u: the fourth moment of the feature, 3 s^2 for a Gaussian, s^2 for the constant
            double c = u < d ? 1 + 1.0 / batch : 1 - 1.0 / batch;
            double margin = 2 - tau * feature(lambda, sigma2, u) * c;
            if (!(margin > 0)) {
                return null;
            }
            phi[u] = 1 / (batch * tau * margin);
        }
        return phi;
    }

    /**
     * The bound on {@code tau} for the mean of the iterates to converge, {@code 2 / max(lambda_max + sigma^2, 1)}
     * (models.md; Hurault et al., Theorem 1).
     */
    public static double meanStabilityBound(double lambdaMax, double sigma) {
        return 2 / Math.max(lambdaMax + sigma * sigma, 1);
    }

    /**
     * The mean stability bound for {@code p_data = N(m, C)}: {@code 2 / lambda_max(H_mu)},
     * {@code H_mu = [[C + sigma^2 I + mu mu^T, mu], [mu^T, 1]]} in the eigenbasis (10.10); for a zero mean the
     * centred bound {@link #meanStabilityBound(double, double)}.
     *
     * @param mean the data mean in the eigenbasis
     */
    public static double meanStabilityBound(double[] lambda, double[] mean, double sigma) {
        if (isCentred(mean)) {
            double max = 0;
            for (double l : lambda) {
                max = Math.max(max, l);
            }
            return meanStabilityBound(max, sigma);
        }
        return new NonCentredMoments(lambda, mean, sigma).meanStabilityBound();
    }

    /**
     * The variance stability bound for {@code p_data = N(m, C)}: (10.3)'s closed form for a zero mean, else where
     * the solution {@code W} of (10.2) stops being positive definite, by bisection (10.10).
     *
     * @param mean the data mean in the eigenbasis
     */
    public static double varianceStabilityBound(double[] lambda, double[] mean, double sigma, int batch) {
        return isCentred(mean) ? varianceStabilityBound(lambda, sigma, batch)
                : new NonCentredMoments(lambda, mean, sigma).varianceStabilityBound(batch);
    }

    /**
     * The bound on {@code tau} for the second moments to converge (10.3): the root of
     * {@code tau^2 sum_u s_u phi_u(tau) = 1}, increasing in {@code tau}, found by bisection. Below the mean bound,
     * and much below it in high dimension (about {@code 2 / (1 + tr C + d sigma^2)} for one sample per step).
     */
    public static double varianceStabilityBound(double[] lambda, double sigma, int batch) {
        double sigma2 = sigma * sigma;
        double lo = 0;
        double hi = Double.MAX_VALUE;
        for (int u = 0; u <= lambda.length; u++) {
            double c = u < lambda.length ? 1 + 1.0 / batch : 1 - 1.0 / batch;
            if (c > 0) {
                hi = Math.min(hi, 2 / (feature(lambda, sigma2, u) * c));
            }
        }
        for (int k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) {
            double mid = (lo + hi) / 2;
            double[] phi = phi(lambda, sigma2, mid, batch);
            double total = 0;
            for (int u = 0; phi != null && u < phi.length; u++) {
                total += feature(lambda, sigma2, u) * phi[u];
            }
            if (phi != null && mid * mid * total < 1) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public int dimension() {
        return lambda.length;
    }

    /** {@code r_a = sigma^2 lambda_a / (lambda_a + sigma^2)}: the residual variance at the optimum (10.2). */
    private double residual(int a) {
        return sigma2 * lambda[a] / (lambda[a] + sigma2);
    }

    /** {@code tau^2 r_a}: the row's factor of {@code Var(A_ai) = tau^2 r_a W_ii} ({@link #varianceA}). */
    public double rowScale(int a) {
        return tau * tau * residual(a);
    }

    /** {@code W_ii}: the column's factor of {@code Var(A_ai) = tau^2 r_a W_ii} ({@link #varianceA}). */
    public double columnWeight(int i) {
        return wFull != null ? wFull[i * (lambda.length + 2)] : wDiagonal[i];
    }

    /** Optimization: {@code Var(A_ai)} in the eigenbasis (row {@code a}, column {@code i}). */
    public double varianceA(int a, int i) {
        return optimizationCovariance(a, i, i);
    }

    /** Optimization: {@code Var(b_a)} in the eigenbasis. */
    public double varianceB(int a) {
        return optimizationCovariance(a, lambda.length, lambda.length);
    }

    /**
     * Optimization: the covariance {@code tau^2 r_a W_uv} of two entries of row {@code a} of {@code [A b]} in the
     * eigenbasis, {@code u, v} in {@code 0..d} ({@code d}: the offset {@code b_a}); rows are uncorrelated (10.2).
     * Zero for {@code u != v} unless the data have a mean (10.10).
     */
    public double optimizationCovariance(int a, int u, int v) {
        double entry = wFull != null ? wFull[v * (lambda.length + 1) + u] : u == v ? wDiagonal[u] : 0;
        return tau * tau * residual(a) * entry;
    }

    /**
     * Optimization: the variance of {@code (dA mu + db)_a}, the driver of the ULA mean's error,
     * {@code tau^2 r_a mu~^T W mu~} with {@code mu~ = (mu, 1)} in the eigenbasis (10.10); {@link #varianceB} for
     * centred data.
     */
    public double varianceMeanDriver(int a) {
        return tau * tau * residual(a) * meanForm;
    }

    /** The data mean in the eigenbasis. */
    public double[] mean() {
        return mean.clone();
    }

    /** The number of training samples; 0 for fresh samples ({@code N = infinity}). */
    public int trainingSamples() {
        return n;
    }

    /** Generalization: {@code Var(D_ij) = Cov(D_ij, D_ji)} of the dataset optimum's fluctuation; 0 when N is infinite. */
    public double generalizationCovariance(int i, int j) {
        return n == 0 ? 0 : generalizationCovariance(lambda[i], lambda[j], sigma2, n) * (i == j ? 2 : 1);
    }

    /**
     * {@code sigma^4 x y / (N s_x^2 s_y^2)}: the covariance of an off-diagonal pair of entries of the dataset
     * optimum's fluctuation for eigenvalues {@code (x, y)} (twice that on the diagonal) (10.4).
     */
    public static double generalizationCovariance(double x, double y, double sigma2, int n) {
        double sx = x + sigma2;
        double sy = y + sigma2;
        return sigma2 * sigma2 * x * y / (n * sx * sx * sy * sy);
    }

    /**
     * Generalization: the bias {@code E[A^_ii] - A*_ii = -sigma^2 lambda_i (1 + alpha_i + sum_j alpha_j) / (N s_i^2)},
     * {@code alpha = lambda / s} (10.4); 0 when N is infinite.
     */
    public double generalizationBias(int i) {
        if (n == 0) {
            return 0;
        }
        double si = lambda[i] + sigma2;
        return -sigma2 * lambda[i] * (1 + lambda[i] / si + alphaSum) / (n * si * si);
    }

    /** Generalization: {@code Var(b^_i) = sigma^4 lambda_i / (N s_i^2)}; 0 when N is infinite. */
    public double generalizationVarianceB(int i) {
        if (n == 0) {
            return 0;
        }
        double si = lambda[i] + sigma2;
        return sigma2 * sigma2 * lambda[i] / (n * si * si);
    }

    /**
     * The dimension {@code d^2 + d} of the parameter vector {@code theta = (vec A, b)}: {@code A} column-major
     * ({@code A_ij} at {@code j d + i}), then {@code b}, in the eigenbasis.
     */
    public int parameters() {
        int d = lambda.length;
        return d * d + d;
    }

    /**
     * The mean of {@code theta} in the eigenbasis (layout of {@link #parameters()}): {@code A* = diag(alpha)} plus
     * the generalization bias on the diagonal; {@code b = E[(I - A^) m^] = (I - E A^) mu}, zero for centred data
     * (10.4, 10.10).
     */
    public double[] meanVector() {
        int d = lambda.length;
        double[] m = new double[parameters()];
        for (int i = 0; i < d; i++) {
            double a = lambda[i] / (lambda[i] + sigma2) + generalizationBias(i);
            m[i * d + i] = a;
            m[d * d + i] = (1 - a) * mean[i];
        }
        return m;
    }

    /**
     * The covariance of {@code theta} in the eigenbasis, column-major {@code D x D} with {@code D = d^2 + d}: the
     * optimization part {@code tau^2 r_a W} on the entries of each row {@code a} of {@code [A b]} (diagonal for
     * centred data), the generalization fluctuation's variance on both entries of a pair {@code (A_ij, A_ji)} and
     * its covariance between them (the fluctuation is symmetric), the offsets' variances, and with a data mean the
     * correlation of {@code b^ - b* = (I - A*) eps - D mu} with {@code D} (10.3, 10.4, 10.10). The two parts are
     * independent to the order kept.
     */
    public double[] covarianceMatrix() {
        int d = lambda.length;
        int n = parameters();
        double[] s = new double[n * n];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                int u = j * d + i;
                int v = i * d + j;
                double g = generalizationCovariance(i, j);
                s[u * n + u] = varianceA(i, j) + g;
                if (v != u) {
                    s[v * n + u] = g;
                }
            }
            int u = d * d + j;
            s[u * n + u] = varianceB(j) + generalizationVarianceB(j);
        }
        if (!isCentred(mean)) {
            addMeanTerms(s);
        }
        return s;
    }

    /** The terms of {@link #covarianceMatrix()} that only a data mean brings (10.10). */
    private void addMeanTerms(double[] s) {
        int d = lambda.length;
        int n = parameters();
        for (int a = 0; a < d; a++) {
            // optimization: the off-diagonal entries of tau^2 r_a W within row a; index of A_au is u d + a
            for (int v = 0; v <= d; v++) {
                for (int u = 0; u <= d; u++) {
                    if (u != v) {
                        s[index(d, a, v) * n + index(d, a, u)] += optimizationCovariance(a, u, v);
                    }
                }
            }
        }
        for (int i = 0; i < d; i++) {
            int bi = d * d + i;
            for (int j = 0; j < d; j++) {
                double g = pairCovariance(i, j);
                // Cov(b^_i, D_ij) = Cov(b^_i, D_ji) = -mu_j g_ij (twice on D_ii, where the two coincide)
                for (int e : new int[] {j * d + i, i * d + j}) {
                    s[e * n + bi] -= mean[j] * g;
                    s[bi * n + e] -= mean[j] * g;
                }
                // Cov(b^_i, b^_k) gains delta_ik sum_j mu_j^2 g_ij + mu_i mu_k g_ik
                s[bi * n + bi] += mean[j] * mean[j] * g;
                s[(d * d + j) * n + bi] += mean[i] * mean[j] * g;
            }
        }
    }

    /** The index of {@code A_au} ({@code u < d}) or of {@code b_a} ({@code u = d}) in {@code theta}. */
    private static int index(int d, int a, int u) {
        return u < d ? u * d + a : d * d + a;
    }

    /** {@code g_ij = sigma^4 lambda_i lambda_j / (N s_i^2 s_j^2)}, {@code Cov(D_ij, D_kl) = g_ij ([ik][jl] + [il][jk])}. */
    private double pairCovariance(int i, int j) {
        return n == 0 ? 0 : generalizationCovariance(lambda[i], lambda[j], sigma2, n);
    }

    /** The total variance {@code tr K} of the parameter vector, the trace of {@link #covarianceMatrix()}. */
    public double totalVariance() {
        return org.w2lab.linalg.Matrices.trace(parameters(), covarianceMatrix());
    }

    /**
     * One {@code (A, b)} from the Gaussian approximation of this law in the eigenbasis: the optimum
     * {@code diag(alpha)} plus the generalization bias, the optimization fluctuation (independent entries for
     * centred data, {@code tau sqrt(r_a) W^{1/2} z} per row otherwise), and a symmetric generalization fluctuation
     * (one draw per unordered pair) which with a data mean also moves {@code b} by {@code -D mu} (10.10).
     */
    public Denoiser draw(java.util.random.RandomGenerator rng) {
        double[] z = new double[normals()];
        org.w2lab.random.RandomStreams.fillNormal(rng, z);
        return draw(z);
    }

    /** How many standard normals {@link #draw(double[])} takes. */
    public int normals() {
        int d = lambda.length;
        return 2 * d * d + 2 * d;
    }

    /** {@code W} as a column-major {@code (d+1) x (d+1)} matrix. */
    private double[] wMatrix() {
        if (wFull != null) {
            return wFull;
        }
        int d = lambda.length;
        double[] w = new double[(d + 1) * (d + 1)];
        for (int u = 0; u <= d; u++) {
            w[u * (d + 2)] = wDiagonal[u];
        }
        return w;
    }

    /**
     * The {@code (A, b)} of {@link #draw(java.util.random.RandomGenerator)} for given standard normals: linear in
     * {@code z} around the law's mean, so {@code -z} gives the mirror image (antithetic draws).
     *
     * @param z {@link #normals()} standard normals
     */
    public Denoiser draw(double[] z) {
        int d = lambda.length;
        double[] a = new double[d * d];
        double[] b = new double[d];
        boolean centred = isCentred(mean);
        double[] root = centred ? null : org.w2lab.linalg.Matrices.sqrtPsd(d + 1, wMatrix());
        double[] mu = meanVector();
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                int lo = Math.min(i, j);
                int hi = Math.max(i, j);
                a[j * d + i] = (i == j ? lambda[i] / (lambda[i] + sigma2) + generalizationBias(i) : 0)
                        + (centred ? Math.sqrt(varianceA(i, j)) * z[j * d + i] : rowFluctuation(root, z, i, j))
                        + Math.sqrt(generalizationCovariance(i, j)) * z[d * d + hi * d + lo];
            }
            double offset = centred ? Math.sqrt(varianceB(j)) * z[2 * d * d + j]
                    : mu[d * d + j] + rowFluctuation(root, z, j, d) - pairFluctuationTimesMean(z, j);
            b[j] = offset + Math.sqrt(generalizationVarianceB(j)) * z[2 * d * d + d + j];
        }
        return new Denoiser(d, a, b);
    }

    /** {@code (D mu)_i} for the generalization fluctuation {@code D} that {@link #draw} puts into {@code A}. */
    private double pairFluctuationTimesMean(double[] z, int i) {
        int d = lambda.length;
        double sum = 0;
        for (int j = 0; j < d; j++) {
            int lo = Math.min(i, j);
            int hi = Math.max(i, j);
            sum += Math.sqrt(generalizationCovariance(i, j)) * z[d * d + hi * d + lo] * mean[j];
        }
        return sum;
    }

    /**
     * Entry {@code u} of row {@code a}'s optimization fluctuation {@code tau sqrt(r_a) (W^{1/2} z_a)_u}, {@code z_a}
     * the normals of row {@code a} (those of {@code A_a0 .. A_a(d-1)}, then of {@code b_a}).
     */
    private double rowFluctuation(double[] root, double[] z, int a, int u) {
        int d = lambda.length;
        double sum = 0;
        for (int v = 0; v <= d; v++) {
            sum += root[v * (d + 1) + u] * z[v < d ? v * d + a : 2 * d * d + a];
        }
        return tau * Math.sqrt(residual(a)) * sum;
    }
}
