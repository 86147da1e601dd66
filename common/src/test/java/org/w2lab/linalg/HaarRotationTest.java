package org.w2lab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.w2lab.random.RandomStreams;

/** Haar rotations: orthogonal, and with the moments of the Haar measure (not only of some orthogonal law). */
class HaarRotationTest {
    @Test
    void isOrthogonal() {
        int d = 30;
        double[] q = HaarRotation.draw(d, RandomStreams.forTask("haar", 0));
        double[] qtq = new double[d * d];
        NativeBlas.blas().dgemm("T", "N", d, d, d, 1.0, q, d, q, d, 0.0, qtq, d);
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                assertEquals(i == j ? 1 : 0, qtq[j * d + i], 1e-13, i + "," + j);
            }
        }
    }

    /**
     * Under the Haar measure on O(d) every entry {@code q} has mean 0 and {@code q^2 ~ Beta(1/2, (d-1)/2)}: mean
     * {@code 1/d}, variance {@code 2(d-1)/(d^2(d+2))}. Without the sign correction of Mezzadri the diagonal of
     * LAPACK's Q is always negative (Householder reflections), which the first check catches.
     */
    @Test
    void entriesHaveTheHaarMoments() {
        int d = 4;
        int draws = 4000;
        RandomGenerator rng = RandomStreams.forTask("haar-moments", 0);
        double[] sum = new double[d * d];
        double[] sumSq = new double[d * d];
        for (int r = 0; r < draws; r++) {
            double[] q = HaarRotation.draw(d, rng);
            for (int k = 0; k < q.length; k++) {
                sum[k] += q[k];
                sumSq[k] += q[k] * q[k];
            }
        }
        double var = 2.0 * (d - 1) / (d * d * (d + 2.0));
        for (int k = 0; k < d * d; k++) {
            // 16 entries x 2 checks at 5 standard errors
            assertEquals(0, sum[k] / draws, 5 * Math.sqrt(1.0 / d / draws), "mean of entry " + k);
            assertEquals(1.0 / d, sumSq[k] / draws, 5 * Math.sqrt(var / draws), "mean square of entry " + k);
        }
    }
}
