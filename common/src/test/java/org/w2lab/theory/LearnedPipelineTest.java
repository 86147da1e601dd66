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
import org.w2lab.schedule.VpSchedule;
import org.w2lab.score.LearnedScore;
import org.w2lab.score.NoiseLevelTraining;
import org.w2lab.score.TrainingSet;
import org.w2lab.spectrum.Spectrum;

/**
 * The learned-score prediction (docs/theory.md, 15.3 and, for the flow's learned velocity, 18.4) against the pipeline
 * run for real: per seed a training set of {@code N} samples, SGD at every level the sampler meets, and the exact W2
 * of the law those denoisers give (full-matrix engine). In the regime claimed, {@code tau_t} small and SGD run long
 * enough that its transient is gone ({@code x = 13} on VP, 15 on the flow, for the slowest level), the mean
 * {@code W2^2} over 200 or 400 seeds holds the prediction at every recorded step within its 99.9% interval, and ends far from
 * the exact score's error.
 */
class LearnedPipelineTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(3, 1.0);
    private static final double Z = 3.29;

    /** VP, EI and Heun: {@code x = tau min(lambda_min, 1) K = 0.02 / 3 x 2000 = 13}. */
    @Test
    void predictionHoldsTheMeanOfTheRealPipeline() {
        predictionHolds(new VpSchedule(0.05, 10, 1), TimeGrid.uniform(1, 1e-2, 10),
                new NoiseLevelTraining(0.02, 2000, 1), 200, Schemes.EI, Schemes.HEUN);
    }

    /**
     * The flow with a learned velocity, Euler and Heun: {@code x = tau lambda_min / (1 + lambda_min) K = 0.02 / 4 x
     * 3000 = 15}. A prediction that started the velocity's SGD from {@code A = 0} (the denoiser's start) instead of
     * {@code alpha_t I} misses the pipeline at the first recorded step by 13 standard errors.
     */
    @Test
    void predictionHoldsTheMeanOfTheRealPipelineOfALearnedVelocity() {
        predictionHolds(new FlowProcess(0.99), TimeGrid.uniform(0.99, 1e-2, 10), new NoiseLevelTraining(0.02, 3000, 1),
                200, Schemes.EULER, Schemes.HEUN);
    }

    /**
     * The multistep samplers, whose evaluations are read again on later steps (docs/theory.md 16.5), on VP as above,
     * with 400 seeds (the learned score's excess is smaller against the seeds' spread for the SDE solvers).
     */
    @Test
    void predictionHoldsTheMeanOfTheRealPipelineOfAMultistepSampler() {
        predictionHolds(new VpSchedule(0.05, 10, 1), TimeGrid.uniform(1, 1e-2, 10),
                new NoiseLevelTraining(0.02, 2000, 1), 400, Schemes.DPMPP_2M, Schemes.DPMPP_2M_SDE, Schemes.DPMPP_3M_SDE,
                Schemes.LMS, org.w2lab.sampler.MultistepScheme.unipc(10));
    }

    private static void predictionHolds(ForwardProcess process, TimeGrid grid, NoiseLevelTraining training, int seeds,
                                        DiscreteScheme... schemes) {
        int n = 200;
        for (DiscreteScheme scheme : schemes) {
            TheoryResult predicted = new LearnedScorePrediction(SPECTRUM, process, training, n)
                    .discrete(scheme, grid, Init.P_T, 2);
            TheoryResult exact = new SpectralTheory(SPECTRUM, process).discrete(scheme, grid,
                    java.util.List.of(Init.P_T), 2).get(0);
            int points = predicted.steps().length + 1;
            double[] sum = new double[points];
            double[] sumSq = new double[points];
            for (int seed = 0; seed < seeds; seed++) {
                TrainingSet data = TrainingSet.draw(null, SPECTRUM.lambda(), n,
                        RandomStreams.forTask("learned-pipeline/training", seed));
                LearnedScore score = new LearnedScore(data, training, process, null, "learned-pipeline/sgd", seed);
                TheoryResult r = new MatrixTheory(SPECTRUM, process).discrete(scheme, grid, score, Init.P_T, 2);
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
                String where = process.id() + ", " + scheme.id() + " point " + p + ": predicted " + pred
                        + ", pipeline " + mean + " +- " + se + ", exact score " + ex;
                assertTrue(Math.abs(mean - pred) <= Z * se, where);
                if (p == points - 1) {
                    assertTrue(mean - ex > 10 * se, "the learned score must visibly add error: " + where);
                }
            }
        }
    }

    private static double square(double x) {
        return x * x;
    }
}
