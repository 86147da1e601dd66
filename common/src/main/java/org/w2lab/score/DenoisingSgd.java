package org.w2lab.score;

import java.io.Serializable;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.w2lab.random.RandomStreams;

/**
 * Denoising score matching by SGD (models.md, Hurault et al.): the per-sample loss
 * {@code 1/2 |A (x + sigma z) + b - x|^2}, a constant step {@code tau}, {@code K} steps from {@code A = 0, b = 0};
 * each step draws {@code batch} samples from the source and a fresh {@code z ~ N(0, I)} for each, and moves along
 * the averaged gradient: {@code r = A y + b - x}, {@code A <- A - tau mean(r y^T)}, {@code b <- b - tau mean(r)},
 * {@code y = x + sigma z}. Random numbers are consumed in a fixed order (per sample: the source's draw, then
 * {@code z}), so a stream gives the same iterates everywhere.
 *
 * @param sigma   the noise level {@code sigma > 0}
 * @param tau     the step {@code tau > 0}
 * @param steps   {@code K >= 1}
 * @param batch   samples per step, {@code >= 1}
 * @param iterate which iterate is returned
 */
public record DenoisingSgd(double sigma, double tau, int steps, int batch, Iterate iterate) implements Serializable {
    /** The iterate SGD reports: the last (the paper's object) or the average of the last {@code max(1, K / 2)}. */
    public enum Iterate {
        FINAL, AVERAGE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Iterate byId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /** How often the iterates are checked for overflow, in steps. */
    private static final int CHECK_EVERY = 1024;

    public DenoisingSgd {
        if (!(sigma > 0) || !(tau > 0) || steps < 1 || batch < 1) {
            throw new IllegalArgumentException("SGD needs sigma > 0, tau > 0, steps >= 1, batch >= 1; got sigma = "
                    + sigma + ", tau = " + tau + ", steps = " + steps + ", batch = " + batch);
        }
    }

    /**
     * Runs SGD; an iterate that overflows stops the run and is returned as it is (check
     * {@link Denoiser#isFinite()}).
     */
    public Denoiser train(DataSource data, RandomGenerator rng) {
        int d = data.dimension();
        double[] a = new double[d * d];
        double[] b = new double[d];
        double[] x = new double[d];
        double[] z = new double[d];
        double[] ys = new double[batch * d];
        double[] rs = new double[batch * d];
        double step = tau / batch;
        int averageFrom = steps - Math.max(1, steps / 2);
        double[] sumA = iterate == Iterate.AVERAGE ? new double[d * d] : null;
        double[] sumB = iterate == Iterate.AVERAGE ? new double[d] : null;
        for (int k = 1; k <= steps; k++) {
            for (int j = 0; j < batch; j++) {
                data.next(rng, x);
                RandomStreams.fillNormal(rng, z);
                int off = j * d;
                for (int i = 0; i < d; i++) {
                    ys[off + i] = x[i] + sigma * z[i];
                    rs[off + i] = b[i] - x[i];
                }
                for (int c = 0; c < d; c++) {
                    double yc = ys[off + c];
                    int col = c * d;
                    for (int i = 0; i < d; i++) {
                        rs[off + i] += a[col + i] * yc;
                    }
                }
            }
            for (int j = 0; j < batch; j++) {
                int off = j * d;
                for (int c = 0; c < d; c++) {
                    double f = step * ys[off + c];
                    int col = c * d;
                    for (int i = 0; i < d; i++) {
                        a[col + i] -= f * rs[off + i];
                    }
                }
                for (int i = 0; i < d; i++) {
                    b[i] -= step * rs[off + i];
                }
            }
            if (sumA != null && k > averageFrom) {
                for (int i = 0; i < a.length; i++) {
                    sumA[i] += a[i];
                }
                for (int i = 0; i < d; i++) {
                    sumB[i] += b[i];
                }
            }
            if (k % CHECK_EVERY == 0 && !new Denoiser(d, a, b).isFinite()) {
                return new Denoiser(d, a, b);
            }
        }
        if (sumA == null) {
            return new Denoiser(d, a, b);
        }
        int count = steps - averageFrom;
        for (int i = 0; i < a.length; i++) {
            sumA[i] /= count;
        }
        for (int i = 0; i < d; i++) {
            sumB[i] /= count;
        }
        return new Denoiser(d, sumA, sumB);
    }
}
