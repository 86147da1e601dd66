package org.w2lab.sampler;

import org.w2lab.schedule.ForwardProcess;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.wasserstein.CommutingW2;

/**
 * The law of a sampler's iterate in the eigenbasis {@code U} of the data: every law along every scheme with the
 * exact score is {@code N(0, U diag(v) U^T)} (models.md), so the state is the vector {@code v} of variances, one
 * per eigenvalue {@code lambda_i}. Schemes update {@code v} in place.
 *
 * <p>A state may carry several laws started differently (one row of {@code v} per start): a step's coefficients
 * depend on the time and the eigenvalue only, so they are computed once and applied to every row with the same
 * operations, and each row's values are the same bits as when it is propagated alone.
 */
public final class SpectralState {
    final ForwardProcess schedule;
    final double[] lambda;
    final double[][] v;
    private final double lambdaMin;
    /** What a multistep scheme carries from step to step ({@link MultistepScheme}); {@code null} at the start. */
    Carry carry;
    private double[][] work = new double[0][];
    private double[] spare;
    /** The last {@link #noise} computed and its time (NaN: none yet). */
    private double noiseTime = Double.NaN;
    private double noiseValue;
    /** The {@link #kappa} arrays of the last distinct times, their times (NaN: empty) and when each was last used. */
    private final double[][] kappa = new double[KAPPA_TIMES][];
    private final double[] kappaTime = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    private final long[] kappaUsed = new long[KAPPA_TIMES];
    private long kappaClock;

    /** How many distinct times {@link #kappa} keeps: at most this many may be in use at once. */
    static final int KAPPA_TIMES = 4;

    /**
     * @param spectrum the data eigenvalues
     * @param schedule the forward process
     * @param v0       the initial variances of each start (copied)
     */
    public SpectralState(Spectrum spectrum, ForwardProcess schedule, double[]... v0) {
        if (v0.length == 0) {
            throw new IllegalArgumentException("need at least one start");
        }
        this.v = new double[v0.length][];
        for (int m = 0; m < v0.length; m++) {
            if (v0[m].length != spectrum.dimension()) {
                throw new IllegalArgumentException("need " + spectrum.dimension() + " initial variances, got "
                        + v0[m].length);
            }
            this.v[m] = v0[m].clone();
        }
        this.schedule = schedule;
        this.lambda = spectrum.lambda();
        this.lambdaMin = spectrum.min();
    }

    /** The current variances of the first start (the array itself: callers must not modify it). */
    public double[] variances() {
        return v[0];
    }

    /** The current variances of start {@code m} (the array itself: callers must not modify it). */
    public double[] variances(int m) {
        return v[m];
    }

    /** The number of starts. */
    public int starts() {
        return v.length;
    }

    /**
     * {@code alpha_t^2} ({@code e^{-2 B_t}} for VP), after checking that the score of {@code p_t} exists:
     * {@code sigma_t^2(lambda) > 0} for every eigenvalue, which fails only at {@code t = 0} with a zero eigenvalue
     * (models.md: no density).
     *
     * @throws ScoreUndefinedException if the score is evaluated where {@code p_t} has no density
     */
    double decayForScore(double t) {
        double decay = schedule.decay(t);
        // decay lambda + noise is sigma_t^2(lambda) to the bit (ForwardProcess#variance)
        if (decay * lambdaMin + noise(t) <= 0) {
            throw new ScoreUndefinedException(t);
        }
        return decay;
    }

    /**
     * The noise part of {@code sigma_t^2} ({@code 1 - e^{-2 B_t}} for VP), to full relative precision near 0. The
     * last value is kept: a step asks for it right after {@link #decayForScore} at the same time.
     */
    double noise(double t) {
        if (t != noiseTime) {
            noiseValue = schedule.noise(t);
            noiseTime = t;
        }
        return noiseValue;
    }

    /**
     * {@code kappa_i = 1 / sigma_t^2(lambda_i)}, the exact score at time {@code t} being {@code -kappa y}
     * (docs/theory.md, section 3), after the check of {@link #decayForScore}. The arrays of the last
     * {@link #KAPPA_TIMES} distinct times asked for stay valid (the array itself is returned: callers must not modify
     * it), because a Runge-Kutta step evaluates the score at its end, where the next step starts, and RK4 twice at
     * its midpoint: the division per eigenvalue, the costly part of a stage, is done once per distinct time.
     *
     * @throws ScoreUndefinedException if the score is evaluated where {@code p_t} has no density
     */
    double[] kappa(double t) {
        int oldest = 0;
        for (int s = 0; s < KAPPA_TIMES; s++) {
            if (kappaTime[s] == t) {
                kappaUsed[s] = ++kappaClock;
                return kappa[s];
            }
            if (kappaUsed[s] < kappaUsed[oldest]) {
                oldest = s;
            }
        }
        double decay = decayForScore(t);
        double noise = noise(t);
        if (kappa[oldest] == null) {
            kappa[oldest] = new double[lambda.length];
        }
        double[] k = kappa[oldest];
        for (int i = 0; i < k.length; i++) {
            k[i] = 1 / (decay * lambda[i] + noise);
        }
        kappaTime[oldest] = t;
        kappaUsed[oldest] = ++kappaClock;
        return k;
    }

    /**
     * Start {@code m + 1}, the partner of start {@code m} when a scheme updates the starts two at a time in one pass
     * (the factor of a step, with its division, computed once for both); for the last of an odd number of starts, a
     * row of its own that no result reads. A scheme's update keeps that row finite and away from subnormal numbers
     * (zeros stay zeros under {@code v <- R^2 v}; {@code v <- a^2 v + q} stays at least {@code q}).
     */
    double[] partner(int m) {
        if (m + 1 < v.length) {
            return v[m + 1];
        }
        if (spare == null) {
            spare = new double[lambda.length];
        }
        return spare;
    }

    /** At least {@code rows} scratch arrays of the dimension, reused across steps (contents unspecified). */
    double[][] work(int rows) {
        if (work.length < rows) {
            work = new double[rows][lambda.length];
        }
        return work;
    }

    /**
     * {@code W2(N(0, diag v), p_t)}: the law now against the forward marginal at time {@code t}. The terms are
     * {@link CommutingW2#term} computed in one branch-free pass (which the JIT vectorizes), then summed by
     * {@link CommutingW2#sum} in a fixed order, so the value does not depend on anything but the inputs.
     */
    public double w2ToMarginal(int m, double t) {
        double decay = schedule.decay(t);
        double noise = schedule.noise(t);
        double[] terms = work(1)[0];
        double[] vm = v[m];
        int d = vm.length;
        for (int i = 0; i < d; i++) {
            double target = decay * lambda[i] + noise;
            // (a - b) / (sqrt a + sqrt b); when both are 0 the numerator is 0 and MIN_VALUE avoids 0/0
            double diff = (vm[i] - target) / Math.max(Math.sqrt(vm[i]) + Math.sqrt(target), Double.MIN_VALUE);
            terms[i] = diff * diff;
        }
        return Math.sqrt(CommutingW2.sum(terms, d));
    }

    /** {@code W2(N(0, diag v), p_data)} for start {@code m}. */
    public double w2ToData(int m) {
        return CommutingW2.distance(v[m], lambda);
    }

    /** Whether every variance of start {@code m} is finite. */
    public boolean isFinite(int m) {
        for (double x : v[m]) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
