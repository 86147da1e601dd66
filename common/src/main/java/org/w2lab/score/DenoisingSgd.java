package org.w2lab.score;

import java.io.Serializable;
import java.util.Locale;
import java.util.random.RandomGenerator;
import dev.ludovic.netlib.blas.BLAS;
import org.w2lab.linalg.NativeBlas;
import org.w2lab.random.RandomStreams;

/**
 * Denoising score matching by SGD (models.md, Hurault et al.): the per-sample loss
 * {@code 1/2 |A (x + sigma z) + b - x|^2}, a constant step {@code tau}, {@code K} steps from {@code A = 0, b = 0};
 * each step draws {@code batch} samples from the source and a fresh {@code z ~ N(0, I)} for each, and moves along
 * the averaged gradient: {@code r = A y + b - x}, {@code A <- A - tau mean(r y^T)}, {@code b <- b - tau mean(r)},
 * {@code y = x + sigma z}. A second form takes another step {@code tau_b} for {@code b} and starts from
 * {@code A = a_0 I}: SGD on flow matching's velocity loss, written in these coordinates (docs/theory.md, 18.4). Random numbers are consumed in a fixed order (per sample: the source's draw, then
 * {@code z}), so a stream gives the same iterates everywhere.
 *
 * @param sigma   the noise level {@code sigma > 0}
 * @param tau     the step {@code tau > 0}
 * @param steps   {@code K >= 1}
 * @param batch   samples per step, {@code >= 1}
 * @param iterate which iterate is returned
 */
public record DenoisingSgd(double sigma, double tau, int steps, int batch, Iterate iterate, double tauOffset,
                           double start) implements Serializable {
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

    /** The plain form: one step {@code tau} for {@code A} and {@code b}, from {@code A = 0}. */
    public DenoisingSgd(double sigma, double tau, int steps, int batch, Iterate iterate) {
        this(sigma, tau, steps, batch, iterate, tau, 0);
    }

    public DenoisingSgd {
        if (!(tauOffset > 0) || !Double.isFinite(start)) {
            throw new IllegalArgumentException("SGD needs a step tau_b > 0 for b and a finite start; got tau_b = "
                    + tauOffset + ", start = " + start);
        }
        if (!(sigma > 0) || !(tau > 0) || steps < 1 || batch < 1) {
            throw new IllegalArgumentException("SGD needs sigma > 0, tau > 0, steps >= 1, batch >= 1; got sigma = "
                    + sigma + ", tau = " + tau + ", steps = " + steps + ", batch = " + batch);
        }
    }

    /**
     * Runs SGD; an iterate that overflows stops the run and is returned as it is (check
     * {@link Denoiser#isFinite()}). From {@code d = }{@link #BLOCKED_D} on, steps run in blocks
     * ({@link #trainBlocked}): the same iterates up to round-off, the same random numbers.
     */
    public Denoiser train(DataSource data, RandomGenerator rng) {
        return data.dimension() < BLOCKED_D ? trainStepwise(data, rng) : trainBlocked(data, rng);
    }

    /** The dimension from which {@link #train} runs blocks of steps through BLAS. */
    public static final int BLOCKED_D = 64;

    /** Samples per block of the blocked run (whole steps; at least one step). */
    private static final int BLOCK_SAMPLES = 32;

    /** One step after the other, each sample's products in plain loops. */
    Denoiser trainStepwise(DataSource data, RandomGenerator rng) {
        int d = data.dimension();
        double[] a = startingA(d);
        double[] b = new double[d];
        double[] x = new double[d];
        double[] z = new double[d];
        double[] ys = new double[batch * d];
        double[] rs = new double[batch * d];
        double step = tau / batch;
        double stepB = tauOffset / batch;
        int averageFrom = steps - Math.max(1, steps / 2);
        double[] sumA = iterate == Iterate.AVERAGE ? new double[d * d] : null;
        double[] sumB = iterate == Iterate.AVERAGE ? new double[d] : null;
        for (int k = 1; k <= steps; k++) {
            for (int j = 0; j < batch; j++) {
                int off = j * d;
                draw(data, rng, x, z, ys, rs, off, b);
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
                    b[i] -= stepB * rs[off + i];
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
        return sumA == null ? new Denoiser(d, a, b) : average(d, sumA, sumB, steps - averageFrom);
    }

    /**
     * The same steps in blocks of {@code S} steps ({@code n = S B} samples, drawn in the stepwise order), three BLAS
     * products and a triangular solve per block (docs/theory.md, 10.12). After the block's earlier steps,
     * {@code A_s = A_0 - (tau/B) sum_{m in earlier steps} r_m y_m^T} and {@code b_s} likewise, so the residuals
     * {@code r_n = A_{s(n)-1} y_n + b_{s(n)-1} - x_n} solve {@code R T = A_0 Y + b_0 1^T - X} with {@code T} unit upper
     * triangular, {@code T_mn = (tau/B) (y_m . y_n + 1)} where sample {@code m}'s step precedes sample {@code n}'s
     * (0 within a step); then {@code A_S = A_0 - (tau/B) R Y^T}, {@code b_S = b_0 - (tau/B) R 1}. The averaged
     * iterate adds {@code sum_s A_s = S A_0 - (tau/B) R W Y^T}, {@code W} the number of the block's iterates after
     * each sample's step. Blocks end where the overflow check and the averaging window begin.
     */
    Denoiser trainBlocked(DataSource data, RandomGenerator rng) {
        int d = data.dimension();
        double[] a = startingA(d);
        double[] b = new double[d];
        double[] x = new double[d];
        double[] z = new double[d];
        int stepsPerBlock = Math.max(1, BLOCK_SAMPLES / batch);
        int cap = stepsPerBlock * batch;
        double[] ys = new double[cap * d];
        double[] rs = new double[cap * d];
        double[] gram = new double[cap * cap];
        double[] weighted = iterate == Iterate.AVERAGE ? new double[cap * d] : null;
        double step = tau / batch;
        double stepB = tauOffset / batch;
        int averageFrom = steps - Math.max(1, steps / 2);
        double[] sumA = iterate == Iterate.AVERAGE ? new double[d * d] : null;
        double[] sumB = iterate == Iterate.AVERAGE ? new double[d] : null;
        BLAS blas = NativeBlas.blas();
        for (int k0 = 0; k0 < steps; ) {
            int end = Math.min(Math.min(steps, k0 + stepsPerBlock), (k0 / CHECK_EVERY + 1) * CHECK_EVERY);
            if (k0 < averageFrom) {
                end = Math.min(end, averageFrom);
            }
            int s = end - k0;
            int n = s * batch;
            for (int l = 0; l < n; l++) {
                draw(data, rng, x, z, ys, rs, l * d, b);
            }
            blas.dgemm("N", "N", d, n, d, 1.0, a, d, ys, d, 1.0, rs, d);
            blas.dsyrk("U", "T", n, d, step, ys, d, 0.0, gram, n);
            for (int col = 0; col < n; col++) {
                for (int row = 0; row < n; row++) {
                    gram[col * n + row] = row / batch < col / batch ? gram[col * n + row] + stepB : 0;
                }
            }
            blas.dtrsm("R", "U", "N", "U", d, n, 1.0, gram, n, rs, d);
            if (sumA != null && end > averageFrom) {
                for (int l = 0; l < n; l++) {
                    double w = s - l / batch;
                    for (int i = 0; i < d; i++) {
                        weighted[l * d + i] = w * rs[l * d + i];
                    }
                }
                for (int i = 0; i < a.length; i++) {
                    sumA[i] += s * a[i];
                }
                for (int i = 0; i < d; i++) {
                    double sum = 0;
                    for (int l = 0; l < n; l++) {
                        sum += weighted[l * d + i];
                    }
                    sumB[i] += s * b[i] - stepB * sum;
                }
                blas.dgemm("N", "T", d, d, n, -step, weighted, d, ys, d, 1.0, sumA, d);
            }
            blas.dgemm("N", "T", d, d, n, -step, rs, d, ys, d, 1.0, a, d);
            for (int l = 0; l < n; l++) {
                for (int i = 0; i < d; i++) {
                    b[i] -= stepB * rs[l * d + i];
                }
            }
            k0 = end;
            if (k0 % CHECK_EVERY == 0 && !new Denoiser(d, a, b).isFinite()) {
                return new Denoiser(d, a, b);
            }
        }
        return sumA == null ? new Denoiser(d, a, b) : average(d, sumA, sumB, steps - averageFrom);
    }

    /**
     * Draws one sample, the source's {@code x} then its {@code z}, into column {@code off / d} of the blocks:
     * {@code y = x + sigma z}, and the residual's start {@code b - x}.
     */
    private void draw(DataSource data, RandomGenerator rng, double[] x, double[] z, double[] ys, double[] rs, int off,
                      double[] b) {
        data.next(rng, x);
        RandomStreams.fillNormal(rng, z);
        for (int i = 0; i < x.length; i++) {
            ys[off + i] = x[i] + sigma * z[i];
            rs[off + i] = b[i] - x[i];
        }
    }

    /** {@code A}'s start, {@code a_0 I}. */
    private double[] startingA(int d) {
        double[] a = new double[d * d];
        if (start != 0) {
            for (int i = 0; i < d; i++) {
                a[i * d + i] = start;
            }
        }
        return a;
    }

    private static Denoiser average(int d, double[] sumA, double[] sumB, int count) {
        for (int i = 0; i < sumA.length; i++) {
            sumA[i] /= count;
        }
        for (int i = 0; i < d; i++) {
            sumB[i] /= count;
        }
        return new Denoiser(d, sumA, sumB);
    }
}
