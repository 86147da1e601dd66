package org.w2lab.jobs.compute;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.w2lab.jobs.config.LangevinSpec;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.random.RandomStreams;
import org.w2lab.score.SgdStationaryLaw;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.theory.LangevinPrediction;
import org.w2lab.theory.SampledLangevinPrediction;

/**
 * The predicted error of a {@code ula} configuration from the configuration alone (docs/theory.md, section 10).
 *
 * @param firstOrder          the stages with first-order SGD variances
 * @param exact               the stages with the exact SGD second moments; {@code null} past the variance bound
 * @param varianceBound       the SGD variance stability bound on {@code tau}
 * @param divergencePredicted the predicted probability that the learned chain has no stationary law; NaN when not
 *                            computed (past the variance bound, or {@code d > } {@link #DIVERGENCE_MAX_D})
 * @param kernel              rows {@code {lambda_i, lambda_j, optimization, generalization}} of the pair kernel on
 *                            the configured grid of {@code [0, 1]^2}
 * @param sampled             the prediction by sampling the learned score's law ({@link SampledLangevinPrediction});
 *                            {@code null} past the variance bound, for {@code d >} its {@code MAX_D}, or where its
 *                            draws do not settle (heavy tails near the stability bound)
 */
public record LangevinTheory(LangevinPrediction.Stages firstOrder, LangevinPrediction.Stages exact,
                             double varianceBound, double divergencePredicted, List<double[]> kernel,
                             SampledLangevinPrediction.Estimate sampled)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Draws of the learned matrix for the divergence probability (standard error at most 1.6%). */
    public static final int DIVERGENCE_DRAWS = 1000;
    /** The largest dimension the divergence probability is computed for (a general eigensolve per draw). */
    public static final int DIVERGENCE_MAX_D = 64;

    public static LangevinTheory of(TaskSpec task, Spectrum spectrum) {
        LangevinSpec l = task.langevin();
        double[] lambda = spectrum.lambda();
        double[] mean = task.dataMeanInEigenbasis();
        LangevinPrediction prediction = new LangevinPrediction(lambda, l.sigma(), l.gamma());
        LangevinPrediction.Stages first = prediction.predict(new SgdStationaryLaw(lambda, mean, l.sigma(),
                l.tau(), l.batch(), l.nTrain(), SgdStationaryLaw.Order.FIRST));
        double bound = SgdStationaryLaw.varianceStabilityBound(lambda, mean, l.sigma(), l.batch());
        LangevinPrediction.Stages exact = null;
        double divergence = Double.NaN;
        SampledLangevinPrediction.Estimate sampled = null;
        if (l.tau() < bound) {
            SgdStationaryLaw law = new SgdStationaryLaw(lambda, mean, l.sigma(), l.tau(), l.batch(), l.nTrain(),
                    SgdStationaryLaw.Order.EXACT);
            exact = prediction.predict(law);
            if (lambda.length <= DIVERGENCE_MAX_D) {
                divergence = prediction.divergenceProbability(law, DIVERGENCE_DRAWS,
                        RandomStreams.forTask(task.configId() + "/divergence", 0));
            }
            if (lambda.length <= SampledLangevinPrediction.MAX_D) {
                sampled = new SampledLangevinPrediction(lambda, mean, l.sigma(), l.gamma(), l.tau(), l.batch(),
                        l.nTrain()).estimate(RandomStreams.forTask(task.configId() + "/sampled", 0));
            }
        }
        List<double[]> kernel = new ArrayList<>();
        int points = l.kernelPoints();
        for (int a = 0; a < points; a++) {
            for (int b = 0; b < points; b++) {
                double x = points == 1 ? 1 : (double) a / (points - 1);
                double y = points == 1 ? 1 : (double) b / (points - 1);
                // the kernel needs the exact-score chain stable at both eigenvalues
                if (2 * (Math.min(x, y) + l.sigma() * l.sigma()) > l.gamma()) {
                    double[] k = prediction.kernel(x, y, l.tau(), l.batch(), l.nTrain());
                    kernel.add(new double[] {x, y, k[0], k[1]});
                }
            }
        }
        return new LangevinTheory(first, exact, bound, divergence, kernel, sampled);
    }
}
