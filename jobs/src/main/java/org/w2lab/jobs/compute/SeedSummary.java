package org.w2lab.jobs.compute;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.w2lab.stats.SeedStatistics;

/**
 * The summary of a configuration's seeds: statistics over the seeds whose status is {@code ok}; the others are
 * counted, never averaged.
 *
 * @param nSeeds    seeds run
 * @param nOk       seeds with status {@code ok}
 * @param nDiverged seeds with status {@code diverged}
 * @param empirical the bias-corrected Gaussian-fit W2 over the ok seeds
 * @param fitMean   the mean raw Gaussian-fit W2 over the ok seeds
 * @param slicedMean the mean sliced W2 over the ok seeds
 */
public record SeedSummary(int nSeeds, int nOk, int nDiverged, SeedStatistics empirical, double fitMean,
                          double slicedMean) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Summarizes seeds given in any order: they are sorted by seed first, so the sums are always in one order. */
    public static SeedSummary of(Iterable<RunMetrics> runs) {
        List<RunMetrics> sorted = new ArrayList<>();
        runs.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(RunMetrics::seed));
        List<RunMetrics> ok = sorted.stream().filter(RunMetrics::ok).toList();
        int diverged = (int) sorted.stream().filter(RunMetrics::diverged).count();
        return new SeedSummary(sorted.size(), ok.size(), diverged,
                SeedStatistics.of(ok.stream().mapToDouble(RunMetrics::w2Empirical).toArray()),
                SeedStatistics.of(ok.stream().mapToDouble(RunMetrics::w2Fit).toArray()).mean(),
                SeedStatistics.of(ok.stream().mapToDouble(RunMetrics::w2Sliced).toArray()).mean());
    }
}
