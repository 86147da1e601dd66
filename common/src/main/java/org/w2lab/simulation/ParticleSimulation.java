package org.w2lab.simulation;

import java.io.Serializable;
import java.util.random.RandomGenerator;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.ExactVpScore;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.ParticleBlock;
import org.w2lab.sampler.ScoreUndefinedException;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.theory.Init;
import org.w2lab.theory.Recorder;
import org.w2lab.theory.TheoryResult.Status;
import org.w2lab.wasserstein.GaussianTarget;
import org.w2lab.wasserstein.ParticleW2;

/**
 * One seed of a sampler run for real: {@code M} particles started from {@code p_T} or {@code N(0, I)}, stepped by
 * the scheme with the exact score of {@code p_data = N(0, U diag(lambda) U^T)} and fresh noise, then compared with
 * {@code p_data} by the bias-corrected Gaussian fit and by sliced W2 against fresh draws of {@code p_data}. Every
 * random number comes from the task's stream, in a fixed order, so a seed's result has the same bits wherever it
 * runs.
 */
public final class ParticleSimulation {
    /** Directions of the sliced W2 estimate. */
    public static final int SLICED_DIRECTIONS = 64;

    /**
     * The most doubles a particle block of a seed holds (2^23, 64 MiB): a seed with {@code d M} above it runs its
     * particles in chunks of {@code floor(2^23 / d)} (docs/theory.md, 9).
     */
    public static final int BLOCK_DOUBLES = 1 << 23;

    private final Spectrum spectrum;
    private final ForwardProcess schedule;
    private final double[] basis;
    private final int blockDoubles;

    /**
     * @param basis the data's orthonormal eigenvectors {@code U}, column-major; {@code null} for the identity
     */
    public ParticleSimulation(Spectrum spectrum, ForwardProcess schedule, double[] basis) {
        this(spectrum, schedule, basis, BLOCK_DOUBLES);
    }

    /** With another bound on a block than {@link #BLOCK_DOUBLES} (the tests' small chunks). */
    ParticleSimulation(Spectrum spectrum, ForwardProcess schedule, double[] basis, int blockDoubles) {
        this.spectrum = spectrum;
        this.schedule = schedule;
        this.basis = basis;
        this.blockDoubles = blockDoubles;
    }

    /**
     * What one seed produced.
     *
     * @param status       {@code ok}, {@code score_undefined} (the scheme evaluated the score where it does not
     *                     exist) or {@code diverged} (a particle overflowed)
     * @param fit          the Gaussian fit against {@code p_data}; {@code null} unless ok
     * @param w2Sliced     the sliced W2 against fresh draws of {@code p_data}; NaN unless ok
     * @param steps        the recorded steps
     * @param times        their backward times
     * @param w2Trajectory the bias-corrected Gaussian-fit W2 to the exact marginal {@code p_{T - s_k}} there
     */
    public record Result(Status status, GaussianTarget.FitEstimate fit, double w2Sliced, int[] steps,
                         double[] times, double[] w2Trajectory) implements Serializable {
    }

    /**
     * Runs {@code steps} uniform steps on {@code [0, T - eps]} with {@code m} particles.
     *
     * @param recordEvery record every {@code recordEvery}-th step and the last; 0 records nothing
     * @param rng         the seed's stream (advanced)
     */
    public Result run(DiscreteScheme scheme, int steps, double eps, Init init, int m, int recordEvery,
                      RandomGenerator rng) {
        return run(scheme, new TimeGrid(schedule.horizon(), eps, steps), init, m, recordEvery, rng);
    }

    /**
     * Runs the steps of any time grid with {@code m} particles and the exact score (see
     * {@link #run(DiscreteScheme, int, double, Init, int, int, RandomGenerator)}). Every matrix of the exact score's
     * steps is a function of {@code U diag(lambda) U^T}, so the particles are stepped in the coordinates of {@code U}
     * ({@link ParticleBlock#framed}), where the score is diagonal and a step costs {@code O(d M)} plus the rotation of
     * its noise: the same run as in the data's basis, to round-off, without forming {@code U f U^T} at every
     * evaluation (docs/theory.md, 9).
     */
    public Result run(DiscreteScheme scheme, TimeGrid grid, Init init, int m, int recordEvery, RandomGenerator rng) {
        LinearScore diagonal = new ExactVpScore(schedule, spectrum.lambda(), null, new double[spectrum.dimension()]);
        return run(scheme, grid, diagonal, basis == null ? null : ParticleBlock.Frame.of(spectrum.dimension(), basis),
                init, m, recordEvery, rng);
    }

    /**
     * Runs the steps of any time grid with {@code m} particles and any affine score in this simulation's basis, e.g.
     * a perturbed one ({@link org.w2lab.sampler.PerturbedScore}), whose matrices are dense in it.
     */
    public Result run(DiscreteScheme scheme, TimeGrid grid, LinearScore score, Init init, int m, int recordEvery,
                      RandomGenerator rng) {
        return run(scheme, grid, score, null, init, m, recordEvery, rng);
    }

    /**
     * @param frame {@code U} when the particles and the score are in the coordinates of the data's eigenbasis;
     *              {@code null} when they are in the data's basis
     */
    private Result run(DiscreteScheme scheme, TimeGrid grid, LinearScore score, ParticleBlock.Frame frame, Init init,
                       int m, int recordEvery, RandomGenerator rng) {
        int d = spectrum.dimension();
        int steps = grid.steps();
        double[] sd = new double[d];
        for (int i = 0; i < d; i++) {
            sd[i] = Math.sqrt(init == Init.P_T ? schedule.variance(spectrum.lambda(i), schedule.horizon())
                    : schedule.priorVariance());
        }
        if ((long) d * m > blockDoubles) {
            return chunked(scheme, grid, score, frame, init, m, recordEvery, sd, rng);
        }
        ParticleBlock particles = start(frame, init, sd, m, rng);
        // the targets in the particles' coordinates
        double[] targetBasis = frame == null ? basis : null;
        Recorder recorder = new Recorder(steps, recordEvery);
        // the fit of the last recorded particles, reused at the end when the last step was recorded
        GaussianLaw fitted = null;
        try {
            for (int k = 0; k <= steps; k++) {
                if (k > 0) {
                    scheme.step(particles, score, schedule, grid.forward(k - 1), grid.forward(k), rng);
                }
                if (recorder.wants(k)) {
                    if (!particles.isFinite()) {
                        return broken(Status.DIVERGED, recorder);
                    }
                    fitted = particles.fit();
                    recorder.offer(k, grid.backward(k), estimate(fitted, m, targetBasis, marginal(grid.forward(k)))
                            .w2Corrected());
                }
            }
        } catch (ScoreUndefinedException e) {
            return broken(Status.SCORE_UNDEFINED, recorder);
        }
        if (!particles.isFinite()) {
            return broken(Status.DIVERGED, recorder);
        }
        if (!recorder.wants(steps)) {
            fitted = particles.fit();
        }
        GaussianTarget.FitEstimate fit = estimate(fitted, m, targetBasis, spectrum.lambda());
        ParticleBlock data = ParticleBlock.sample(basis, sqrt(spectrum.lambda()), m, rng);
        double sliced = ParticleW2.sliced(d, m, particles.inDataBasis(), data.values(), SLICED_DIRECTIONS, rng);
        return new Result(Status.OK, fit, sliced, recorder.steps(), recorder.times(), recorder.values());
    }

    /**
     * {@code m} particles of the start, in the data's basis or, framed, in the coordinates of {@code U}: {@code p_T}
     * is diagonal in {@code U} (its draws {@code U (sd * z)} need the product only in the data's basis); the prior
     * {@code N(0, prior I)} is invariant under {@code U} (its draws need no product, except into {@code U}'s
     * coordinates).
     */
    private ParticleBlock start(ParticleBlock.Frame frame, Init init, double[] sd, int m, RandomGenerator rng) {
        if (frame == null) {
            return ParticleBlock.sample(init == Init.P_T ? basis : null, sd, m, rng);
        }
        ParticleBlock particles = ParticleBlock.sample(null, sd, m, rng);
        return init == Init.P_T ? particles.framed(frame) : particles.rotatedInto(frame);
    }

    /**
     * A seed whose particles do not fit one block of {@link #BLOCK_DOUBLES}: the particles never interact, so they
     * run through all the steps in chunks, one after the other, each chunk's moments added to those of the recorded
     * steps ({@link Moments}) and its final particles projected on the sliced estimate's directions; then the data's
     * draws, in chunks too. The random numbers come in another order than in one block (the directions first, then
     * chunk after chunk, then the data), so such a seed is the same law, not the same bits, as it would be in one
     * block; its bits do not depend on anything but its configuration and seed.
     */
    private Result chunked(DiscreteScheme scheme, TimeGrid grid, LinearScore score, ParticleBlock.Frame frame,
                           Init init, int m, int recordEvery, double[] sd, RandomGenerator rng) {
        int d = spectrum.dimension();
        int steps = grid.steps();
        int chunk = Math.max(2, blockDoubles / d);
        double[] targetBasis = frame == null ? basis : null;
        ParticleW2.Directions directions = new ParticleW2.Directions(d, SLICED_DIRECTIONS, rng);
        Recorder recorder = new Recorder(steps, recordEvery);
        Moments[] recorded = new Moments[steps + 1];
        Moments end = new Moments(d);
        double[] projected = new double[SLICED_DIRECTIONS * m];
        Status broken = null;
        try {
            for (int from = 0; from < m && broken == null; from += chunk) {
                int size = Math.min(chunk, m - from);
                ParticleBlock particles = start(frame, init, sd, size, rng);
                for (int k = 0; k <= steps && broken == null; k++) {
                    if (k > 0) {
                        scheme.step(particles, score, schedule, grid.forward(k - 1), grid.forward(k), rng);
                    }
                    if (recorder.wants(k)) {
                        if (!particles.isFinite()) {
                            broken = Status.DIVERGED;
                        } else {
                            (recorded[k] == null ? recorded[k] = new Moments(d) : recorded[k]).add(particles);
                        }
                    }
                }
                if (broken == null && !particles.isFinite()) {
                    broken = Status.DIVERGED;
                }
                if (broken == null) {
                    end.add(particles);
                    System.arraycopy(directions.project(size, particles.inDataBasis()), 0, projected,
                            from * SLICED_DIRECTIONS, size * SLICED_DIRECTIONS);
                }
            }
        } catch (ScoreUndefinedException e) {
            broken = Status.SCORE_UNDEFINED;
        }
        for (int k = 0; k <= steps; k++) {
            if (recorded[k] != null) {
                recorder.offer(k, grid.backward(k), estimate(recorded[k].law(), (int) recorded[k].count(),
                        targetBasis, marginal(grid.forward(k))).w2Corrected());
            }
        }
        if (broken != null) {
            return broken(broken, recorder);
        }
        GaussianTarget.FitEstimate fit = estimate(end.law(), m, targetBasis, spectrum.lambda());
        double[] dataSd = sqrt(spectrum.lambda());
        double[] projectedData = new double[SLICED_DIRECTIONS * m];
        for (int from = 0; from < m; from += chunk) {
            int size = Math.min(chunk, m - from);
            ParticleBlock data = ParticleBlock.sample(basis, dataSd, size, rng);
            System.arraycopy(directions.project(size, data.values()), 0, projectedData, from * SLICED_DIRECTIONS,
                    size * SLICED_DIRECTIONS);
        }
        double sliced = directions.sliced(m, projected, projectedData);
        return new Result(Status.OK, fit, sliced, recorder.steps(), recorder.times(), recorder.values());
    }

    /** The variances of {@code p_t} in the data's eigenbasis. */
    private double[] marginal(double t) {
        double[] variances = new double[spectrum.dimension()];
        for (int i = 0; i < variances.length; i++) {
            variances[i] = schedule.variance(spectrum.lambda(i), t);
        }
        return variances;
    }

    private static GaussianTarget.FitEstimate estimate(GaussianLaw fitted, int m, double[] targetBasis,
                                                       double[] variances) {
        return new GaussianTarget(targetBasis, variances).estimate(fitted.mean(), fitted.cov(), m);
    }

    private static Result broken(Status status, Recorder recorder) {
        return new Result(status, null, Double.NaN, recorder.steps(), recorder.times(), recorder.values());
    }

    private static double[] sqrt(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.sqrt(x[i]);
        }
        return y;
    }
}
