package org.w2lab.simulation;

import java.io.Serializable;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.Langevin;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.ParticleBlock;
import org.w2lab.score.Denoiser;
import org.w2lab.score.DenoisingSgd;
import org.w2lab.score.FreshData;
import org.w2lab.score.TrainingSet;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.theory.ConditionalLangevin;
import org.w2lab.theory.TheoryResult.Status;
import org.w2lab.wasserstein.GaussianTarget;
import org.w2lab.wasserstein.ParticleW2;

/**
 * One seed of Hurault et al.'s pipeline run for real (models.md): {@code N} training samples of
 * {@code p_data = N(m, U diag(lambda) U^T)}, a linear denoiser trained on them by DSM-SGD, then ULA with its score,
 * {@code M} particles from {@code N(0, I)} for the configured steps, compared with {@code p_data} by the
 * bias-corrected Gaussian fit and sliced W2; beside it the exact law of ULA given the learned denoiser (conditional
 * theory), and the same particles run with one error source added at a time: the noise amplitude alone
 * ({@code p_data * N(0, sigma^2 I)} sampled directly), plus the ULA step (exact score), plus SGD (on fresh samples).
 * Each part draws from its own stream, so a part's numbers do not depend on whether another part stopped early.
 */
public final class LangevinPipeline {
    private final Spectrum spectrum;
    private final double[] basis;
    private final double sigma;
    private final double gamma;
    private final int steps;
    private final DenoisingSgd sgd;
    private final int trainingSamples;
    private final int particles;
    /** {@code m} in the data's basis; {@code null} for centred data. */
    private final double[] mean;

    /**
     * @param basis           {@code U}, column-major; {@code null} for the identity
     * @param steps           ULA steps
     * @param trainingSamples {@code N >= 1}
     * @param particles       {@code M >= 2}
     */
    public LangevinPipeline(Spectrum spectrum, double[] basis, double sigma, double gamma, int steps, DenoisingSgd sgd,
                            int trainingSamples, int particles) {
        this(spectrum, basis, null, sigma, gamma, steps, sgd, trainingSamples, particles);
    }

    /**
     * @param basis           {@code U}, column-major; {@code null} for the identity
     * @param mean            {@code m} in the data's basis; {@code null} for centred data (docs/theory.md, 10.10)
     * @param steps           ULA steps
     * @param trainingSamples {@code N >= 1}
     * @param particles       {@code M >= 2}
     */
    public LangevinPipeline(Spectrum spectrum, double[] basis, double[] mean, double sigma, double gamma, int steps,
                            DenoisingSgd sgd, int trainingSamples, int particles) {
        this.mean = mean == null ? null : mean.clone();
        this.spectrum = spectrum;
        this.basis = basis;
        this.sigma = sigma;
        this.gamma = gamma;
        this.steps = steps;
        this.sgd = sgd;
        this.trainingSamples = trainingSamples;
        this.particles = particles;
    }

    /**
     * What one seed produced.
     *
     * @param status                  {@code ok}; {@code sgd_diverged} (no score learned); {@code diverged} (the
     *                                learned chain has no stationary law, or its particles overflowed)
     * @param spectralRadius          of the learned ULA iteration matrix; NaN when SGD diverged
     * @param w2Conditional           exact W2 of the learned chain's law after the steps; NaN when SGD diverged
     * @param w2ConditionalStationary exact W2 of its stationary law; NaN when it has none
     * @param fit                     the particles' bias-corrected Gaussian fit; {@code null} unless ok
     * @param w2Sliced                the particles' sliced W2; NaN unless ok
     * @param w2Noise                 the fit of direct draws of {@code p_data * N(0, sigma^2 I)} (bias-corrected)
     * @param w2PlusDiscretization    the fit of ULA particles with the exact score; NaN if they overflowed
     * @param w2PlusOptimization      the fit of ULA particles with a score trained on fresh samples; NaN if SGD or
     *                                the particles diverged
     */
    public record Result(Status status, double spectralRadius, double w2Conditional, double w2ConditionalStationary,
                         GaussianTarget.FitEstimate fit, double w2Sliced, double w2Noise, double w2PlusDiscretization,
                         double w2PlusOptimization) implements Serializable {
    }

    /** @param streams the seed's stream for each named part */
    public Result run(Function<String, RandomGenerator> streams) {
        double[] lambda = spectrum.lambda();
        int d = lambda.length;
        GaussianTarget target = new GaussianTarget(basis, lambda, mean);
        double w2Noise = noiseOnly(target, streams.apply("noise"));
        Denoiser exact = Denoiser.optimum(lambda, basis, mean, sigma);
        GaussianTarget.FitEstimate discretized = fit(ula(exact.score(sigma), streams.apply("discretization")), target);
        RandomGenerator fresh = streams.apply("optimization");
        Denoiser onFresh = sgd.train(new FreshData(basis, lambda, mean), fresh);
        GaussianTarget.FitEstimate optimized = onFresh.isFinite()
                && new Langevin(onFresh.score(sigma), gamma).spectralRadius() < 1
                ? fit(ula(onFresh.score(sigma), fresh), target) : null;
        double w2Discretization = discretized == null ? Double.NaN : discretized.w2Corrected();
        double w2Optimization = optimized == null ? Double.NaN : optimized.w2Corrected();

        RandomGenerator rng = streams.apply("pipeline");
        Denoiser learned = sgd.train(TrainingSet.draw(basis, lambda, mean, trainingSamples, rng), rng);
        if (!learned.isFinite()) {
            return new Result(Status.SGD_DIVERGED, Double.NaN, Double.NaN, Double.NaN, null, Double.NaN, w2Noise,
                    w2Discretization, w2Optimization);
        }
        ConditionalLangevin.Result conditional = new ConditionalLangevin(lambda, basis, mean == null ? new double[d] : mean, sigma, gamma)
                .evaluate(learned, steps);
        ParticleBlock x = conditional.spectralRadius() < 1 ? ula(learned.score(sigma), rng) : null;
        if (x == null) {
            return new Result(Status.DIVERGED, conditional.spectralRadius(), conditional.w2AfterSteps(),
                    conditional.w2Stationary(), null, Double.NaN, w2Noise, w2Discretization, w2Optimization);
        }
        ParticleBlock data = ParticleBlock.sample(basis, sqrt(lambda), mean, particles, rng);
        double sliced = ParticleW2.sliced(d, particles, x.values(), data.values(),
                ParticleSimulation.SLICED_DIRECTIONS, rng);
        return new Result(Status.OK, conditional.spectralRadius(), conditional.w2AfterSteps(),
                conditional.w2Stationary(), fit(x, target), sliced, w2Noise, w2Discretization, w2Optimization);
    }

    /** ULA particles from {@code N(0, I)} after the steps; {@code null} if they overflowed. */
    private ParticleBlock ula(LinearScore score, RandomGenerator rng) {
        int d = spectrum.dimension();
        double[] ones = new double[d];
        java.util.Arrays.fill(ones, 1);
        ParticleBlock x = ParticleBlock.sample(null, ones, particles, rng);
        Langevin chain = new Langevin(score, gamma);
        for (int k = 0; k < steps; k++) {
            chain.step(x, rng);
        }
        return x.isFinite() ? x : null;
    }

    private GaussianTarget.FitEstimate fit(ParticleBlock x, GaussianTarget target) {
        if (x == null) {
            return null;
        }
        GaussianLaw fit = x.fit();
        return target.estimate(fit.mean(), fit.cov(), particles);
    }

    private double noiseOnly(GaussianTarget target, RandomGenerator rng) {
        double[] lambda = spectrum.lambda();
        double[] sd = new double[lambda.length];
        for (int i = 0; i < sd.length; i++) {
            sd[i] = Math.sqrt(lambda[i] + sigma * sigma);
        }
        return fit(ParticleBlock.sample(basis, sd, mean, particles, rng), target).w2Corrected();
    }

    private static double[] sqrt(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.sqrt(x[i]);
        }
        return y;
    }
}
