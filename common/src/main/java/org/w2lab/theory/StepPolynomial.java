package org.w2lab.theory;

import java.util.Arrays;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.LinearScore;
import org.w2lab.schedule.ForwardProcess;

/**
 * One step of a sampler that keeps nothing between steps, on a linear score, as the polynomial it is in its score
 * evaluations (docs/theory.md 15.3, "the pairs in closed form"): evaluation {@code s} (in the order the step makes
 * them) applies the score matrix {@code P_s}, and an explicit step multiplies the state by
 * {@code M = sum_S c_S prod_{s in S, latest first} P_s} over the subsets {@code S} of its evaluations, each matrix at
 * most once. Its noise is either added after the evaluations (a variance {@code q} that no {@code P} moves) or before
 * them (a variance {@code kappa} the state carries into the evaluations, as the churn of EDM's stochastic sampler).
 * The coefficients {@code c_S} are read off the step on one coordinate with a score that answers {@code p_s} at its
 * {@code s}-th evaluation: {@code a(1_T) = sum_{S in T} c_S}, inverted over the subsets; the form is then checked at
 * another point, and the noise at every point.
 */
final class StepPolynomial {
    /** The most evaluations a step may make (2^4 subsets). */
    static final int MAX_EVALUATIONS = 4;
    /** Round-off allowed in the checks. */
    private static final double CHECK = 1e-12;

    /** The forward time of each evaluation, in the step's order. */
    final double[] times;
    /** {@code c_S}, indexed by the bit set of {@code S} (bit {@code s}: evaluation {@code s}). */
    final double[] coefficients;
    /** The variance of the noise added before the evaluations (0 if none). */
    final double before;

    private StepPolynomial(double[] times, double[] coefficients, double before) {
        this.times = times;
        this.coefficients = coefficients;
        this.before = before;
    }

    int evaluations() {
        return times.length;
    }

    /**
     * On one coordinate, where evaluation {@code s} answers {@code p[s] + u[s] delta}: the first derivative of
     * {@code M = sum_S c_S prod_{s in S} p_s} in {@code delta} and half its second, at {@code delta = 0}.
     */
    double[] derivatives(double[] p, double[] u) {
        double first = 0;
        double half = 0;
        for (int mask = 1; mask < coefficients.length; mask++) {
            double c = coefficients[mask];
            for (int s = 0; s < times.length; s++) {
                if ((mask >> s & 1) == 0 || u[s] == 0) {
                    continue;
                }
                first += c * u[s] * product(mask & ~(1 << s), p);
                for (int s2 = s + 1; s2 < times.length; s2++) {
                    if ((mask >> s2 & 1) == 1 && u[s2] != 0) {
                        half += c * u[s] * u[s2] * product(mask & ~(1 << s) & ~(1 << s2), p);
                    }
                }
            }
        }
        return new double[] {first, half};
    }

    private static double product(int mask, double[] p) {
        double out = 1;
        for (int s = 0; s < p.length; s++) {
            if ((mask >> s & 1) == 1) {
                out *= p[s];
            }
        }
        return out;
    }

    /** The step from {@code tFrom} to {@code tTo} as a polynomial, or {@code null} when it is not of this form. */
    static StepPolynomial of(DiscreteScheme scheme, ForwardProcess process, double tFrom, double tTo) {
        Probe first = new Probe(new double[0]);
        first.run(scheme, process, tFrom, tTo);
        int e = first.calls;
        if (e < 1 || e > MAX_EVALUATIONS) {
            return null;
        }
        int subsets = 1 << e;
        double[] factor = new double[subsets];
        double[] added = new double[subsets];
        for (int mask = 0; mask < subsets; mask++) {
            double[] p = new double[e];
            for (int s = 0; s < e; s++) {
                p[s] = (mask >> s & 1);
            }
            Probe probe = new Probe(p);
            GaussianLaw out = probe.run(scheme, process, tFrom, tTo);
            if (probe.calls != e || !Arrays.equals(probe.times, first.times)) {
                return null;
            }
            factor[mask] = out.mean()[0];
            added[mask] = out.cov()[0];
        }
        double[] c = factor.clone();
        // Moebius inversion over the subsets: c_S = sum_{T in S} (-1)^{|S| - |T|} a(1_T)
        for (int s = 0; s < e; s++) {
            for (int mask = 0; mask < subsets; mask++) {
                if ((mask >> s & 1) == 1) {
                    c[mask] -= c[mask ^ (1 << s)];
                }
            }
        }
        double[] p = new double[e];
        for (int s = 0; s < e; s++) {
            p[s] = 0.3 + 0.7 * s;
        }
        GaussianLaw out = new Probe(p).run(scheme, process, tFrom, tTo);
        double value = 0;
        double scale = 0;
        for (int mask = 0; mask < subsets; mask++) {
            double term = c[mask] * monomial(mask, p);
            value += term;
            scale += Math.abs(term);
        }
        if (!(Math.abs(out.mean()[0] - value) <= CHECK * scale)) {
            return null;
        }
        Double before = noiseBefore(factor, added);
        if (before == null && !constant(added)) {
            return null;
        }
        return new StepPolynomial(first.times, c, before == null ? 0 : before);
    }

    /** {@code prod_{s in S} p_s}. */
    static double monomial(int mask, double[] p) {
        double product = 1;
        for (int s = 0; mask != 0; s++, mask >>= 1) {
            if ((mask & 1) == 1) {
                product *= p[s];
            }
        }
        return product;
    }

    /** Noise added after the evaluations: the same variance whatever the score. */
    private static boolean constant(double[] added) {
        double scale = 0;
        for (double q : added) {
            scale = Math.max(scale, Math.abs(q));
        }
        for (double q : added) {
            if (!(Math.abs(q - added[0]) <= CHECK * scale)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Noise added before the evaluations: {@code q = kappa a^2} at every point, some of them with {@code q > 0};
     * {@code kappa}, or {@code null}.
     */
    private static Double noiseBefore(double[] factor, double[] added) {
        double kappa = Double.NaN;
        for (int m = 0; m < factor.length; m++) {
            if (added[m] > 0 && factor[m] != 0) {
                kappa = added[m] / (factor[m] * factor[m]);
                break;
            }
        }
        if (Double.isNaN(kappa)) {
            return null;
        }
        for (int m = 0; m < factor.length; m++) {
            double expected = kappa * factor[m] * factor[m];
            if (!(Math.abs(added[m] - expected) <= CHECK * Math.max(Math.abs(added[m]), Math.abs(expected)))) {
                return null;
            }
        }
        return kappa;
    }

    /** A one-coordinate score that answers {@code p_s} at its {@code s}-th evaluation and records the times. */
    private static final class Probe implements LinearScore {
        private final double[] p;
        private double[] times = new double[0];
        private int calls;

        Probe(double[] p) {
            this.p = p;
        }

        GaussianLaw run(DiscreteScheme scheme, ForwardProcess process, double tFrom, double tTo) {
            return scheme.step(new GaussianLaw(1, new double[] {1}, new double[1]), this, process, tFrom, tTo);
        }

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public void at(double t, double[] pOut, double[] c) {
            times = Arrays.copyOf(times, calls + 1);
            times[calls] = t;
            pOut[0] = calls < p.length ? p[calls] : 0;
            c[0] = 0;
            calls++;
        }
    }
}
