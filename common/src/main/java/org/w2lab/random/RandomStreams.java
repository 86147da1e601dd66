package org.w2lab.random;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * One independent random stream per (configuration, seed) task: the JDK's {@code L64X128MixRandom} (an LXM
 * generator, Steele &amp; Vigna 2021, specified bit for bit by the JDK) seeded with the SHA-256 of
 * {@code config_id} and the seed. A task's numbers therefore depend on the task alone, never on which executor
 * runs it or in what order.
 */
public final class RandomStreams {
    /** The generator algorithm, as {@link RandomGeneratorFactory} names it. */
    public static final String ALGORITHM = "L64X128MixRandom";
    private static final RandomGeneratorFactory<RandomGenerator> FACTORY = factory();

    private RandomStreams() {
    }

    /**
     * The factory, looked up through the system class loader: the lookup is a service lookup through the thread's
     * context class loader, and a Spark executor thread's loader does not reach the JDK's {@code jdk.random}
     * module.
     */
    private static RandomGeneratorFactory<RandomGenerator> factory() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
            return RandomGeneratorFactory.of(ALGORITHM);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The stream of a task.
     *
     * @param configId the configuration's stable id
     * @param seed     the seed index
     */
    public static RandomGenerator forTask(String configId, long seed) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(configId.getBytes(StandardCharsets.UTF_8));
            md.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            return FACTORY.create(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * Fills {@code out} with standard normal draws ({@link RandomGenerator#nextGaussian()}: the JDK's modified
     * ziggurat, McFarland 2016).
     *
     * @param out modified
     */
    public static void fillNormal(RandomGenerator rng, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = rng.nextGaussian();
        }
    }
}
