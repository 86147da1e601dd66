package org.w2lab.theory;

import java.util.random.RandomGenerator;
import org.w2lab.sampler.Langevin;
import org.w2lab.score.SgdStationaryLaw;
import org.w2lab.wasserstein.BuresExpansion;

/**
 * The expected squared W2 error of the whole pipeline (training set, DSM-SGD, ULA at stationarity) predicted from
 * the configuration alone, to first order in the SGD fluctuations (docs/theory.md, section 10; Hurault et al.,
 * Corollary 1): the exact error of ULA with the exact score, plus the second-order expansion of
 * {@code W2^2(stationary law of ULA given (A, b), p_data)} around the optimum, averaged over the stationary law of
 * the iterates ({@link SgdStationaryLaw}). Everything is computed in the data's eigenbasis, where the exact-score
 * laws are diagonal; the result is a sum over eigenvalues and pairs of eigenvalues,
 * {@code E W2^2 = sum_i k1(lambda_i) + sum_{i,j} k2(lambda_i, lambda_j)} (10.7).
 */
public final class LangevinPrediction {
    private final double[] lambda;
    private final double sigma2;
    private final double gamma;

    /**
     * @param gamma the ULA step, {@code 0 <= gamma < 2 (lambda_min + sigma^2)}; 0 is the continuous Langevin
     *              diffusion
     */
    public LangevinPrediction(double[] lambda, double sigma, double gamma) {
        this.lambda = lambda.clone();
        this.sigma2 = sigma * sigma;
        this.gamma = gamma;
        for (double l : lambda) {
            if (!(gamma < 2 * (l + sigma2))) {
                throw new IllegalArgumentException("gamma = " + gamma + " >= 2 (lambda_min + sigma^2) = "
                        + 2 * (l + sigma2) + ": ULA with the exact score has no stationary law");
            }
        }
    }

    /**
     * The predicted {@code E W2^2}, source by source, each stage adding one source to the previous ones.
     *
     * @param noise           the noise amplitude alone: {@code W2^2(p_data * N(0, sigma^2 I), p_data)}
     * @param discretization  plus the ULA step: exact score, {@code gamma}
     * @param optimization    plus SGD with step {@code tau} on fresh samples ({@code N = infinity})
     * @param generalization  plus a finite training set: the whole pipeline
     */
    public record Stages(double noise, double discretization, double optimization, double generalization)
            implements java.io.Serializable {
    }

    /** @param law the stationary law of the SGD iterates: its optimization variances and its {@code N} */
    public Stages predict(SgdStationaryLaw law) {
        int d = lambda.length;
        double noise = 0;
        double discretization = 0;
        double opt = 0;
        double gen = 0;
        for (int i = 0; i < d; i++) {
            double x = lambda[i];
            noise += square(Math.sqrt(s(x)) - Math.sqrt(x));
            discretization += square(Math.sqrt(sigma0(x)) - Math.sqrt(x));
            // the mean term (10.5, 10.10): m - mu = (I - A)^{-1} (dA mu + db) ~ (C_sigma / sigma^2) (dA mu + db)
            double meanGain = square(s(x) / sigma2);
            opt += meanGain * law.varianceMeanDriver(i);
            gen += meanGain * law.generalizationVarianceB(i) + biasTerm(x, law.generalizationBias(i));
            for (int j = 0; j < d; j++) {
                double y = lambda[j];
                double cOpt = i == j ? law.varianceA(i, i) : 0;
                opt += pair(x, y, law.varianceA(i, j), law.varianceA(j, i), cOpt);
                double g = law.generalizationCovariance(i, j);
                gen += g == 0 ? 0 : pair(x, y, g, g, g);
            }
        }
        return new Stages(noise, discretization, discretization + opt, discretization + opt + gen);
    }

    /**
     * The pair kernel {@code k2(x, y)} of (10.7) with first-order SGD variances ({@code Var(A_ij) = tau r_i / (2B)}):
     * what a pair of distinct eigenvalues {@code (x, y)} adds to {@code E W2^2}, split by source. It depends on
     * the spectrum only through its two arguments (the paper's {@code k^tau}, Figure 5).
     *
     * @return {@code {optimization, generalization}}
     */
    public double[] kernel(double x, double y, double tau, int batch, int n) {
        double opt = pair(x, y, tau * residual(x) / (2 * batch), tau * residual(y) / (2 * batch), 0);
        double gen = 0;
        if (n > 0) {
            double g = SgdStationaryLaw.generalizationCovariance(x, y, sigma2, n);
            // the pair's share of the diagonal bias: -sigma^2 x alpha(y) / (N s_x^2) (10.4)
            gen = pair(x, y, g, g, g) + biasTerm(x, -sigma2 * x * alpha(y) / (n * square(s(x))));
        }
        return new double[] {opt, gen};
    }

    /**
     * The probability that ULA with the learned score has no stationary law (spectral radius of
     * {@code I - gamma (I - A) / sigma^2} at least 1), by drawing {@code (A, b)} from the predicted Gaussian law of
     * the iterates (optimization and generalization parts, {@link SgdStationaryLaw}) in the eigenbasis.
     *
     * @param draws how many matrices to draw
     */
    public double divergenceProbability(SgdStationaryLaw law, int draws, RandomGenerator rng) {
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("the divergence of ULA needs gamma > 0");
        }
        int diverged = 0;
        for (int k = 0; k < draws; k++) {
            if (new Langevin(law.draw(rng).score(Math.sqrt(sigma2)), gamma).spectralRadius() >= 1) {
                diverged++;
            }
        }
        return (double) diverged / draws;
    }

    /**
     * Everything the pair of entries {@code (i, j)} of the fluctuation {@code D = A - A*} adds to {@code E W2^2}
     * at second order (10.6): {@code h_ij E[(S1)_ij^2] + g_i E[(S2)_ii]|_{k = j}}.
     *
     * @param vij {@code E[D_ij^2]}
     * @param vji {@code E[D_ji^2]}
     * @param cij {@code E[D_ij D_ji]}
     */
    private double pair(double x, double y, double vij, double vji, double cij) {
        double sx = sigma0(x);
        double sy = sigma0(y);
        double bx = beta(x);
        double by = beta(y);
        double lxy = ell(x, y);
        double lxx = ell(x, x);
        double s1sq = square(lxy / sigma2) * (vij * sy * sy * by * by + vji * sx * sx * bx * bx
                + 2 * cij * sx * sy * bx * by);
        double s2 = (2 * bx * lxx / (sigma2 * sigma2)) * lxy * (cij * sx * bx + vij * sy * by)
                + (gamma * lxx / (sigma2 * sigma2)) * vij * sy;
        return h(x, y) * s1sq + g(x) * s2;
    }

    /** What a bias {@code mu = E[D_ii]} adds at first order: {@code g_i E[(S1)_ii]} (10.6). */
    private double biasTerm(double x, double mu) {
        return g(x) * (2 * ell(x, x) / sigma2) * beta(x) * sigma0(x) * mu;
    }

    private double s(double x) {
        return x + sigma2;
    }

    private double alpha(double x) {
        return x / s(x);
    }

    private double residual(double x) {
        return sigma2 * alpha(x);
    }

    /** {@code 1 - gamma / s}: the exact-score ULA contraction (10.5). */
    private double beta(double x) {
        return 1 - gamma / s(x);
    }

    /** The exact-score ULA stationary variance {@code s / (1 - gamma / (2 s))} (section 8). */
    private double sigma0(double x) {
        return 2 * s(x) * s(x) / (2 * s(x) - gamma);
    }

    /** {@code L_xy = gamma / (1 - beta_x beta_y) = s_x s_y / (s_x + s_y - gamma)}, finite as {@code gamma -> 0}. */
    private double ell(double x, double y) {
        return s(x) * s(y) / (s(x) + s(y) - gamma);
    }

    /** {@code g = 1 - sqrt(lambda / sigma0)}: the first derivative of the Bures term (10.6). */
    private double g(double x) {
        return BuresExpansion.g(x, sigma0(x));
    }

    /** The second derivative of the Bures term; 0 when either eigenvalue is 0 (no cross term there). */
    private double h(double x, double y) {
        return BuresExpansion.h(x, sigma0(x), y, sigma0(y));
    }

    private static double square(double x) {
        return x * x;
    }
}
