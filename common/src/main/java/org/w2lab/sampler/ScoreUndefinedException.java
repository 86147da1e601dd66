package org.w2lab.sampler;

/**
 * Thrown when a scheme evaluates the score of {@code p_t} at a time where {@code p_t} has no density, or where a
 * learned score has no noise level to be trained at ({@code noise(t) = 0}).
 */
public final class ScoreUndefinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScoreUndefinedException(double t) {
        super("the score of p_t is undefined at t = " + t + ": the data covariance is singular");
    }
}
