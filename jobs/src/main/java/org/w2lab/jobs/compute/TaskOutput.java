package org.w2lab.jobs.compute;

import java.io.Serializable;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.theory.TheoryResult;

/**
 * What one configuration produced: its summary values and its trajectory.
 *
 * @param task   the configuration
 * @param result   the exact errors; for {@code ula}, the predicted error of the whole pipeline
 * @param langevin the predicted errors of a {@code ula} configuration; {@code null} for the others
 * @param sgdLaw   the predicted law of the iterates of an {@code sgd} configuration; {@code null} for the others
 */
public record TaskOutput(TaskSpec task, TheoryResult result, LangevinTheory langevin, SgdLawTheory sgdLaw)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
