package org.w2lab.theory;

/**
 * The exact W2 errors of one sampler configuration.
 *
 * @param status     {@link Status}
 * @param w2ToData   {@code W2(final law, p_data)}; {@code NaN} unless the status is {@code ok}; the trajectory of a
 *                   run that broke down stops before the breakdown
 * @param steps      the recorded step indices {@code k}
 * @param times      the backward times {@code s_k} of those steps ({@code p_{T - s_k}} is the reference)
 * @param w2ToMarginal {@code W2(law_k, p_{T - s_k})} at those steps
 */
public record TheoryResult(Status status, double w2ToData, int[] steps, double[] times, double[] w2ToMarginal)
        implements java.io.Serializable {
    /** The outcome of a configuration, the {@code status} column. */
    public enum Status {
        /** Computed. */
        OK("ok"),
        /** A score evaluation fell where {@code p_t} has no density ({@code t = 0}, singular data covariance). */
        SCORE_UNDEFINED("score_undefined"),
        /** The recursion overflowed or produced a non-finite variance. */
        DIVERGED("diverged");

        private final String id;

        Status(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }
}
