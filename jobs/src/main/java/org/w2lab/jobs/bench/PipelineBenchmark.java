package org.w2lab.jobs.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.w2lab.random.RandomStreams;
import org.w2lab.score.DenoisingSgd;
import org.w2lab.score.TrainingSet;
import org.w2lab.simulation.LangevinPipeline;
import org.w2lab.spectrum.Spectrum;

/**
 * The score matching + Langevin pipeline on the work of its NumPy peer {@code bin/bench_pipeline_numpy.py}:
 * {@code K} SGD steps on a training set, and one whole seed (four sources: direct draws, exact-score ULA, SGD on
 * fresh samples + ULA, SGD on the training set + ULA, and the conditional laws).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PipelineBenchmark {
    public static final int D = 16;
    /** The dimension of the second SGD benchmark, {@code sgd_d100}, and its step (inside the variance bound). */
    public static final int D_LARGE = 100;
    public static final double TAU_LARGE = 0.01;
    public static final double ZETA = 1;
    public static final double SIGMA = 0.5;
    public static final double TAU = 0.05;
    public static final int N_TRAIN = 100;
    public static final int SGD_STEPS = 20_000;
    public static final double GAMMA = 0.01;
    public static final int LANGEVIN_STEPS = 500;
    public static final int PARTICLES = 4096;

    private TrainingSet data;
    private DenoisingSgd sgd;
    private TrainingSet dataLarge;
    private DenoisingSgd sgdLarge;
    private LangevinPipeline pipeline;

    @Setup
    public void setup() {
        Spectrum spectrum = Spectrum.powerLaw(D, ZETA);
        data = TrainingSet.draw(null, spectrum.lambda(), N_TRAIN, RandomStreams.forTask("bench data", 0));
        sgd = new DenoisingSgd(SIGMA, TAU, SGD_STEPS, 1, DenoisingSgd.Iterate.FINAL);
        dataLarge = TrainingSet.draw(null, Spectrum.powerLaw(D_LARGE, ZETA).lambda(), N_TRAIN,
                RandomStreams.forTask("bench data", 0));
        sgdLarge = new DenoisingSgd(SIGMA, TAU_LARGE, SGD_STEPS, 1, DenoisingSgd.Iterate.FINAL);
        pipeline = new LangevinPipeline(spectrum, null, SIGMA, GAMMA, LANGEVIN_STEPS, sgd, N_TRAIN, PARTICLES);
    }

    /** {@code K} SGD steps, one sample each. */
    @Benchmark
    public double sgdTrain() {
        return sgd.train(data, RandomStreams.forTask("bench sgd", 0)).a()[0];
    }

    /** {@code K} SGD steps, one sample each, in {@code d = 100}. */
    @Benchmark
    public double sgdTrainD100() {
        return sgdLarge.train(dataLarge, RandomStreams.forTask("bench sgd", 0)).a()[0];
    }

    /** One seed of the pipeline, every part. */
    @Benchmark
    public double pipelineSeed() {
        return pipeline.run(part -> RandomStreams.forTask("bench " + part, 0)).w2Noise();
    }

    /**
     * The peer's command-line options for the same work: in {@code d = }{@link #D} (its SGD steps and seed), or in
     * {@link #D_LARGE} (its SGD steps; its seed is not compared).
     */
    public static String[] peerArguments(int d) {
        return new String[] {"--d", String.valueOf(d), "--zeta", String.valueOf(ZETA), "--sigma", String.valueOf(SIGMA),
            "--tau", String.valueOf(d == D ? TAU : TAU_LARGE), "--n-train", String.valueOf(N_TRAIN), "--sgd-steps",
            String.valueOf(SGD_STEPS), "--gamma", String.valueOf(GAMMA), "--langevin-steps",
            String.valueOf(LANGEVIN_STEPS), "--particles", String.valueOf(PARTICLES), "--json", d == D ? "--json"
            : "--sgd-only"};
    }
}
