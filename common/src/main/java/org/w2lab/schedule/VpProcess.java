package org.w2lab.schedule;

/**
 * A variance-preserving process {@code dx = -beta_t x dt + sqrt(2 beta_t) dw}: {@code alpha_t = e^{-B_t}},
 * {@code B_t = int_0^t beta}, whatever the schedule of {@code beta} (docs/theory.md, 13 and 17). Everything else
 * follows from {@code B} and {@code beta}.
 */
public interface VpProcess extends ForwardProcess {
    /** {@code B_t = int_0^t beta_s ds}. */
    double integral(double t);

    /** {@code beta_t = dB/dt}. */
    double beta(double t);

    @Override
    default String id() {
        return "vp";
    }

    /** {@code e^{-2 B_t}}. */
    @Override
    default double decay(double t) {
        return StrictMath.exp(-2 * integral(t));
    }

    /** {@code 1 - e^{-2 B_t}}, to full relative precision near {@code t = 0}. */
    @Override
    default double noise(double t) {
        return -StrictMath.expm1(-2 * integral(t));
    }

    /** {@code e^{-2 (B_later - B_t)}}. */
    @Override
    default double decayRatio(double t, double later) {
        return StrictMath.exp(-2 * (integral(later) - integral(t)));
    }

    /** {@code r_t = beta_t} ({@code f = -beta}). */
    @Override
    default double drift(double t) {
        return beta(t);
    }

    /** {@code D_t = beta_t} ({@code g^2 = 2 beta}). */
    @Override
    default double diffusion(double t) {
        return beta(t);
    }

    /** {@code N(0, I)}. */
    @Override
    default double priorVariance() {
        return 1;
    }

    /** The signal scale {@code alpha_t = e^{-B_t}}: {@code x_t = alpha_t x_0 + sqrt(1 - alpha_t^2) z}. */
    @Override
    default double scale(double t) {
        return StrictMath.exp(-integral(t));
    }

    /**
     * The noise level {@code sigma(t) = sqrt(e^{2 B_t} - 1)} of Karras et al. (2022, Table 1, VP column, in this
     * SDE's convention): {@code x_t / alpha_t = x_0 + sigma(t) z} (docs/theory.md, 11.2). It is {@code e^{-lambda_t}}
     * for Lu et al.'s half log-SNR {@code lambda_t = log(alpha_t / sqrt(1 - alpha_t^2))}.
     */
    @Override
    default double noiseLevel(double t) {
        return Math.sqrt(StrictMath.expm1(2 * integral(t)));
    }
}
