package org.w2lab.jobs.compute;

import java.io.Serializable;
import org.w2lab.simulation.LangevinPipeline;
import org.w2lab.simulation.ParticleSimulation;
import org.w2lab.theory.TheoryResult;

/**
 * What one seed produced: its simulation and the exact theory of the law it samples.
 *
 * @param seedTask   the configuration and seed
 * @param simulation the particles' estimates
 * @param theory     the exact W2 of the law this seed's algorithm samples (with the exact score: the
 *                   configuration's theory)
 * @param langevin   what a {@code ula} seed produced beside its particles; {@code null} for the others
 * @param sgdTheta   the final SGD iterate of an {@code sgd} seed as {@code (vec A, b)} in the eigenbasis; {@code null}
 *                   for the others and when SGD diverged
 * @param elapsedMs  wall time of the simulation on its executor
 */
public record RunOutput(SeedTask seedTask, ParticleSimulation.Result simulation, TheoryResult theory,
                        LangevinPipeline.Result langevin, double[] sgdTheta, long elapsedMs) implements Serializable {
    private static final long serialVersionUID = 1L;
}
