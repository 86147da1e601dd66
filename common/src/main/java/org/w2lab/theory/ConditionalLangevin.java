package org.w2lab.theory;

import org.w2lab.linalg.Matrices;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.Langevin;
import org.w2lab.score.Denoiser;
import org.w2lab.wasserstein.BuresW2;

/**
 * The exact law of ULA run with a given (learned) linear denoiser's score, and its W2 to {@code p_data}: the
 * "conditional" theory of one seed (models.md), through the full-matrix engine ({@link Langevin}, section 8).
 */
public final class ConditionalLangevin {
    private final double sigma;
    private final double gamma;
    private final double[] dataMean;
    private final double[] dataCov;

    /**
     * @param basis {@code U} of {@code p_data = N(0, U diag(lambda) U^T)}, column-major; {@code null} for the
     *              identity
     */
    public ConditionalLangevin(double[] lambda, double[] basis, double sigma, double gamma) {
        this(lambda, basis, new double[lambda.length], sigma, gamma);
    }

    /**
     * @param basis {@code U} of {@code p_data = N(m, U diag(lambda) U^T)}, column-major; {@code null} for the
     *              identity
     * @param mean  {@code m} in the data's basis
     */
    public ConditionalLangevin(double[] lambda, double[] basis, double[] mean, double sigma, double gamma) {
        int d = lambda.length;
        this.sigma = sigma;
        this.gamma = gamma;
        this.dataMean = mean.clone();
        this.dataCov = Matrices.fromEigen(d, basis == null ? Matrices.identity(d) : basis, lambda);
    }

    /**
     * What the learned score gives.
     *
     * @param spectralRadius the spectral radius of the ULA iteration matrix {@code I - gamma (I - A) / sigma^2}
     * @param w2AfterSteps   {@code W2(law after the steps from N(0, I), p_data)}
     * @param w2Stationary   {@code W2(stationary law, p_data)}; NaN when the spectral radius is at least 1
     */
    public record Result(double spectralRadius, double w2AfterSteps, double w2Stationary) {
    }

    public Result evaluate(Denoiser denoiser, int steps) {
        int d = denoiser.d();
        Langevin ula = new Langevin(denoiser.score(sigma), gamma);
        double radius = ula.spectralRadius();
        GaussianLaw law = GaussianLaw.standard(d);
        for (int k = 0; k < steps; k++) {
            law = ula.step(law);
        }
        double after = finite(law) ? BuresW2.distance(law.mean(), law.cov(), dataMean, dataCov) : Double.NaN;
        return new Result(radius, after, radius < 1 ? stationary(ula) : Double.NaN);
    }

    /** {@code W2(stationary law, p_data)} of ULA with this denoiser's score; NaN when it has none. */
    public double w2Stationary(Denoiser denoiser) {
        Langevin ula = new Langevin(denoiser.score(sigma), gamma);
        return ula.spectralRadius() < 1 ? stationary(ula) : Double.NaN;
    }

    private double stationary(Langevin ula) {
        try {
            GaussianLaw limit = ula.stationary();
            return BuresW2.distance(limit.mean(), limit.cov(), dataMean, dataCov);
        } catch (ArithmeticException e) {
            // so close to 1 that the Stein series overflows: no finite stationary law to compare
            return Double.NaN;
        }
    }

    private static boolean finite(GaussianLaw law) {
        for (double x : law.cov()) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
