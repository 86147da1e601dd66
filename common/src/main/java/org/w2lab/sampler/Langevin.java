package org.w2lab.sampler;

import java.util.random.RandomGenerator;
import org.w2lab.linalg.BlockProduct;
import org.w2lab.linalg.GeneralEigen;
import org.w2lab.linalg.Matrices;
import org.w2lab.random.RandomStreams;

/**
 * The unadjusted Langevin algorithm (models.md) with an affine score {@code s(y) = -P y + c}:
 * {@code x_{k+1} = x_k + gamma s(x_k) + sqrt(2 gamma) xi_k}, i.e. {@code x -> A x + gamma c + sqrt(2 gamma) xi}
 * with {@code A = I - gamma P}. The law stays Gaussian: {@code m' = A m + gamma c},
 * {@code S' = A S A^T + 2 gamma I} (Hurault et al., Lemma 1; docs/theory.md, section 8).
 */
public final class Langevin {
    private final int n;
    private final double gamma;
    private final double[] a;
    private final double[] c;
    /** The diagonal of {@code A} when {@code A} is diagonal (identity basis): particles then step elementwise. */
    private final double[] diagonal;

    /**
     * @param score the score, read at {@code t = 0} (Langevin's score does not depend on time)
     * @param gamma the step size {@code gamma > 0}
     */
    public Langevin(LinearScore score, double gamma) {
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("gamma must be > 0, got " + gamma);
        }
        this.n = score.dimension();
        this.gamma = gamma;
        double[] p = new double[n * n];
        this.c = new double[n];
        score.at(0, p, c);
        this.a = Matrices.combine(1, Matrices.identity(n), -gamma, p);
        this.diagonal = Matrices.diagonalOrNull(n, a);
    }

    /** The law after one step. */
    public GaussianLaw step(GaussianLaw law) {
        double[] mean = Matrices.apply(n, a, law.mean());
        for (int i = 0; i < n; i++) {
            mean[i] += gamma * c[i];
        }
        double[] cov = Matrices.congruence(n, a, law.cov());
        for (int i = 0; i < n; i++) {
            cov[i * n + i] += 2 * gamma;
        }
        return new GaussianLaw(n, mean, cov);
    }

    /**
     * One step of the particles, with fresh normals from {@code rng}: one block product for a dense {@code A},
     * elementwise for a diagonal one (the same arithmetic on each entry, without the zeros).
     */
    public void step(ParticleBlock particles, RandomGenerator rng) {
        double noise = Math.sqrt(2 * gamma);
        double[] x = particles.x;
        // the normals first, in one tight loop, then arithmetic the JIT vectorizes
        double[] z = particles.spare();
        RandomStreams.fillNormal(rng, z);
        if (diagonal != null) {
            for (int j = 0; j < particles.m; j++) {
                for (int i = 0; i < n; i++) {
                    int at = j * n + i;
                    x[at] = diagonal[i] * x[at] + (gamma * c[i] + noise * z[at]);
                }
            }
            return;
        }
        for (int j = 0; j < particles.m; j++) {
            for (int i = 0; i < n; i++) {
                z[j * n + i] = gamma * c[i] + noise * z[j * n + i];
            }
        }
        BlockProduct.timesAdd(n, particles.m, a, x, z);
        particles.swap();
    }

    /**
     * The spectral radius of the iteration matrix {@code A = I - gamma P}: the chain has a stationary law exactly
     * when it is below 1.
     */
    public double spectralRadius() {
        return GeneralEigen.spectralRadius(n, a);
    }

    /**
     * The stationary law: mean {@code (I - A)^{-1} gamma c}, covariance the solution of the Stein (discrete
     * Lyapunov) equation {@code S = A S A^T + 2 gamma I}, by Smith's doubling
     * {@code S <- S + A_k S A_k^T}, {@code A_k <- A_k^2}, which converges when the spectral radius of {@code A} is
     * below 1.
     *
     * @throws ArithmeticException if the chain has no stationary law (spectral radius of {@code A} >= 1)
     */
    public GaussianLaw stationary() {
        double[] iMinusA = Matrices.combine(1, Matrices.identity(n), -1, a);
        double[] mean = Matrices.solve(n, iMinusA, scaled(c, gamma));
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            s[i * n + i] = 2 * gamma;
        }
        double[] power = a.clone();
        for (int k = 0; k < 200; k++) {
            double[] increment = Matrices.congruence(n, power, s);
            double size = Matrices.trace(n, increment);
            s = Matrices.combine(1, s, 1, increment);
            if (!Double.isFinite(size) || Matrices.trace(n, s) > 1e300) {
                break;
            }
            if (size <= Math.ulp(Matrices.trace(n, s))) {
                return new GaussianLaw(n, mean, s);
            }
            power = Matrices.times(n, power, power);
        }
        throw new ArithmeticException("ULA with gamma = " + gamma + " has no stationary law: I - gamma P has spectral"
                + " radius >= 1");
    }

    private static double[] scaled(double[] x, double f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f * x[i];
        }
        return y;
    }
}
