package org.w2lab.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The BLAS and LAPACK every routine of w2lab calls: native OpenBLAS (with its LAPACK) from the
 * {@code org.bytedeco:openblas} jar on the class path, else whatever netlib finds (a system {@code libblas.so.3}, else
 * its Java implementations). The jar's libraries are copied once per version and user to a folder outside the jar
 * and loaded in the order of their dependencies; netlib's bindings are then pointed at {@code libopenblas.so.0} by
 * their own system properties. This must happen before netlib's first {@code getInstance()}, hence one entry point,
 * {@link #blas()} and {@link #lapack()}, that every caller in w2lab goes through (driver, executors and tests alike).
 *
 * <p>OpenBLAS reads its thread count and kernel choice from the environment when it loads
 * ({@code OPENBLAS_NUM_THREADS}, {@code OPENBLAS_CORETYPE}); {@link #ENVIRONMENT} holds w2lab's defaults, which
 * {@code bin/w2lab}, the executors' environment and the tests set (docs/performance.md, "Native BLAS").
 *
 * <p>System property {@code w2lab.blas}: {@code native} (default) or {@code java} (netlib's Java implementations,
 * e.g. to compare with results computed without a native library). {@code w2lab.native.dir}: where the libraries
 * are copied (default: the JVM's temporary folder).
 */
public final class NativeBlas {
    /** The OpenBLAS build the jar holds (the {@code org.bytedeco:openblas} version in the parent POM). */
    public static final String VERSION = "0.3.31-1.5.13";

    /**
     * One thread per executor core (Spark runs a task per core), and the Haswell kernels (AVX2, every x86-64
     * server since 2013) whatever the CPU: OpenBLAS otherwise picks its kernels by CPU model, and a task retried on
     * another model could differ in its last bits. Measured here: the Haswell kernels run a 1000 x 1000 product at
     * the speed of the AVX-512 ones the CPU would get (51 against 52 GFLOP/s).
     */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            "OPENBLAS_NUM_THREADS", "1",
            "OPENBLAS_CORETYPE", "Haswell");

    private static final String RESOURCES = "org/bytedeco/openblas/linux-x86_64/";
    /** In the order of their dependencies: a library's own dependencies are found loaded by their names. */
    private static final List<String> LIBRARIES = List.of("libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0");
    /** Loaded only where the system has none (libgfortran needs it). */
    private static final String GCC_RUNTIME = "libgcc_s.so.1";
    private static final String BLAS_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
    private static final String LAPACK_PATH = "dev.ludovic.netlib.lapack.nativeLibPath";

    private NativeBlas() {
    }

    /** Loaded on first use, not when {@link #ENVIRONMENT} is read (the driver's short commands need no BLAS). */
    private static final class Loaded {
        static final String INSTALLED = install();
        static final BLAS BLAS_INSTANCE = BLAS.getInstance();
        static final LAPACK LAPACK_INSTANCE = LAPACK.getInstance();
        /** Fixed once loaded: tasks report it after every batch (RunJob). */
        static final String DESCRIPTION = "BLAS: " + BLAS_INSTANCE.getClass().getSimpleName() + ", LAPACK: "
                + LAPACK_INSTANCE.getClass().getSimpleName() + " (" + INSTALLED + ")";

        static {
            loaded = true;
        }
    }

    private static volatile boolean loaded;

    /** {@link #describe()} once this JVM has used BLAS or LAPACK through w2lab, else empty (nothing loaded). */
    public static Optional<String> describeIfLoaded() {
        return loaded ? Optional.of(describe()) : Optional.empty();
    }

    /** The BLAS of this JVM. */
    public static BLAS blas() {
        return Loaded.BLAS_INSTANCE;
    }

    /** The LAPACK of this JVM (callers of this package go through {@link Lapack}, which makes F2J's safe). */
    static LAPACK lapack() {
        return Loaded.LAPACK_INSTANCE;
    }

    /** Whether both BLAS and LAPACK run native code. */
    public static boolean isNative() {
        return blas().getClass().getSimpleName().startsWith("JNI")
                && lapack().getClass().getSimpleName().startsWith("JNI");
    }

    /**
     * One line for logs and {@code bench}: which implementations run and, for OpenBLAS, its threads and kernels,
     * e.g. {@code BLAS: JNIBLAS, LAPACK: JNILAPACK (OpenBLAS 0.3.31-1.5.13, 1 thread, Haswell kernels)}.
     */
    public static String describe() {
        return Loaded.DESCRIPTION;
    }

    private static String install() {
        if (System.getProperty(BLAS_PATH) != null || System.getProperty(LAPACK_PATH) != null) {
            return "native libraries set by " + BLAS_PATH + " / " + LAPACK_PATH;
        }
        if ("java".equals(System.getProperty("w2lab.blas"))) {
            // a path that does not load makes netlib fall back to its Java implementations
            System.setProperty(BLAS_PATH, "/w2lab.blas=java");
            System.setProperty(LAPACK_PATH, "/w2lab.blas=java");
            return "Java implementations asked for by w2lab.blas=java";
        }
        if (!"Linux".equals(System.getProperty("os.name")) || !"amd64".equals(System.getProperty("os.arch"))) {
            return "no bundled OpenBLAS for " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
        }
        if (NativeBlas.class.getClassLoader().getResource(RESOURCES + "libopenblas.so.0") == null) {
            return "org.bytedeco:openblas is not on the class path";
        }
        try {
            Path dir = copyOut();
            try {
                System.load(dir.resolve(LIBRARIES.get(0)).toString());
                System.load(dir.resolve(LIBRARIES.get(1)).toString());
            } catch (UnsatisfiedLinkError noSystemRuntime) {
                System.load(dir.resolve(GCC_RUNTIME).toString());
                System.load(dir.resolve(LIBRARIES.get(1)).toString());
            }
            String openblas = dir.resolve(LIBRARIES.get(2)).toString();
            System.load(openblas);
            System.setProperty(BLAS_PATH, openblas);
            System.setProperty(LAPACK_PATH, openblas);
            return "OpenBLAS " + VERSION + ", " + setting("OPENBLAS_NUM_THREADS", "threads") + ", "
                    + setting("OPENBLAS_CORETYPE", "kernels");
        } catch (IOException | UncheckedIOException | UnsatisfiedLinkError e) {
            return "the bundled OpenBLAS did not load: " + e.getMessage();
        }
    }

    private static String setting(String variable, String what) {
        String value = System.getenv(variable);
        return value == null || value.isEmpty()
                ? what + " of OpenBLAS's choice (" + variable + " unset)"
                : what + " " + variable + "=" + value;
    }

    /**
     * Copies the libraries to {@code w2lab-openblas-VERSION-USER} once: each through a temporary file renamed into
     * place, so JVMs starting together (executors) never load a half-written library.
     */
    private static Path copyOut() throws IOException {
        Path dir = Path.of(System.getProperty("w2lab.native.dir", System.getProperty("java.io.tmpdir")),
                "w2lab-openblas-" + VERSION + "-" + System.getProperty("user.name"));
        Files.createDirectories(dir);
        // a folder in a shared temporary folder that another user made could hold other libraries
        String owner = Files.getOwner(dir).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new IOException(dir + " belongs to " + owner);
        }
        for (String name : List.of(GCC_RUNTIME, LIBRARIES.get(0), LIBRARIES.get(1), LIBRARIES.get(2))) {
            Path target = dir.resolve(name);
            URL resource = NativeBlas.class.getClassLoader().getResource(RESOURCES + name);
            if (resource == null) {
                throw new IOException("the jar has no " + RESOURCES + name);
            }
            URLConnection connection = resource.openConnection();
            if (Files.isRegularFile(target) && Files.size(target) == connection.getContentLengthLong()) {
                continue;
            }
            try (InputStream in = connection.getInputStream()) {
                Path part = Files.createTempFile(dir, name, ".part");
                try {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
        }
        return dir;
    }
}
