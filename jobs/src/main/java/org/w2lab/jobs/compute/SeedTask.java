package org.w2lab.jobs.compute;

import java.io.Serializable;
import org.w2lab.jobs.config.DiffusionSpec;
import org.w2lab.jobs.config.TaskSpec;

/**
 * One simulation: a configuration and one of its seeds, the unit of work spread across executors.
 *
 * @param task a simulated configuration
 * @param seed the seed index, {@code 0 <= seed < task.seeds()}
 */
public record SeedTask(TaskSpec task, int seed) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The estimated cost in floating-point operations, by which tasks are balanced across partitions: each score
     * evaluation moves {@code M} particles through a {@code d x d} product (a perturbed or learned score) or
     * elementwise (the exact score, in the data's eigenbasis); in a random basis the exact score's stochastic steps
     * rotate their noise by a {@code d x d} product and the end rotates the particles back; each Gaussian fit costs a
     * {@code d x d x M} Gram product and a {@code d x d} eigendecomposition; each normal draw counts {@link #NORMAL}. An {@code sgd} seed costs its SGD
     * steps and its training set; a learned score adds its training at every evaluation time.
     */
    public double cost() {
        double d = task.d();
        if (task.sgdOnly()) {
            // each SGD sample: a d x d product for the residual and a rank-one update; the training set's draws
            return 4 * d * d * (double) task.langevin().sgdSteps() * task.langevin().batch()
                    + 2 * d * d * (double) task.langevin().nTrain();
        }
        double m = task.particles() == null ? 0 : task.particles();
        boolean learned = task.diffusion() != null && task.diffusion().learned();
        boolean dense = task.diffusion() != null && (task.diffusion().perturbed() || learned);
        boolean rotated = "random".equals(task.basis()) && !dense;
        double perEvaluation = m * (dense ? 2 * d * d : 4 * d);
        int records = task.recordEvery() == 0 ? 0 : task.steps() / task.recordEvery() + 2;
        double perFit = 2 * d * d * m + 10 * d * d * d;
        double rotations = rotated ? 2 * d * d * m * (noiseSteps() + 1) : 0;
        double particles = m == 0 ? 0
                : task.nfe() * perEvaluation + (records + 1) * perFit + NORMAL * m * d * noiseSteps() + rotations;
        return particles + (learned ? learning() : 0);
    }

    /**
     * A learned score's work: at each evaluation time (at most {@code nfe}) {@code K x batch} SGD samples of
     * {@code 4 d^2} (as an {@code sgd} seed's), its training set's draws, and the conditional law's step on a
     * {@code d x d} covariance (a few {@code d^3} products) per evaluation.
     */
    private double learning() {
        double d = task.d();
        var g = task.diffusion();
        return task.nfe() * (4 * d * d * (double) g.training().steps() * g.training().batch() + 10 * d * d * d)
                + 2 * d * d * (double) g.nTrain();
    }

    /**
     * A standard normal draw in floating-point operations: 2.5e8 draws a second against about 2e9 elementwise
     * operations a second on one core (bench), so a stochastic step's draws weigh as much as its arithmetic.
     */
    static final double NORMAL = 8;

    /**
     * Blocks of {@code d x M} normals a seed draws: one per step of a stochastic scheme, three per Langevin step for
     * {@code ula} (exact score, fresh-sample SGD, training-set SGD), plus the initial draw.
     */
    private double noiseSteps() {
        if (task.langevin() != null) {
            return 3.0 * (task.steps() + 1);
        }
        boolean stochastic = (task.diffusion() == null ? DiffusionSpec.DEFAULT : task.diffusion())
                .scheme(task.sampler(), task.steps()).stochastic();
        return (stochastic ? task.steps() : 0) + 1;
    }
}
