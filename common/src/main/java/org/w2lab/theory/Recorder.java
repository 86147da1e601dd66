package org.w2lab.theory;

import java.util.Arrays;

/**
 * Keeps the trajectory points of every {@code every}-th step and of the last one (the {@code record_every} key):
 * the step index {@code k}, the backward time {@code s_k} and a W2 value.
 */
public final class Recorder {
    private final int last;
    private final int every;
    private final int[] steps;
    private final double[] times;
    private final double[] w2;
    private int n;

    /**
     * @param last  the last step, always recorded unless {@code every} is 0
     * @param every the period; 0 records nothing
     */
    public Recorder(int last, int every) {
        this.last = last;
        this.every = every;
        int capacity = every <= 0 ? 0 : last / every + 2;
        steps = new int[capacity];
        times = new double[capacity];
        w2 = new double[capacity];
    }

    /** Whether step {@code k} is recorded. */
    public boolean wants(int k) {
        return every > 0 && (k % every == 0 || k == last);
    }

    /** Records {@code value} at step {@code k} (backward time {@code s}) if that step is wanted. */
    public void offer(int k, double s, double value) {
        if (wants(k)) {
            steps[n] = k;
            times[n] = s;
            w2[n] = value;
            n++;
        }
    }

    /** The recorded step indices. */
    public int[] steps() {
        return Arrays.copyOf(steps, n);
    }

    /** The recorded backward times. */
    public double[] times() {
        return Arrays.copyOf(times, n);
    }

    /** The recorded values. */
    public double[] values() {
        return Arrays.copyOf(w2, n);
    }

    /** The result with the points recorded so far (up to the breakdown when the status is not ok). */
    TheoryResult result(TheoryResult.Status status, double w2ToData) {
        return new TheoryResult(status, w2ToData, steps(), times(), values());
    }
}
