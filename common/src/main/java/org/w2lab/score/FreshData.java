package org.w2lab.score;

import java.util.random.RandomGenerator;
import org.w2lab.random.RandomStreams;

/**
 * A fresh draw of {@code p_data = N(m, U diag(lambda) U^T)} at every step: score matching with
 * {@code N = infinity}.
 */
public final class FreshData implements DataSource {
    private final double[] sd;
    private final double[] basis;
    private final double[] z;
    /** {@code m}; {@code null} for centred data. */
    private final double[] mean;

    /** @param basis {@code U}, column-major; {@code null} for the identity */
    public FreshData(double[] basis, double[] lambda) {
        this(basis, lambda, null);
    }

    /**
     * @param basis {@code U}, column-major; {@code null} for the identity
     * @param mean  {@code m} in the data's basis; {@code null} for centred data
     */
    public FreshData(double[] basis, double[] lambda, double[] mean) {
        this.basis = basis;
        this.mean = mean == null ? null : mean.clone();
        this.sd = new double[lambda.length];
        for (int i = 0; i < sd.length; i++) {
            sd[i] = Math.sqrt(lambda[i]);
        }
        this.z = new double[lambda.length];
    }

    @Override
    public int dimension() {
        return sd.length;
    }

    @Override
    public void next(RandomGenerator rng, double[] x) {
        int d = sd.length;
        RandomStreams.fillNormal(rng, z);
        if (basis == null) {
            for (int i = 0; i < d; i++) {
                x[i] = sd[i] * z[i];
            }
            shift(x);
            return;
        }
        java.util.Arrays.fill(x, 0);
        for (int k = 0; k < d; k++) {
            double v = sd[k] * z[k];
            for (int i = 0; i < d; i++) {
                x[i] += basis[k * d + i] * v;
            }
        }
        shift(x);
    }

    private void shift(double[] x) {
        if (mean != null) {
            for (int i = 0; i < x.length; i++) {
                x[i] += mean[i];
            }
        }
    }
}
