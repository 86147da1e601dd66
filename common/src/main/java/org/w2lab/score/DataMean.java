package org.w2lab.score;

/**
 * The mean of {@code p_data = N(m, C)} set by the configuration's {@code mu} (docs/theory.md, 10.10):
 * {@code m = mu 1_d / sqrt(d)} in the data's basis, so {@code |m| = |mu|}; with a random basis it is not aligned
 * with an eigenvector of {@code C}, and in the eigenbasis it is {@code U^T m}.
 */
public final class DataMean {
    private DataMean() {
    }

    /** {@code m = mu 1_d / sqrt(d)} in the data's basis. */
    public static double[] vector(int d, double mu) {
        double[] m = new double[d];
        java.util.Arrays.fill(m, mu / Math.sqrt(d));
        return m;
    }

    /**
     * {@code U^T m}: the mean in the eigenbasis.
     *
     * @param basis {@code U}, column-major; {@code null} for the identity
     */
    public static double[] inEigenbasis(double[] basis, double[] m) {
        if (basis == null) {
            return m.clone();
        }
        int d = m.length;
        double[] e = new double[d];
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < d; i++) {
                e[k] += basis[k * d + i] * m[i];
            }
        }
        return e;
    }
}
