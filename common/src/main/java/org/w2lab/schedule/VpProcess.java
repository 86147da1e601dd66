package org.w2lab.schedule;

/**
 * A variance-preserving process {@code dx = -beta_t x dt + sqrt(2 beta_t) dw}: {@code alpha_t = e^{-B_t}},
 * {@code B_t = int_0^t beta}, whatever the schedule of {@code beta} (docs/theory.md, 13 and 17).
 */
public interface VpProcess extends ForwardProcess {
    /** {@code B_t = int_0^t beta_s ds}. */
    double integral(double t);
}
