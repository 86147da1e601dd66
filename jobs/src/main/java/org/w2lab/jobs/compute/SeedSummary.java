package org.w2lab.jobs.compute;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.w2lab.score.IterateFit;
import org.w2lab.stats.SeedStatistics;
import org.w2lab.theory.TheoryResult.Status;

/**
 * The summary of a configuration's seeds: statistics over the seeds whose status is {@code ok}; the others are
 * counted, never averaged.
 *
 * @param nSeeds               seeds run
 * @param nOk                  seeds with status {@code ok}
 * @param nDiverged            seeds with status {@code diverged}
 * @param nSgdDiverged         seeds with status {@code sgd_diverged}
 * @param empirical            the bias-corrected Gaussian-fit W2 over the ok seeds
 * @param empiricalSquared     the bias-corrected Gaussian-fit W2^2, unclipped, over the ok seeds
 * @param nClipped             ok seeds whose bias-corrected W2^2 is not positive (their W2 was clipped to 0)
 * @param quartiles            its first quartile, median and third quartile (linear interpolation)
 * @param fitMean              the mean raw Gaussian-fit W2 over the ok seeds
 * @param slicedMean           the mean sliced W2 over the ok seeds
 * @param conditional          ula and score = learned: the exact W2 of the seed's law given its learned score (for
 *                             ula after its steps), over the ok seeds
 * @param conditionalSquared   the same squared, over the ok seeds
 * @param stationary           ula: the exact W2 of its stationary law, over the ok seeds
 * @param stationarySquared    ula: the same squared (what the prediction predicts), over the ok seeds
 * @param noiseMean            ula: the mean empirical W2 with the noise amplitude alone (over finite values)
 * @param discretizationMean   ula: ... plus the ULA step
 * @param optimizationMean     ula: ... plus SGD on fresh samples
 * @param sgdFit               sgd: the Gaussian fit of the ok seeds' final iterates; {@code null} otherwise, or with
 *                             fewer than two
 */
public record SeedSummary(int nSeeds, int nOk, int nDiverged, int nSgdDiverged, SeedStatistics empirical,
                          SeedStatistics empiricalSquared, int nClipped,
                          double[] quartiles, double fitMean, double slicedMean, SeedStatistics conditional,
                          SeedStatistics conditionalSquared, SeedStatistics stationary, SeedStatistics stationarySquared, double noiseMean,
                          double discretizationMean, double optimizationMean, IterateFit sgdFit)
        implements Serializable {
    private static final long serialVersionUID = 5L;

    /** Summarizes seeds given in any order: they are sorted by seed first, so the sums are always in one order. */
    public static SeedSummary of(Iterable<RunMetrics> runs) {
        List<RunMetrics> sorted = new ArrayList<>();
        runs.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(RunMetrics::seed));
        List<RunMetrics> ok = sorted.stream().filter(RunMetrics::ok).toList();
        double[] empirical = ok.stream().mapToDouble(RunMetrics::w2Empirical).toArray();
        return new SeedSummary(sorted.size(), ok.size(), count(sorted, Status.DIVERGED),
                count(sorted, Status.SGD_DIVERGED), SeedStatistics.of(empirical),
                SeedStatistics.of(values(ok, RunMetrics::w2sqEmpirical)),
                (int) ok.stream().filter(r -> r.w2sqEmpirical() <= 0).count(), quartiles(empirical),
                SeedStatistics.of(values(ok, RunMetrics::w2Fit)).mean(),
                SeedStatistics.of(values(ok, RunMetrics::w2Sliced)).mean(),
                SeedStatistics.of(values(ok, RunMetrics::w2Conditional)),
                SeedStatistics.of(values(ok, r -> r.w2Conditional() * r.w2Conditional())),
                SeedStatistics.of(values(ok, RunMetrics::w2Stationary)),
                SeedStatistics.of(values(ok, r -> r.w2Stationary() * r.w2Stationary())),
                finiteMean(sorted, RunMetrics::w2Noise), finiteMean(sorted, RunMetrics::w2PlusDiscretization),
                finiteMean(sorted, RunMetrics::w2PlusOptimization), sgdFit(ok));
    }

    private static IterateFit sgdFit(List<RunMetrics> ok) {
        List<double[]> thetas = ok.stream().map(RunMetrics::sgdTheta).filter(java.util.Objects::nonNull).toList();
        return thetas.size() < 2 ? null : IterateFit.of(thetas);
    }

    /**
     * Whether the seeds cannot tell the error from zero at their particle count: a seed's bias-corrected
     * {@code W2^2} is negative (its {@code W2} was clipped to 0), or the 95% interval of their mean reaches 0.
     * Then no interval of {@code W2} is claimed (docs/tables.md); with fewer than two ok seeds there is none anyway.
     */
    public boolean belowResolution() {
        SeedStatistics sq = empiricalSquared;
        return nClipped > 0 || sq.n() >= 2 && sq.mean() - sq.ci95() <= 0;
    }

    /**
     * The 95% interval of {@code W2} from that of {@code W2^2}, {@code [sqrt(max(m - h, 0)), sqrt(m + h)]} (the square
     * root is increasing, so it holds {@code W2} as often as the other holds {@code W2^2}); {@code null} below the
     * resolution or with fewer than two ok seeds.
     */
    public double[] w2Interval() {
        SeedStatistics sq = empiricalSquared;
        if (sq.n() < 2 || belowResolution()) {
            return null;
        }
        return new double[] {Math.sqrt(Math.max(sq.mean() - sq.ci95(), 0)), Math.sqrt(sq.mean() + sq.ci95())};
    }

    /** The fraction of seeds whose learned chain diverged, among those where SGD learned a score; NaN if none. */
    public double divergenceFraction() {
        int learned = nSeeds - nSgdDiverged;
        return learned == 0 ? Double.NaN : (double) nDiverged / learned;
    }

    private static int count(List<RunMetrics> runs, Status status) {
        return (int) runs.stream().filter(r -> r.status() == status).count();
    }

    private static double[] values(List<RunMetrics> runs, ToDoubleFunction<RunMetrics> f) {
        return runs.stream().mapToDouble(f).toArray();
    }

    private static double finiteMean(List<RunMetrics> runs, ToDoubleFunction<RunMetrics> f) {
        return SeedStatistics.of(runs.stream().mapToDouble(f).filter(Double::isFinite).toArray()).mean();
    }

    /** Quartiles by linear interpolation between order statistics (Hyndman and Fan's type 7); NaN for none. */
    static double[] quartiles(double[] values) {
        double[] q = new double[3];
        if (values.length == 0) {
            Arrays.fill(q, Double.NaN);
            return q;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < 3; k++) {
            double h = (sorted.length - 1) * (k + 1) / 4.0;
            int lo = (int) Math.floor(h);
            int hi = Math.min(lo + 1, sorted.length - 1);
            q[k] = sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
        }
        return q;
    }
}
