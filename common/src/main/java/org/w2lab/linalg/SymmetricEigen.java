package org.w2lab.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * The eigendecomposition {@code A = V diag(w) V^T} of a symmetric matrix, by LAPACK's divide-and-conquer
 * {@code dsyevd} through the netlib bindings Spark ships (native LAPACK when the machine has one, else the pure-Java
 * translation). Matrices are {@code n x n} arrays in column-major order.
 *
 * @param n      the order
 * @param values the eigenvalues, ascending
 * @param vectors the orthonormal eigenvectors, column {@code j} for {@code values[j]} (column-major); {@code null}
 *                when only the values were asked for
 */
public record SymmetricEigen(int n, double[] values, double[] vectors) {

    /**
     * Decomposes {@code a} (not modified; only its lower triangle is read).
     *
     * @param withVectors whether to compute the eigenvectors
     * @throws ArithmeticException if LAPACK reports that the algorithm did not converge
     */
    public static SymmetricEigen of(int n, double[] a, boolean withVectors) {
        if (a.length != n * n) {
            throw new IllegalArgumentException("need " + n + "x" + n + " entries, got " + a.length);
        }
        LAPACK lapack = Lapack.get();
        double[] v = a.clone();
        double[] w = new double[n];
        String jobz = withVectors ? "V" : "N";
        intW info = new intW(0);
        double[] workSize = new double[1];
        int[] iworkSize = new int[1];
        lapack.dsyevd(jobz, "L", n, v, Math.max(1, n), w, workSize, -1, iworkSize, -1, info);
        double[] work = new double[Math.max(1, (int) workSize[0])];
        int[] iwork = new int[Math.max(1, iworkSize[0])];
        lapack.dsyevd(jobz, "L", n, v, Math.max(1, n), w, work, work.length, iwork, iwork.length, info);
        if (info.val != 0) {
            throw new ArithmeticException("dsyevd failed to converge (info = " + info.val + ")");
        }
        return new SymmetricEigen(n, w, withVectors ? v : null);
    }
}
