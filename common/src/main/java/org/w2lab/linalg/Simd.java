package org.w2lab.linalg;

/**
 * Whether the SIMD kernels (the JDK's incubating Vector API, 256-bit vectors) run in this JVM: only when it has the
 * {@code jdk.incubator.vector} module (Spark's launcher options add it) and the hardware has vectors that wide,
 * else the Vector API would emulate them, slowly. Every kernel gives the same bits as its scalar counterpart, so
 * results do not depend on this.
 */
public final class Simd {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && VectorKernel.supported();

    private Simd() {
    }

    /** Whether the SIMD kernels run. */
    public static boolean available() {
        return AVAILABLE;
    }
}
