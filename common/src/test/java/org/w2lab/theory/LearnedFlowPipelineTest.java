package org.w2lab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.FlowProcess;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.score.LearnedScore;
import org.w2lab.score.NoiseLevelTraining;
import org.w2lab.score.TrainingSet;
import org.w2lab.spectrum.Spectrum;

/**
 * Flow matching with a learned linear velocity (docs/theory.md, 18.4) run for real against its first-order
 * prediction, as {@link LearnedPipelineTest} does on VP: per seed a training set of {@code N} samples, the velocity's
 * SGD at every time the sampler meets, the exact W2 of the law those velocities give (full-matrix engine). In the
 * regime claimed ({@code x = tau lambda_min / (1 + lambda_min) K = 15}), the mean {@code W2^2} over 200 seeds holds
 * the prediction at every recorded step within its 99.9% interval, and ends far from the exact velocity's error.
 */
class LearnedFlowPipelineTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(3, 1.0);
    private static final ForwardProcess FLOW = new FlowProcess(0.99);
    private static final double Z = 3.29;

    @Test
    void predictionHoldsTheMeanOfTheRealPipeline() {
        NoiseLevelTraining training = new NoiseLevelTraining(0.02, 3000, 1);
        int n = 200;
        int seeds = 200;
        for (DiscreteScheme scheme : new DiscreteScheme[] {Schemes.EULER, Schemes.HEUN}) {
            TimeGrid grid = TimeGrid.uniform(0.99, 1e-2, 10);
            TheoryResult predicted = new LearnedScorePrediction(SPECTRUM, FLOW, training, n)
                    .discrete(scheme, grid, Init.P_T, 2);
            TheoryResult exact = new SpectralTheory(SPECTRUM, FLOW).discrete(scheme, grid,
                    java.util.List.of(Init.P_T), 2).get(0);
            int points = predicted.steps().length + 1;
            double[] sum = new double[points];
            double[] sumSq = new double[points];
            for (int seed = 0; seed < seeds; seed++) {
                TrainingSet data = TrainingSet.draw(null, SPECTRUM.lambda(), n,
                        RandomStreams.forTask("learned-flow/training", seed));
                LearnedScore score = new LearnedScore(data, training, FLOW, null, "learned-flow/sgd", seed);
                TheoryResult r = new MatrixTheory(SPECTRUM, FLOW).discrete(scheme, grid, score, Init.P_T, 2);
                assertEquals(TheoryResult.Status.OK, r.status());
                for (int p = 0; p < points; p++) {
                    double w = p < points - 1 ? r.w2ToMarginal()[p] : r.w2ToData();
                    sum[p] += w * w;
                    sumSq[p] += w * w * w * w;
                }
            }
            for (int p = 1; p < points; p++) {
                double mean = sum[p] / seeds;
                double se = Math.sqrt((sumSq[p] / seeds - mean * mean) / (seeds - 1));
                double pred = square(p < points - 1 ? predicted.w2ToMarginal()[p] : predicted.w2ToData());
                double ex = square(p < points - 1 ? exact.w2ToMarginal()[p] : exact.w2ToData());
                String where = scheme.id() + " point " + p + ": predicted " + pred + ", pipeline " + mean + " +- "
                        + se + ", exact velocity " + ex;
                assertTrue(Math.abs(mean - pred) <= Z * se, where);
                if (p == points - 1) {
                    assertTrue(mean - ex > 10 * se, "the learned velocity must visibly add error: " + where);
                }
            }
        }
    }

    private static double square(double x) {
        return x * x;
    }
}
