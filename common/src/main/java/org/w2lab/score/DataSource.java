package org.w2lab.score;

import java.util.random.RandomGenerator;

/** Where denoising score matching takes its clean samples {@code x} from, one at a time. */
public interface DataSource {
    /** The dimension {@code d}. */
    int dimension();

    /**
     * Writes the next sample.
     *
     * @param rng the stream the draw consumes
     * @param x   modified: the sample
     */
    void next(RandomGenerator rng, double[] x);
}
