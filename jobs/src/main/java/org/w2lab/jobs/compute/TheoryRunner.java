package org.w2lab.jobs.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.sampler.LinearScore;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.theory.ContinuousProcess;
import org.w2lab.theory.Init;
import org.w2lab.theory.LearnedScorePrediction;
import org.w2lab.theory.MatrixTheory;
import org.w2lab.theory.SpectralTheory;
import org.w2lab.theory.TheoryResult;

/**
 * Computes the exact W2 errors of one configuration; a pure function of the task and its spectrum. With the exact
 * score, the spectral engine (the laws stay diagonal in the data's eigenbasis); with a perturbed score, the
 * full-matrix engine; a learned score is each seed's, and its exact laws are the seeds' ({@link SimulationRunner}).
 */
public final class TheoryRunner {
    private TheoryRunner() {
    }

    /**
     * Computes a batch of configurations that differ only in {@code init} ({@link TaskSpec#batchKey()}), sharing
     * the step coefficients; each output has the bits it has when computed alone.
     *
     * @param batch    configurations with the same batch key
     * @param spectrum their spectrum (the power law of the task's {@code d, zeta}, or the file's)
     */
    public static List<TaskOutput> run(List<TaskSpec> batch, Spectrum spectrum) {
        TaskSpec first = batch.get(0);
        if (first.sgdOnly()) {
            return batch.stream().map(t -> sgdLaw(t, spectrum)).toList();
        }
        if (first.langevin() != null) {
            return batch.stream().map(t -> langevin(t, spectrum)).toList();
        }
        if (first.diffusion().learned()) {
            return batch.stream().map(t -> learned(t, spectrum)).toList();
        }
        ForwardProcess process = first.forwardProcess();
        SpectralTheory theory = new SpectralTheory(spectrum, process);
        List<Init> inits = batch.stream().map(t -> Init.byId(t.init())).collect(Collectors.toList());
        List<TheoryResult> results;
        if (first.continuous()) {
            ContinuousProcess law = "sde".equals(first.sampler()) ? ContinuousProcess.SDE : ContinuousProcess.ODE;
            int points = first.recordEvery() == 0 ? 1 : first.continuousPoints();
            results = inits.stream().map(init -> theory.continuous(law, first.eps(), init, points))
                    .map(r -> first.recordEvery() == 0 ? withoutTrajectory(r) : r).collect(Collectors.toList());
        } else if (first.diffusion().perturbed()) {
            // a score error that does not commute with the data covariance: the full-matrix engine
            MatrixTheory matrix = new MatrixTheory(spectrum, process);
            LinearScore score = ScoreError.score(first, spectrum, process, null);
            results = inits.stream().map(init -> matrix.discrete(first.scheme(), first.timeGrid(), score, init,
                    first.recordEvery())).collect(Collectors.toList());
        } else {
            results = theory.discrete(first.scheme(), first.timeGrid(), inits, first.recordEvery());
        }
        List<TaskOutput> out = new ArrayList<>(batch.size());
        for (int m = 0; m < batch.size(); m++) {
            out.add(new TaskOutput(batch.get(m), results.get(m), null, null));
        }
        return out;
    }

    /** One configuration alone. */
    public static TaskOutput run(TaskSpec task, Spectrum spectrum) {
        return run(List.of(task), spectrum).get(0);
    }

    /**
     * A {@code ula} configuration: its w2 theory is the predicted error of the whole pipeline with the exact SGD
     * moments, by sampling where {@code d} allows (docs/theory.md 10.11: within the seeds' intervals where the
     * second-order expansion is a few per cent low), else to second order.
     */
    private static TaskOutput langevin(TaskSpec task, Spectrum spectrum) {
        LangevinTheory theory = LangevinTheory.of(task, spectrum);
        TheoryResult result = theory.exact() == null
                ? new TheoryResult(TheoryResult.Status.SGD_VARIANCE_UNBOUNDED, Double.NaN, new int[0], new double[0],
                        new double[0])
                : new TheoryResult(TheoryResult.Status.OK, Math.sqrt(theory.sampled() != null
                        ? theory.sampled().w2sq() : theory.exact().generalization()), new int[0],
                        new double[0], new double[0]);
        return new TaskOutput(task, result, theory, null);
    }

    /**
     * A configuration with {@code score = learned}: each seed samples the law of its own denoisers, whose exact W2 is
     * the seed's ({@link SimulationRunner}); the configuration's theory is the error predicted from the configuration
     * alone, {@code sqrt(E W2^2)} over training sets and SGD runs to first order in {@code tau} and {@code 1/N}
     * (docs/theory.md, 15.3).
     */
    private static TaskOutput learned(TaskSpec task, Spectrum spectrum) {
        LearnedScorePrediction prediction = new LearnedScorePrediction(spectrum, task.forwardProcess(),
                task.diffusion().training(), task.diffusion().nTrain());
        return new TaskOutput(task, prediction.discrete(task.scheme(), task.timeGrid(), Init.byId(task.init()),
                task.recordEvery()), null, null);
    }

    /**
     * An {@code sgd} configuration: no W2 of its own (the W2 between the seeds' fit and the predicted law is
     * computed when the seeds are summarized); its status says whether the exact law exists.
     */
    private static TaskOutput sgdLaw(TaskSpec task, Spectrum spectrum) {
        SgdLawTheory law = SgdLawTheory.of(task, spectrum);
        TheoryResult.Status status = law.exact() == null ? TheoryResult.Status.SGD_VARIANCE_UNBOUNDED
                : TheoryResult.Status.OK;
        return new TaskOutput(task, new TheoryResult(status, Double.NaN, new int[0], new double[0], new double[0]),
                null, law);
    }

    private static TheoryResult withoutTrajectory(TheoryResult r) {
        return new TheoryResult(r.status(), r.w2ToData(), new int[0], new double[0], new double[0]);
    }
}
