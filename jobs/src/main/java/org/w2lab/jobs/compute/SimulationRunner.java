package org.w2lab.jobs.compute;

import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.simulation.ParticleSimulation;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.theory.Init;

/** Simulates one (configuration, seed); a pure function of the task and its spectrum, but for the elapsed time. */
public final class SimulationRunner {
    private SimulationRunner() {
    }

    public static RunOutput run(SeedTask seedTask, Spectrum spectrum) {
        long start = System.nanoTime();
        TaskSpec t = seedTask.task();
        VpSchedule schedule = new VpSchedule(t.betaMin(), t.betaMax(), t.horizon());
        ParticleSimulation simulation = new ParticleSimulation(spectrum, schedule, basis(t));
        ParticleSimulation.Result result = simulation.run(Schemes.byId(t.sampler()), t.steps(), t.eps(),
                Init.byId(t.init()), t.particles(), t.recordEvery(),
                RandomStreams.forTask(t.configId(), seedTask.seed()));
        // with the exact score the law each seed samples is the configuration's: its theory, computed here so
        // that the row needs nothing from elsewhere
        return new RunOutput(seedTask, result, TheoryRunner.run(t, spectrum).result(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The data's eigenbasis: {@code null} (identity), or a Haar rotation drawn from a stream of the data alone
     * ({@link TaskSpec#dataKey()}), the same for every sampler and seed of the same spectrum.
     */
    static double[] basis(TaskSpec t) {
        return "random".equals(t.basis())
                ? HaarRotation.draw(t.d(), RandomStreams.forTask("basis;" + t.dataKey(), 0)) : null;
    }
}
