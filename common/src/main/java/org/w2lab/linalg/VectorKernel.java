package org.w2lab.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel of {@link BlockProduct}: loaded only when the JVM has the {@code jdk.incubator.vector} module.
 * Rows go four vectors at a time (four independent FMA chains per particle), then one vector at a time, then one
 * row at a time; every entry gets the same chain {@code fma(A_ic, x_c, .)} over {@code c} in order as the scalar
 * kernel.
 */
final class VectorKernel {
    /** 256-bit vectors: four doubles, native on AVX2 and wider x86. */
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = S.length();

    private VectorKernel() {
    }

    /** Whether the hardware has vectors at least this wide (else the Vector API would emulate them, slowly). */
    static boolean supported() {
        return DoubleVector.SPECIES_PREFERRED.length() >= L;
    }

    static void timesAdd(int d, int m, double[] a, double[] x, double[] y) {
        int wide = d - d % (4 * L);
        int full = d - d % L;
        for (int j = 0; j < m; j++) {
            int off = j * d;
            for (int i = 0; i < wide; i += 4 * L) {
                DoubleVector y0 = DoubleVector.fromArray(S, y, off + i);
                DoubleVector y1 = DoubleVector.fromArray(S, y, off + i + L);
                DoubleVector y2 = DoubleVector.fromArray(S, y, off + i + 2 * L);
                DoubleVector y3 = DoubleVector.fromArray(S, y, off + i + 3 * L);
                for (int c = 0; c < d; c++) {
                    DoubleVector xc = DoubleVector.broadcast(S, x[off + c]);
                    int col = c * d + i;
                    y0 = DoubleVector.fromArray(S, a, col).fma(xc, y0);
                    y1 = DoubleVector.fromArray(S, a, col + L).fma(xc, y1);
                    y2 = DoubleVector.fromArray(S, a, col + 2 * L).fma(xc, y2);
                    y3 = DoubleVector.fromArray(S, a, col + 3 * L).fma(xc, y3);
                }
                y0.intoArray(y, off + i);
                y1.intoArray(y, off + i + L);
                y2.intoArray(y, off + i + 2 * L);
                y3.intoArray(y, off + i + 3 * L);
            }
            for (int i = wide; i < full; i += L) {
                DoubleVector acc = DoubleVector.fromArray(S, y, off + i);
                for (int c = 0; c < d; c++) {
                    acc = DoubleVector.fromArray(S, a, c * d + i).fma(DoubleVector.broadcast(S, x[off + c]), acc);
                }
                acc.intoArray(y, off + i);
            }
            for (int i = full; i < d; i++) {
                double acc = y[off + i];
                for (int c = 0; c < d; c++) {
                    acc = Math.fma(a[c * d + i], x[off + c], acc);
                }
                y[off + i] = acc;
            }
        }
    }
}
