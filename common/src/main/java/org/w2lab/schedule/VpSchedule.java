package org.w2lab.schedule;

/**
 * The variance-preserving forward process {@code dx = -beta_t x dt + sqrt(2 beta_t) dw} on {@code [0, T]} with the
 * linear schedule {@code beta_t = beta_min + (beta_max - beta_min) t / T} (models.md; Pierret &amp; Galerne, eq. 1,
 * with {@code T = 1}, {@code beta_min = 0.05}, {@code beta_max = 10}).
 *
 * <p>Its marginal given an eigenvalue {@code lambda} of the data covariance has variance
 * {@code sigma_t^2(lambda) = e^{-2 B_t} lambda + 1 - e^{-2 B_t}} with {@code B_t = int_0^t beta}
 * (docs/theory.md, section 1).
 */
public final class VpSchedule implements VpProcess {
    private static final long serialVersionUID = 1L;

    private final double betaMin;
    private final double betaMax;
    private final double horizon;

    /**
     * @param betaMin {@code beta_min > 0}
     * @param betaMax {@code beta_max >= beta_min}
     * @param horizon the final time {@code T > 0}
     */
    public VpSchedule(double betaMin, double betaMax, double horizon) {
        if (!(betaMin > 0) || !(betaMax >= betaMin) || !(horizon > 0) || Double.isInfinite(betaMax)
                || Double.isInfinite(horizon)) {
            throw new IllegalArgumentException("need 0 < beta_min <= beta_max and T > 0, all finite; got beta_min="
                    + betaMin + ", beta_max=" + betaMax + ", T=" + horizon);
        }
        this.betaMin = betaMin;
        this.betaMax = betaMax;
        this.horizon = horizon;
    }

    /** Pierret &amp; Galerne's experiments: {@code T = 1}, {@code beta_min = 0.05}, {@code beta_max = 10}. */
    public static VpSchedule standard() {
        return new VpSchedule(0.05, 10, 1);
    }

    public double betaMin() {
        return betaMin;
    }

    public double betaMax() {
        return betaMax;
    }

    /** The final time {@code T}. */
    @Override
    public double horizon() {
        return horizon;
    }

    /** {@code beta_t}. */
    @Override
    public double beta(double t) {
        return betaMin + (betaMax - betaMin) * t / horizon;
    }

    /** {@code B_t = int_0^t beta_s ds = beta_min t + (beta_max - beta_min) t^2 / (2 T)}. */
    @Override
    public double integral(double t) {
        return betaMin * t + (betaMax - betaMin) * t * t / (2 * horizon);
    }

    /**
     * The forward marginal variance {@code sigma_t^2(lambda) = e^{-2 B_t} lambda + (1 - e^{-2 B_t})}, written with
     * {@code expm1} so that it keeps full relative precision for {@code lambda = 0} and small {@code t}. It is
     * {@code decay(t) lambda + noise(t)} to the bit, so {@link #variances} keeps the default.
     */
    @Override
    public double variance(double lambda, double t) {
        double b2 = 2 * integral(t);
        return StrictMath.exp(-b2) * lambda - StrictMath.expm1(-b2);
    }

    /**
     * The inverse of {@link #noiseLevel} (docs/theory.md, 11.2): {@code B = log(1 + sigma^2) / 2}, then the positive
     * root of {@code (beta_max - beta_min) t^2 / (2 T) + beta_min t - B = 0}, written as
     * {@code 2 B / (beta_min + sqrt(beta_min^2 + 2 (beta_max - beta_min) B / T))} to avoid cancellation. Times beyond
     * {@code T} (a noise level above {@code sigma(T)}, as the EDM churn can ask for) follow the same linear
     * {@code beta}.
     *
     * @param sigma {@code sigma >= 0}
     */
    @Override
    public double timeOfNoiseLevel(double sigma) {
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("need a noise level sigma >= 0; got " + sigma);
        }
        double b = 0.5 * Math.log1p(sigma * sigma);
        return 2 * b / (betaMin + Math.sqrt(betaMin * betaMin + 2 * (betaMax - betaMin) * b / horizon));
    }
}
