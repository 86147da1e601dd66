package org.w2lab.linalg;

/**
 * Dense square matrices as column-major {@code double[n * n]}: the few operations the Gaussian engine needs, the
 * products through the BLAS of {@link NativeBlas}, except up to order {@link #SMALL}, where a BLAS call costs more than
 * the product: those are plain loops (each entry a sum over {@code l} in order), which the learned score's prediction
 * runs by the million on its 2 x 2 sub-problems (docs/theory.md, 15.3).
 */
public final class Matrices {
    /** The largest order whose products are plain loops. */
    static final int SMALL = 4;

    private Matrices() {
    }

    /** {@code A B} (neither modified). */
    public static double[] times(int n, double[] a, double[] b) {
        double[] c = new double[n * n];
        if (n <= SMALL) {
            product(n, a, false, b, c);
        } else {
            NativeBlas.blas().dgemm("N", "N", n, n, n, 1.0, a, n, b, n, 0.0, c, n);
        }
        return c;
    }

    /** {@code C = A B}, or {@code A B^T} when {@code transposeB}, in plain loops. */
    private static void product(int n, double[] a, boolean transposeB, double[] b, double[] c) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int l = 0; l < n; l++) {
                    sum += a[l * n + i] * (transposeB ? b[l * n + j] : b[j * n + l]);
                }
                c[j * n + i] = sum;
            }
        }
    }

    /** {@code A X} for a {@code d x d} matrix {@code A} and a {@code d x m} block {@code X} (neither modified). */
    public static double[] times(int d, int m, double[] a, double[] x) {
        double[] y = new double[d * m];
        NativeBlas.blas().dgemm("N", "N", d, m, d, 1.0, a, d, x, d, 0.0, y, d);
        return y;
    }

    /** {@code Y <- A X + Y} for a {@code d x d} matrix {@code A} and {@code d x m} blocks (only {@code y} modified). */
    public static void timesAdd(int d, int m, double[] a, double[] x, double[] y) {
        NativeBlas.blas().dgemm("N", "N", d, m, d, 1.0, a, d, x, d, 1.0, y, d);
    }

    /** {@code alpha X X^T} for a {@code d x m} block {@code X} (not modified), symmetric {@code d x d}. */
    public static double[] gram(int d, int m, double[] x, double alpha) {
        double[] c = new double[d * d];
        NativeBlas.blas().dgemm("N", "T", d, d, m, alpha, x, d, x, d, 0.0, c, d);
        return symmetrize(d, c);
    }

    /**
     * The solution {@code x} of {@code A x = b} by LU with partial pivoting (LAPACK {@code dgesv}).
     *
     * @throws ArithmeticException if {@code A} is singular
     */
    public static double[] solve(int n, double[] a, double[] b) {
        double[] lu = a.clone();
        double[] x = b.clone();
        org.netlib.util.intW info = new org.netlib.util.intW(0);
        Lapack.get().dgesv(n, 1, lu, n, new int[n], x, n, info);
        if (info.val != 0) {
            throw new ArithmeticException("singular matrix in solve (dgesv info = " + info.val + ")");
        }
        return x;
    }

    /** The diagonal of {@code A} if every off-diagonal entry is zero, else {@code null}. */
    public static double[] diagonalOrNull(int n, double[] a) {
        double[] diag = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                if (i != j && a[j * n + i] != 0) {
                    return null;
                }
            }
            diag[j] = a[j * n + j];
        }
        return diag;
    }

    /** The identity of order {@code n}. */
    public static double[] identity(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 1;
        }
        return a;
    }

    /** {@code alpha A + beta B} (neither modified). */
    public static double[] combine(double alpha, double[] a, double beta, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = alpha * a[i] + beta * b[i];
        }
        return c;
    }

    /** {@code A x} (neither modified). */
    public static double[] apply(int n, double[] a, double[] x) {
        double[] y = new double[n];
        if (n > SMALL) {
            NativeBlas.blas().dgemv("N", n, n, 1.0, a, n, x, 1, 0.0, y, 1);
            return y;
        }
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int l = 0; l < n; l++) {
                sum += a[l * n + i] * x[l];
            }
            y[i] = sum;
        }
        return y;
    }

    /** {@code A S A^T}, symmetrized (neither modified). */
    public static double[] congruence(int n, double[] a, double[] s) {
        double[] as = times(n, a, s);
        double[] c = new double[n * n];
        if (n <= SMALL) {
            product(n, as, true, a, c);
        } else {
            NativeBlas.blas().dgemm("N", "T", n, n, n, 1.0, as, n, a, n, 0.0, c, n);
        }
        return symmetrize(n, c);
    }

    /** {@code V diag(f) V^T} for an orthonormal {@code V} (not modified). */
    public static double[] fromEigen(int n, double[] vectors, double[] f) {
        double[] scaled = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                scaled[j * n + i] = vectors[j * n + i] * f[j];
            }
        }
        double[] c = new double[n * n];
        NativeBlas.blas().dgemm("N", "T", n, n, n, 1.0, scaled, n, vectors, n, 0.0, c, n);
        return symmetrize(n, c);
    }

    /** {@code (A + A^T) / 2}, in place; returns {@code a}. */
    public static double[] symmetrize(int n, double[] a) {
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                double m = 0.5 * (a[j * n + i] + a[i * n + j]);
                a[j * n + i] = m;
                a[i * n + j] = m;
            }
        }
        return a;
    }

    /** {@code tr A}. */
    public static double trace(int n, double[] a) {
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += a[i * n + i];
        }
        return t;
    }

    /**
     * The principal square root of a symmetric positive semi-definite matrix, {@code V diag(sqrt(max(w, 0))) V^T}
     * (eigenvalues below zero are round-off of a singular matrix and are taken as zero).
     */
    public static double[] sqrtPsd(int n, double[] s) {
        SymmetricEigen e = SymmetricEigen.of(n, s, true);
        double[] root = new double[n];
        for (int j = 0; j < n; j++) {
            root[j] = Math.sqrt(Math.max(e.values()[j], 0));
        }
        return fromEigen(n, e.vectors(), root);
    }
}
