package org.w2lab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.w2lab.random.RandomStreams;

/** The particle block product: the SIMD and scalar kernels give the same bits, and the product BLAS gives. */
class BlockProductTest {
    private static double[] normals(int n, RandomGenerator rng) {
        double[] z = new double[n];
        RandomStreams.fillNormal(rng, z);
        return z;
    }

    @Test
    void simdAndScalarKernelsGiveTheSameBitsAndBlasProductUpToRoundOff() {
        RandomGenerator rng = RandomStreams.forTask("block product", 0);
        // every path of the SIMD kernel: four-vector groups, single vectors, single rows, and their mixes
        for (int d : new int[] {1, 3, 4, 5, 8, 15, 16, 17, 20, 31, 33, 64}) {
            int m = 7;
            double[] a = normals(d * d, rng);
            double[] x = normals(d * m, rng);
            double[] y0 = normals(d * m, rng);
            double[] scalar = y0.clone();
            BlockProduct.scalarTimesAdd(d, m, a, x, scalar);
            double[] simd = y0.clone();
            VectorKernel.timesAdd(d, m, a, x, simd);
            assertArrayEquals(scalar, simd, "d = " + d);
            double[] chosen = y0.clone();
            BlockProduct.timesAdd(d, m, a, x, chosen);
            assertArrayEquals(scalar, chosen, "d = " + d);
            double[] blas = y0.clone();
            Matrices.timesAdd(d, m, a, x, blas);
            for (int k = 0; k < blas.length; k++) {
                // a sum of d + 1 terms of size about sqrt(d): round-off below d ulps of the largest
                assertEquals(blas[k], scalar[k], 4 * d * Math.ulp(d + 2.0), "d = " + d + ", entry " + k);
            }
        }
    }

    @Test
    void largeMatricesGoToBlas() {
        int d = BlockProduct.MAX_KERNEL_D + 1;
        RandomGenerator rng = RandomStreams.forTask("block product large", 0);
        double[] a = normals(d * d, rng);
        double[] x = normals(d * 3, rng);
        double[] y = new double[d * 3];
        double[] blas = new double[d * 3];
        BlockProduct.timesAdd(d, 3, a, x, y);
        Matrices.timesAdd(d, 3, a, x, blas);
        assertArrayEquals(blas, y);
    }
}
