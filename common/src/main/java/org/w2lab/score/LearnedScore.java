package org.w2lab.score;

import java.util.HashMap;
import java.util.Map;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.ScoreUndefinedException;
import org.w2lab.schedule.ForwardProcess;

/**
 * The score of a diffusion model whose linear denoiser {@code D_t(y) = A_t y + b_t} is learned at every forward time
 * {@code t} where a sampler evaluates it, by DSM-SGD on one training set ({@link NoiseLevelTraining}, docs/theory.md
 * 15). By Tweedie on the scaled state (docs/theory.md, 14), {@code s_t(x) = (alpha_t D_t(x / alpha_t) - x) / noise(t)}:
 * {@code P_t = (I - A_t) / noise(t)}, {@code c_t = alpha_t b_t / noise(t)}.
 *
 * <p>A level is trained at its first evaluation and kept. Its SGD draws from a stream of the key, the seed and the
 * bits of {@code t} alone, so a denoiser does not depend on which times were met before it: the particles, the exact
 * conditional law and every sampler that evaluates the same {@code t} meet the same denoiser. The training set and
 * the denoisers live in the data's basis {@code U} (the particles'); {@link #inEigenbasis()} is the same score seen
 * from the eigenbasis ({@code A -> U^T A U}, {@code b -> U^T b}), where {@code MatrixTheory} works. Not thread-safe:
 * one instance per seed.
 */
public final class LearnedScore implements LinearScore {
    private final TrainingSet data;
    private final NoiseLevelTraining training;
    private final ForwardProcess process;
    private final double[] basis;
    private final String key;
    private final long seed;
    /** The trained denoisers in the data's basis, by the bits of {@code t}. */
    private final Map<Long, Denoiser> levels = new HashMap<>();
    private final LinearScore eigen;

    /**
     * @param data     the training set, drawn in the basis {@code U}
     * @param training the per-level SGD
     * @param process  the forward process whose noise levels are trained
     * @param basis    {@code U}, column-major; {@code null} for the identity
     * @param key      the stream key of the task
     * @param seed     the seed
     */
    public LearnedScore(TrainingSet data, NoiseLevelTraining training, ForwardProcess process, double[] basis,
                        String key, long seed) {
        this.data = data;
        this.training = training;
        this.process = process;
        this.basis = basis == null ? null : basis.clone();
        this.key = key;
        this.seed = seed;
        this.eigen = basis == null ? this : new Rotated();
    }

    @Override
    public int dimension() {
        return data.dimension();
    }

    /**
     * The denoiser of forward time {@code t} in the data's basis, trained at the first call.
     *
     * @throws ScoreUndefinedException where {@code noise(t) = 0}: no noise level to train at
     */
    public Denoiser denoiser(double t) {
        if (!(process.noise(t) > 0)) {
            throw new ScoreUndefinedException(t);
        }
        long bits = Double.doubleToLongBits(t);
        return levels.computeIfAbsent(bits, b -> training.sgd(process, t)
                .train(data, RandomStreams.forTask(key + ";level=" + Long.toHexString(b), seed)));
    }

    /** How many levels have been trained. */
    public int levels() {
        return levels.size();
    }

    /** Whether every trained denoiser is finite (an SGD run that overflowed is not). */
    public boolean isFinite() {
        return levels.values().stream().allMatch(Denoiser::isFinite);
    }

    @Override
    public void at(double t, double[] p, double[] c) {
        tweedie(denoiser(t), t, p, c);
    }

    /** The same score in the data's eigenbasis, on the same trained denoisers. */
    public LinearScore inEigenbasis() {
        return eigen;
    }

    /**
     * {@code P_t = (I - A) / noise(t)}, {@code c_t = alpha_t b / noise(t)}: the denoiser's own score at the level
     * {@code sqrt(noise(t))}, its offset scaled by {@code alpha_t}.
     */
    private void tweedie(Denoiser denoiser, double t, double[] p, double[] c) {
        denoiser.score(Math.sqrt(process.noise(t))).at(t, p, c);
        double scale = process.scale(t);
        for (int i = 0; i < denoiser.d(); i++) {
            c[i] *= scale;
        }
    }

    /** The eigenbasis view: each level rotated once, from the denoiser the data's basis trained. */
    private final class Rotated implements LinearScore {
        private final Map<Long, Denoiser> rotated = new HashMap<>();

        @Override
        public int dimension() {
            return data.dimension();
        }

        @Override
        public void at(double t, double[] p, double[] c) {
            Denoiser d = denoiser(t);
            tweedie(rotated.computeIfAbsent(Double.doubleToLongBits(t), b -> d.inBasis(basis)), t, p, c);
        }
    }
}
