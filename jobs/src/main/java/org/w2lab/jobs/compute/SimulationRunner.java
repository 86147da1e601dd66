package org.w2lab.jobs.compute;

import java.util.random.RandomGenerator;
import org.w2lab.jobs.config.LangevinSpec;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.LinearScore;
import org.w2lab.score.Denoiser;
import org.w2lab.score.IterateFit;
import org.w2lab.score.LearnedScore;
import org.w2lab.score.TrainingSet;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.simulation.LangevinPipeline;
import org.w2lab.simulation.ParticleSimulation;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.theory.Init;
import org.w2lab.theory.MatrixTheory;
import org.w2lab.theory.TheoryResult;

/** Simulates one (configuration, seed); a pure function of the task and its spectrum, but for the elapsed time. */
public final class SimulationRunner {
    private SimulationRunner() {
    }

    public static RunOutput run(SeedTask seedTask, Spectrum spectrum) {
        long start = System.nanoTime();
        TaskSpec t = seedTask.task();
        if (t.sgdOnly()) {
            return sgd(seedTask, spectrum, start);
        }
        if (t.langevin() != null) {
            return langevin(seedTask, spectrum, start);
        }
        if (t.diffusion().learned()) {
            return learned(seedTask, spectrum, start);
        }
        ForwardProcess process = t.forwardProcess();
        double[] basis = basis(t);
        ParticleSimulation simulation = new ParticleSimulation(spectrum, process, basis);
        Init init = Init.byId(t.init());
        RandomGenerator rng = RandomStreams.forTask(t.configId(), seedTask.seed());
        ParticleSimulation.Result result = t.diffusion().perturbed()
                ? simulation.run(t.scheme(), t.timeGrid(), ScoreError.score(t, spectrum, process, basis), init,
                        t.particles(), t.recordEvery(), rng)
                : simulation.run(t.scheme(), t.timeGrid(), init, t.particles(), t.recordEvery(), rng);
        // the score is the configuration's (exact, or perturbed by its fixed G), so the law each seed samples is the
        // configuration's: its theory, computed here so that the row needs nothing from elsewhere
        return new RunOutput(seedTask, result, TheoryRunner.run(t, spectrum).result(), null, null,
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * A diffusion seed with {@code score = learned} (docs/theory.md, 15.2): its own training set, a denoiser trained at
     * every time the sampler evaluates, the exact law of the sampler given those denoisers (the full-matrix engine,
     * recorded like the particles) as its theory, and its particles, when it has any, run with the same denoisers.
     * The training set, the levels' SGD and the particles draw from streams of their own.
     */
    private static RunOutput learned(SeedTask seedTask, Spectrum spectrum, long start) {
        TaskSpec t = seedTask.task();
        int seed = seedTask.seed();
        ForwardProcess process = t.forwardProcess();
        double[] basis = basis(t);
        TrainingSet data = TrainingSet.draw(basis, spectrum.lambda(), t.diffusion().nTrain(),
                RandomStreams.forTask(t.configId() + "/training", seed));
        LearnedScore score = new LearnedScore(data, t.diffusion().training(), process, basis, t.configId() + "/sgd",
                seed);
        Init init = Init.byId(t.init());
        TheoryResult conditional = new MatrixTheory(spectrum, process).discrete(t.scheme(), t.timeGrid(),
                score.inEigenbasis(), init, t.recordEvery());
        ParticleSimulation.Result particles = t.particles() == null
                ? new ParticleSimulation.Result(conditional.status(), null, Double.NaN, new int[0], new double[0],
                        new double[0])
                : new ParticleSimulation(spectrum, process, basis).run(t.scheme(), t.timeGrid(), score, init,
                        t.particles(), t.recordEvery(), RandomStreams.forTask(t.configId() + "/particles", seed));
        if (!score.isFinite()) {
            TheoryResult.Status diverged = TheoryResult.Status.SGD_DIVERGED;
            particles = new ParticleSimulation.Result(diverged, null, Double.NaN, new int[0], new double[0],
                    new double[0]);
            conditional = new TheoryResult(diverged, Double.NaN, new int[0], new double[0], new double[0]);
        }
        return new RunOutput(seedTask, particles, conditional, null, null, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * A {@code ula} seed: its particles in the shape every seed has (no trajectory), its conditional theory (the
     * exact law given its learned score, after the steps) as its theory, and the rest beside.
     */
    private static RunOutput langevin(SeedTask seedTask, Spectrum spectrum, long start) {
        TaskSpec t = seedTask.task();
        LangevinSpec l = t.langevin();
        LangevinPipeline.Result r = new LangevinPipeline(spectrum, basis(t), l.dataMean(t.d()), l.sigma(), l.gamma(),
                t.steps(), l.sgd(), l.nTrain(), t.particles())
                .run(part -> RandomStreams.forTask(t.configId() + "/" + part, seedTask.seed()));
        ParticleSimulation.Result particles = new ParticleSimulation.Result(r.status(), r.fit(), r.w2Sliced(),
                new int[0], new double[0], new double[0]);
        boolean conditional = Double.isFinite(r.w2Conditional());
        TheoryResult theory = new TheoryResult(conditional ? TheoryResult.Status.OK : r.status(),
                r.w2Conditional(), new int[0], new double[0], new double[0]);
        return new RunOutput(seedTask, particles, theory, r, null, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * An {@code sgd} seed: its own training set, SGD from 0, the final iterate in the eigenbasis (docs/theory.md,
     * 10.9); no particles and no W2 of its own.
     */
    private static RunOutput sgd(SeedTask seedTask, Spectrum spectrum, long start) {
        TaskSpec t = seedTask.task();
        LangevinSpec l = t.langevin();
        double[] basis = basis(t);
        RandomGenerator rng = RandomStreams.forTask(t.configId(), seedTask.seed());
        Denoiser learned = l.sgd().train(TrainingSet.draw(basis, spectrum.lambda(), l.dataMean(t.d()), l.nTrain(), rng), rng);
        TheoryResult.Status status = learned.isFinite() ? TheoryResult.Status.OK : TheoryResult.Status.SGD_DIVERGED;
        ParticleSimulation.Result none = new ParticleSimulation.Result(status, null, Double.NaN, new int[0],
                new double[0], new double[0]);
        TheoryResult noTheory = new TheoryResult(status, Double.NaN, new int[0], new double[0], new double[0]);
        return new RunOutput(seedTask, none, noTheory, null,
                learned.isFinite() ? IterateFit.parameters(learned, basis) : null,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The data's eigenbasis ({@link TaskSpec#dataBasis()}). */
    static double[] basis(TaskSpec t) {
        return t.dataBasis();
    }
}
