package org.w2lab.linalg;

import org.netlib.util.intW;

/** Eigenvalues of a general (non-symmetric) real matrix, LAPACK {@code dgeev}. */
public final class GeneralEigen {
    private GeneralEigen() {
    }

    /**
     * The spectral radius {@code max |eig(A)|}: a linear recursion {@code x <- A x + noise} has a stationary law
     * exactly when it is below 1.
     *
     * @param a column-major {@code n x n} (not modified)
     * @throws ArithmeticException if the QR algorithm fails to converge or {@code A} is not finite
     */
    public static double spectralRadius(int n, double[] a) {
        for (double x : a) {
            if (!Double.isFinite(x)) {
                throw new ArithmeticException("spectral radius of a matrix with a non-finite entry");
            }
        }
        double[] copy = a.clone();
        double[] re = new double[n];
        double[] im = new double[n];
        double[] work = new double[Math.max(1, 4 * n)];
        intW info = new intW(0);
        Lapack.get().dgeev("N", "N", n, copy, n, re, im, new double[1], 1, new double[1], 1, work, work.length,
                info);
        if (info.val != 0) {
            throw new ArithmeticException("dgeev failed to converge (info = " + info.val + ")");
        }
        double radius = 0;
        for (int i = 0; i < n; i++) {
            radius = Math.max(radius, Math.hypot(re[i], im[i]));
        }
        return radius;
    }
}
