package org.w2lab.linalg;

/**
 * {@code Y <- A X + Y} for a small dense {@code d x d} matrix {@code A} and {@code d x m} blocks of particles, the
 * product every dense particle step makes. Each entry is the fused multiply-add chain
 * {@code y_i <- fma(A_ic, x_c, y_i)} over {@code c = 0 .. d-1} in that order, whichever kernel runs: the SIMD one
 * (the JDK's incubating Vector API, several rows per instruction and four independent chains to hide the FMA
 * latency) when the JVM has the {@code jdk.incubator.vector} module, the scalar one otherwise. {@code fma} rounds
 * once, exactly, so both give the same bits, and a seed's particles do not depend on the executor's JVM options. For
 * larger {@code d}, where {@code A} no longer fits the first-level cache, BLAS {@code dgemm} (blocked) is faster.
 */
public final class BlockProduct {
    /** The largest {@code d} for the FMA kernels; BLAS above. */
    public static final int MAX_KERNEL_D = 64;
    private BlockProduct() {
    }

    /** {@code Y <- A X + Y}, column-major; only {@code y} is modified. */
    public static void timesAdd(int d, int m, double[] a, double[] x, double[] y) {
        if (d > MAX_KERNEL_D) {
            Matrices.timesAdd(d, m, a, x, y);
        } else if (Simd.available()) {
            VectorKernel.timesAdd(d, m, a, x, y);
        } else {
            scalarTimesAdd(d, m, a, x, y);
        }
    }

    /** The scalar kernel: the reference order of operations. */
    static void scalarTimesAdd(int d, int m, double[] a, double[] x, double[] y) {
        for (int j = 0; j < m; j++) {
            int off = j * d;
            for (int i = 0; i < d; i++) {
                double acc = y[off + i];
                for (int c = 0; c < d; c++) {
                    acc = Math.fma(a[c * d + i], x[off + c], acc);
                }
                y[off + i] = acc;
            }
        }
    }
}
