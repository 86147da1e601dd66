package org.w2lab.linalg;

import dev.ludovic.netlib.lapack.LAPACK;

/**
 * The LAPACK every routine of this package calls, made safe for concurrent first use. The pure-Java fallback (F2J's
 * translation, used when no native LAPACK is installed) keeps Fortran SAVE variables in static fields:
 * {@code Dlamch} clears its {@code first} flag before it has computed the machine constants, so two executor
 * threads making their first LAPACK call at once can read a zero precision, and an iteration that tests
 * convergence against it never ends (a {@code dsyevd} was seen spinning for ten minutes in local mode). Asking for
 * the constants once in this class's initializer, which the JVM runs exactly once and before any other thread
 * can use the class, removes the race; after that F2J only reads them. Native LAPACK needs none of this.
 */
final class Lapack {
    private static final LAPACK INSTANCE = NativeBlas.lapack();

    static {
        INSTANCE.dlamch("E");
        INSTANCE.dlamch("S");
    }

    private Lapack() {
    }

    static LAPACK get() {
        return INSTANCE;
    }
}
