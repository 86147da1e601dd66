package org.w2lab.sampler;

import java.util.random.RandomGenerator;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;

/**
 * A numerical scheme for the backward SDE or the probability-flow ODE, as it acts on the law of its iterate: with
 * the exact score every iterate is a centred Gaussian diagonal in the data's eigenbasis, so one step maps each
 * variance {@code v_i} to {@code a_i^2 v_i + q_i} (docs/theory.md, section 3).
 */
public interface DiscreteScheme {
    /** The {@code sampler} value of the tables: {@code em}, {@code ei}, {@code ddpm}, {@code euler}, ... */
    String id();

    /** Score evaluations per step; see {@link #evaluations} for a whole run. */
    int evaluationsPerStep();

    /**
     * The score evaluations (NFE) of a run on {@code grid}: {@code N * evaluationsPerStep()}, except where a sampler
     * saves some (docs/theory.md, 3.2 and 12.5).
     */
    default int evaluations(TimeGrid grid, ForwardProcess process) {
        return grid.steps() * evaluationsPerStep();
    }

    /** The order of convergence of the final variances as the step {@code h} goes to zero. */
    int order();

    /** Whether the scheme discretizes the backward SDE (it injects noise) rather than the flow ODE. */
    boolean stochastic();

    /**
     * Advances the law one step, from forward time {@code tFrom} to {@code tTo < tFrom}, for every start.
     *
     * @param state the variances (modified)
     * @throws ScoreUndefinedException if a score evaluation falls where {@code p_t} has no density
     */
    void step(SpectralState state, double tFrom, double tTo);

    /**
     * Advances the law over steps {@code from} to {@code to} of {@code grid} (forward time {@code t_from} to
     * {@code t_to}), for every start, with the same bits as {@link #step(SpectralState, double, double)} step after
     * step. A scheme may go faster over a whole run than one step at a time ({@link RecursionKernel}); the law is
     * only read at the end.
     *
     * @param state the variances (modified; when a score evaluation fails, in an unspecified state)
     * @throws ScoreUndefinedException if a score evaluation falls where {@code p_t} has no density
     */
    default void steps(SpectralState state, TimeGrid grid, int from, int to) {
        for (int k = from; k < to; k++) {
            step(state, grid.forward(k), grid.forward(k + 1));
        }
    }

    /**
     * The same step on a Gaussian law in any basis, with any affine score: the full-matrix engine
     * (docs/theory.md, section 5). With the exact score of a rotated spectrum it agrees with
     * {@link #step(SpectralState, double, double)}.
     *
     * @param law   the law before the step (not modified)
     * @param score the score
     * @return the law after the step
     * @throws ScoreUndefinedException if a score evaluation falls where the score does not exist
     */
    GaussianLaw step(GaussianLaw law, LinearScore score, ForwardProcess schedule, double tFrom, double tTo);

    /**
     * The same step on particles: the algorithm as it is run, with fresh normal draws for the noise.
     *
     * @param particles modified
     * @param rng       the task's stream (advanced)
     */
    void step(ParticleBlock particles, LinearScore score, ForwardProcess schedule, double tFrom, double tTo,
              RandomGenerator rng);
}
