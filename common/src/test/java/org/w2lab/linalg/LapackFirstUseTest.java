package org.w2lab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * Concurrent first use of LAPACK: threads released together by a barrier in a fresh JVM each make their first call
 * through {@link Lapack}; the machine precision must come out right in every thread (without the class's
 * initializer about a third of such starts returned a wrong one, 2^-104 or 2^-52, cached for the whole JVM; ten
 * starts catch that with probability above 0.99).
 */
class LapackFirstUseTest {
    private static final int THREADS = 8;

    /** Run in a fresh JVM: prints the smallest and largest precision the threads' first calls returned. */
    public static void main(String[] args) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        double[] eps = new double[THREADS];
        Thread[] threads = new Thread[THREADS];
        for (int k = 0; k < THREADS; k++) {
            int thread = k;
            threads[k] = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                eps[thread] = Lapack.get().dlamch("E");
            });
            threads[k].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println(Arrays.stream(eps).min().orElseThrow() + " " + Arrays.stream(eps).max().orElseThrow());
    }

    @Test
    void concurrentFirstCallsSeeTheRightPrecision() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int run = 0; run < 10; run++) {
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LapackFirstUseTest.class.getName()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.waitFor(), out);
            // LAPACK's eps: the relative machine precision, 2^-53 (rounding)
            String eps = String.valueOf(Math.ulp(1.0) / 2);
            assertEquals(eps + " " + eps, out.lines().reduce((a, b) -> b).orElse(""), "run " + run + ": " + out);
        }
    }
}
