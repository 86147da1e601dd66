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
        /** The recursion overflowed or produced a non-finite variance; for ULA, the chain has no stationary law. */
        DIVERGED("diverged"),
        /** Score matching by SGD overflowed: no score was learned. */
        SGD_DIVERGED("sgd_diverged"),
        /**
         * The SGD step is past the variance stability bound (docs/theory.md, 10.3): the iterates' second moments grow
         * without limit, so the predicted error (which needs them) is not defined.
         */
        SGD_VARIANCE_UNBOUNDED("sgd_variance_unbounded"),
        /**
         * With a learned score, the first-order prediction of {@code E W2^2} came out negative at a recorded step: the
         * learned score's first-order terms cancel more than the exact-score error, outside the expansion's range
         * (docs/theory.md, 15.3), so there is no value to give.
         */
        EXPANSION_NEGATIVE("expansion_negative");

        private final String id;

        Status(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }
}
