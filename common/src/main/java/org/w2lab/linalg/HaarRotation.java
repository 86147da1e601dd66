package org.w2lab.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.random.RandomGenerator;
import org.netlib.util.intW;

/**
 * An orthogonal matrix drawn from the Haar measure on {@code O(d)}: the {@code Q} of the QR factorization of a
 * matrix of iid standard normals, its columns multiplied by the signs of {@code diag(R)} so that the law does not
 * depend on the factorization's sign convention (Mezzadri 2007, "How to generate random matrices from the
 * classical compact groups", section 5). LAPACK {@code dgeqrf} and {@code dorgqr}.
 */
public final class HaarRotation {
    private HaarRotation() {
    }

    /** A Haar-distributed orthogonal {@code d x d} matrix, column-major, from {@code d^2} draws of {@code rng}. */
    public static double[] draw(int d, RandomGenerator rng) {
        double[] a = new double[d * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        LAPACK lapack = Lapack.get();
        double[] tau = new double[d];
        intW info = new intW(0);
        double[] query = new double[1];
        lapack.dgeqrf(d, d, a, d, tau, query, -1, info);
        double[] work = new double[Math.max(1, (int) query[0])];
        lapack.dgeqrf(d, d, a, d, tau, work, work.length, info);
        check("dgeqrf", info);
        double[] sign = new double[d];
        for (int j = 0; j < d; j++) {
            sign[j] = a[j * d + j] < 0 ? -1 : 1;
        }
        lapack.dorgqr(d, d, d, a, d, tau, query, -1, info);
        work = new double[Math.max(1, (int) query[0])];
        lapack.dorgqr(d, d, d, a, d, tau, work, work.length, info);
        check("dorgqr", info);
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                a[j * d + i] *= sign[j];
            }
        }
        return a;
    }

    private static void check(String routine, intW info) {
        if (info.val != 0) {
            throw new ArithmeticException(routine + " failed (info = " + info.val + ")");
        }
    }
}
