package org.w2lab.schedule;

/**
 * The variance-exploding forward process {@code dx = sqrt(d[sigma^2(t)]/dt) dw} on {@code [0, T]} with the geometric
 * schedule {@code sigma(t) = sigma_min (sigma_max / sigma_min)^(t / T)} (Song et al. 2021, eq. 9 and Appendix C;
 * their CIFAR-10 choice {@code sigma_min = 0.01}, {@code sigma_max = 50}, {@code T = 1}). There is no drift
 * ({@code alpha_t = 1}); the noise added between 0 and {@code t} has variance
 * {@code sigma^2(t) - sigma_min^2 = sigma_min^2 (e^{2 L t / T} - 1)}, {@code L = log(sigma_max / sigma_min)}, so the
 * marginal on an eigenvalue {@code lambda} is {@code lambda + sigma_min^2 (e^{2 L t / T} - 1)} exactly
 * (docs/theory.md, section 13). The noise level of {@link ForwardProcess} is therefore
 * {@code sqrt(sigma^2(t) - sigma_min^2)}, not the schedule's {@code sigma(t)}, which Song et al. use as an
 * approximation of it.
 */
public final class VeSchedule implements ForwardProcess {
    private static final long serialVersionUID = 1L;

    private final double sigmaMin;
    private final double sigmaMax;
    private final double horizon;

    /**
     * @param sigmaMin {@code sigma_min > 0}
     * @param sigmaMax {@code sigma_max > sigma_min}
     * @param horizon  the final time {@code T > 0}
     */
    public VeSchedule(double sigmaMin, double sigmaMax, double horizon) {
        if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin) || !(horizon > 0) || Double.isInfinite(sigmaMax)
                || Double.isInfinite(horizon)) {
            throw new IllegalArgumentException("need 0 < sigma_min < sigma_max and T > 0, all finite; got sigma_min="
                    + sigmaMin + ", sigma_max=" + sigmaMax + ", T=" + horizon);
        }
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
        this.horizon = horizon;
    }

    /** Song et al.'s CIFAR-10 choice: {@code sigma_min = 0.01}, {@code sigma_max = 50}, {@code T = 1}. */
    public static VeSchedule standard() {
        return new VeSchedule(0.01, 50, 1);
    }

    public double sigmaMin() {
        return sigmaMin;
    }

    public double sigmaMax() {
        return sigmaMax;
    }

    @Override
    public String id() {
        return "ve";
    }

    @Override
    public double horizon() {
        return horizon;
    }

    /** {@code 2 L / T}, the growth rate of {@code sigma^2(t)}. */
    private double rate() {
        return 2 * Math.log(sigmaMax / sigmaMin) / horizon;
    }

    /** The schedule's {@code sigma(t) = sigma_min (sigma_max / sigma_min)^(t / T)}. */
    public double sigma(double t) {
        return sigmaMin * Math.exp(rate() * t / 2);
    }

    @Override
    public double decay(double t) {
        return 1;
    }

    /** {@code sigma^2(t) - sigma_min^2 = sigma_min^2 expm1(2 L t / T)}. */
    @Override
    public double noise(double t) {
        return sigmaMin * sigmaMin * Math.expm1(rate() * t);
    }

    @Override
    public double decayRatio(double t, double later) {
        return 1;
    }

    @Override
    public double scale(double t) {
        return 1;
    }

    @Override
    public double noiseLevel(double t) {
        return Math.sqrt(noise(t));
    }

    /** {@code t = T log(1 + sigma^2 / sigma_min^2) / (2 L)}. */
    @Override
    public double timeOfNoiseLevel(double sigma) {
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("need a noise level sigma >= 0; got " + sigma);
        }
        double ratio = sigma / sigmaMin;
        return Math.log1p(ratio * ratio) / rate();
    }

    /** No drift: {@code f = 0}. */
    @Override
    public double drift(double t) {
        return 0;
    }

    /** {@code D_t = (1/2) d sigma^2 / dt = sigma^2(t) L / T}. */
    @Override
    public double diffusion(double t) {
        double s = sigma(t);
        return s * s * rate() / 2;
    }

    /** {@code noise(T) = sigma_max^2 - sigma_min^2}: the prior {@code N(0, (sigma_max^2 - sigma_min^2) I)}. */
    @Override
    public double priorVariance() {
        return noise(horizon);
    }
}
