package org.w2lab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Native OpenBLAS out of the box (docs/performance.md, "Native BLAS"): the bundled library loads, the tests' JVM runs
 * it with w2lab's pinned threads and kernels, {@code w2lab.blas=java} falls back, and the pinned kernel is what
 * keeps products' bits the same across CPUs (a different kernel changes them).
 */
class NativeBlasTest {
    private static final boolean BUNDLED = "Linux".equals(System.getProperty("os.name"))
            && "amd64".equals(System.getProperty("os.arch"));

    @Test
    void bundledOpenBlasRunsWithThePinnedEnvironment() {
        String described = NativeBlas.describe();
        if (BUNDLED) {
            assertTrue(NativeBlas.isNative(), described);
            assertTrue(described.startsWith("BLAS: JNIBLAS, LAPACK: JNILAPACK (OpenBLAS " + NativeBlas.VERSION),
                    described);
            // the build's surefire configuration sets NativeBlas.ENVIRONMENT, as bin/w2lab and the executors do
            NativeBlas.ENVIRONMENT.forEach((variable, value) ->
                    assertTrue(described.contains(variable + "=" + value), described));
        } else {
            assertTrue(described.contains("no bundled OpenBLAS"), described);
        }
        assertEquals(NativeBlas.describeIfLoaded().orElseThrow(), described);
    }

    @Test
    void javaImplementationsOnRequest() throws Exception {
        String[] out = probe(Map.of(), "-Dw2lab.blas=java");
        assertTrue(out[0].startsWith("BLAS: VectorBLAS, LAPACK: F2jLAPACK")
                || out[0].startsWith("BLAS: JavaBLAS, LAPACK: F2jLAPACK"), out[0]);
        assertTrue(out[0].contains("w2lab.blas=java"), out[0]);
    }

    /**
     * The decision this checks: OpenBLAS picks its kernels by CPU, and kernels differ in their bits (Sandy Bridge's
     * have no FMA), so w2lab pins them; under the pin two JVMs agree to the bit.
     */
    @Test
    void theKernelPinDecidesTheBits() throws Exception {
        if (!BUNDLED) {
            return;
        }
        String[] pinned = probe(NativeBlas.ENVIRONMENT);
        String[] again = probe(NativeBlas.ENVIRONMENT);
        String[] sandyBridge = probe(Map.of("OPENBLAS_NUM_THREADS", "1", "OPENBLAS_CORETYPE", "Sandybridge"));
        assertTrue(pinned[0].contains("OPENBLAS_CORETYPE=Haswell"), pinned[0]);
        assertEquals(pinned[1], again[1]);
        assertNotEquals(pinned[1], sandyBridge[1]);
    }

    /** Runs {@link NativeBlasProbe} in a fresh JVM: its description and the bits of a product. */
    private static String[] probe(Map<String, String> environment, String... jvmOptions)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(jvmOptions));
        command.add("--add-modules=jdk.incubator.vector");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NativeBlasProbe.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().keySet().removeAll(NativeBlas.ENVIRONMENT.keySet());
        builder.environment().putAll(environment);
        Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return out.strip().split("\n");
    }
}
