package org.w2lab.jobs.compute;

import java.io.Serializable;
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
     * evaluation moves {@code M} particles through a {@code d x d} product (random basis, or a perturbed score) or
     * elementwise (identity basis with the exact score); each Gaussian fit costs a {@code d x d x M} Gram product and a
     * {@code d x d} eigendecomposition. An {@code sgd} seed costs its SGD steps and its training set.
     */
    public double cost() {
        double d = task.d();
        if (task.sgdOnly()) {
            // each SGD sample: a d x d product for the residual and a rank-one update; the training set's draws
            return 4 * d * d * (double) task.langevin().sgdSteps() * task.langevin().batch()
                    + 2 * d * d * (double) task.langevin().nTrain();
        }
        double m = task.particles();
        boolean dense = "random".equals(task.basis()) || task.diffusion() != null && task.diffusion().perturbed();
        double perEvaluation = m * (dense ? 2 * d * d : 4 * d);
        int records = task.recordEvery() == 0 ? 0 : task.steps() / task.recordEvery() + 2;
        double perFit = 2 * d * d * m + 10 * d * d * d;
        return task.nfe() * perEvaluation + (records + 1) * perFit;
    }
}
