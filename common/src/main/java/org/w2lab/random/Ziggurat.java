package org.w2lab.random;

import java.util.random.RandomGenerator;

/**
 * Standard normal draws by the ziggurat method with 256 blocks (Marsaglia &amp; Tsang 2000, "The ziggurat method
 * for generating random variables", in Doornik's 2005 form "An improved ziggurat method to generate normal random
 * samples", which takes the block index and the uniform from independent bits). One 64-bit word gives the block
 * (its low 8 bits) and a signed uniform (its high 53 bits); 99.3% of draws are accepted in the rectangle of their
 * block with one multiplication and one comparison, the rest are decided exactly in the wedge or drawn from the
 * tail beyond {@code R} by Marsaglia's 1964 method. The law is the exact normal.
 */
public final class Ziggurat {
    private static final int BLOCKS = 256;
    /** Start of the tail, and the common area of the blocks, for 256 blocks (Marsaglia &amp; Tsang, section 3). */
    private static final double R = 3.6541528853610088;
    private static final double V = 0.00492867323399;
    /** Block edges: {@code X[0] = V / f(R)} (the base block with its tail as one area), {@code X[1] = R}, ... 0. */
    private static final double[] X = new double[BLOCKS + 1];
    /** {@code X[i + 1] / X[i]}: below it, a draw in block {@code i} lies under the density for sure. */
    private static final double[] RATIO = new double[BLOCKS];

    static {
        double f = Math.exp(-0.5 * R * R);
        X[0] = V / f;
        X[1] = R;
        for (int i = 2; i < BLOCKS; i++) {
            X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1] + f));
            f = Math.exp(-0.5 * X[i] * X[i]);
        }
        X[BLOCKS] = 0;
        for (int i = 0; i < BLOCKS; i++) {
            RATIO[i] = X[i + 1] / X[i];
        }
    }

    private Ziggurat() {
    }

    /** One standard normal draw. */
    public static double next(RandomGenerator rng) {
        long bits = rng.nextLong();
        int i = (int) bits & (BLOCKS - 1);
        double u = (bits >> 11) * 0x1.0p-52;
        return Math.abs(u) < RATIO[i] ? u * X[i] : outsideTheRectangle(rng, i, u);
    }

    /**
     * The rare case (0.7%), kept out of {@link #next} so that the common one stays small enough to inline: the
     * base block's tail, or a point of a wedge accepted under the density, or a new try.
     */
    private static double outsideTheRectangle(RandomGenerator rng, int block, double uniform) {
        int i = block;
        double u = uniform;
        while (true) {
            if (i == 0) {
                return tail(rng, u < 0);
            }
            double x = u * X[i];
            double f0 = Math.exp(-0.5 * (X[i] * X[i] - x * x));
            double f1 = Math.exp(-0.5 * (X[i + 1] * X[i + 1] - x * x));
            if (f1 + rng.nextDouble() * (f0 - f1) < 1.0) {
                return x;
            }
            long bits = rng.nextLong();
            i = (int) bits & (BLOCKS - 1);
            u = (bits >> 11) * 0x1.0p-52;
            if (Math.abs(u) < RATIO[i]) {
                return u * X[i];
            }
        }
    }

    /** A draw of the normal conditioned on {@code |z| > R} (Marsaglia 1964), with the given sign. */
    private static double tail(RandomGenerator rng, boolean negative) {
        double x;
        double y;
        do {
            x = Math.log(1 - rng.nextDouble()) / R;
            y = Math.log(1 - rng.nextDouble());
        } while (-2 * y < x * x);
        return negative ? x - R : R - x;
    }

    /** Fills {@code out[from .. to)} with standard normal draws. */
    public static void fill(RandomGenerator rng, double[] out, int from, int to) {
        for (int k = from; k < to; k++) {
            out[k] = next(rng);
        }
    }
}
