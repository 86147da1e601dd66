package org.w2lab.sampler;

/**
 * A score that is affine in its argument, {@code s_t(y) = -P_t y + c_t}: the exact score of a Gaussian (models.md)
 * and the learned linear scores (Tweedie: {@code s = (D(y) - y) / sigma^2} with {@code D(y) = A y + b}).
 */
public interface LinearScore {
    /** The dimension {@code n}. */
    int dimension();

    /**
     * Writes {@code P_t} (column-major {@code n x n}) and {@code c_t} at forward time {@code t}.
     *
     * @param p modified
     * @param c modified
     * @throws ScoreUndefinedException if the score does not exist at {@code t}
     */
    void at(double t, double[] p, double[] c);

    /**
     * {@code P_t}'s diagonal, where this score knows {@code P_t} to be diagonal (the exact score in the data's
     * eigenbasis), with {@code c_t} written as by {@link #at}; {@code null}, and nothing written, otherwise. A particle
     * step then works on the diagonal alone, with no {@code n x n} matrix formed: the same values as from the dense
     * matrix, each diagonal entry computed by the same expression.
     *
     * @param c modified when the diagonal is returned
     * @throws ScoreUndefinedException if the score does not exist at {@code t}
     */
    default double[] diagonalAt(double t, double[] c) {
        return null;
    }
}
