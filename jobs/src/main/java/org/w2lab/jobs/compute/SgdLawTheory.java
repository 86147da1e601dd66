package org.w2lab.jobs.compute;

import java.io.Serializable;
import org.w2lab.jobs.config.LangevinSpec;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.random.RandomStreams;
import org.w2lab.score.IterateFit;
import org.w2lab.score.SgdStationaryLaw;
import org.w2lab.spectrum.Spectrum;

/**
 * The predicted law of the final SGD iterate of an {@code sgd} configuration, from the configuration alone
 * (docs/theory.md, 10.9), and the W2 that the fit of its seeds would show if the prediction were exact.
 *
 * @param firstOrder     the Gaussian law with the first-order optimization variances
 * @param exact          the Gaussian law with the exact second moments; {@code null} past the variance bound
 * @param varianceBound  the SGD variance stability bound on {@code tau}
 * @param perfectMedian  the median W2 of the fit of {@code seeds} draws of the exact law to that law; NaN when
 *                       {@code exact} is null
 * @param perfectQ95     its 95th percentile
 */
public record SgdLawTheory(SgdStationaryLaw firstOrder, SgdStationaryLaw exact, double varianceBound,
                           double perfectMedian, double perfectQ95) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Replicates of the perfect prediction's fit: its 95th percentile is their 191st smallest value. */
    public static final int REPLICATES = 200;

    public static SgdLawTheory of(TaskSpec task, Spectrum spectrum) {
        LangevinSpec l = task.langevin();
        double[] lambda = spectrum.lambda();
        double[] mean = task.dataMeanInEigenbasis();
        SgdStationaryLaw first = new SgdStationaryLaw(lambda, mean, l.sigma(), l.tau(), l.batch(), l.nTrain(),
                SgdStationaryLaw.Order.FIRST);
        double bound = SgdStationaryLaw.varianceStabilityBound(lambda, mean, l.sigma(), l.batch());
        if (!(l.tau() < bound)) {
            return new SgdLawTheory(first, null, bound, Double.NaN, Double.NaN);
        }
        SgdStationaryLaw exact = new SgdStationaryLaw(lambda, mean, l.sigma(), l.tau(), l.batch(), l.nTrain(),
                SgdStationaryLaw.Order.EXACT);
        double[] perfect = IterateFit.samplingW2(exact, task.seeds(), REPLICATES,
                RandomStreams.forTask(task.configId() + "/perfect", 0));
        return new SgdLawTheory(first, exact, bound, (perfect[REPLICATES / 2 - 1] + perfect[REPLICATES / 2]) / 2,
                perfect[(int) Math.ceil(0.95 * REPLICATES) - 1]);
    }
}
