package org.w2lab.random;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.random.RandomGenerator;

/**
 * One independent random stream per (configuration, seed) task: a {@link Xoshiro256PlusPlus} whose 256-bit state
 * is the SHA-256 of {@code config_id} and the seed. A task's numbers therefore depend on the task alone, never on
 * which executor runs it or in what order; distinct tasks get unrelated states (a collision of two states would be
 * a SHA-256 collision).
 */
public final class RandomStreams {
    private RandomStreams() {
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
            ByteBuffer state = ByteBuffer.wrap(md.digest());
            return new Xoshiro256PlusPlus(state.getLong(), state.getLong(), state.getLong(), state.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * Fills {@code out} with standard normal draws ({@link Ziggurat}).
     *
     * @param out modified
     */
    public static void fillNormal(RandomGenerator rng, double[] out) {
        Ziggurat.fill(rng, out, 0, out.length);
    }
}
