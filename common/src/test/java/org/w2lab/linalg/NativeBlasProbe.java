package org.w2lab.linalg;

import java.util.Arrays;

/** {@link NativeBlasTest}'s child JVM: prints this JVM's BLAS, then a hash of the bits of a 64 x 64 product. */
public final class NativeBlasProbe {
    private NativeBlasProbe() {
    }

    public static void main(String[] args) {
        int n = 64;
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        double[] c = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sin(i);
            b[i] = Math.cos(0.7 * i);
        }
        NativeBlas.blas().dgemm("N", "N", n, n, n, 1.0, a, n, b, n, 0.0, c, n);
        System.out.println(NativeBlas.describe());
        System.out.println(Arrays.hashCode(c));
    }
}
