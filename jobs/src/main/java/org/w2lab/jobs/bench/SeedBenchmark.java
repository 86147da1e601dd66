package org.w2lab.jobs.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.simulation.ParticleSimulation;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.spectrum.SpectrumFiles;
import org.w2lab.theory.Init;

/**
 * One simulated seed at image scale, the work of the NumPy peer {@code bin/bench_seed_numpy.py}: Euler-Maruyama with
 * the exact score on the CIFAR-10 spectrum ({@code d = 3072}) in a Haar-random basis, {@link #STEPS} steps of
 * {@link #M} particles from {@code p_T}, the Gaussian fit's W2 and sliced W2 at the end. The rotation is drawn in the
 * set-up (a job draws it once per spectrum and JVM). One invocation per measurement: a seed takes seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SeedBenchmark {
    public static final int STEPS = 4;
    public static final int M = 4096;
    public static final double EPS = 1e-3;

    /** The folder holding {@code spectra/cifar10_eigenvalues.npy}. */
    @Param("conf")
    public String conf;

    private ParticleSimulation simulation;

    @Setup
    public void setup() {
        Spectrum cifar = SpectrumFiles.load(Path.of(conf, "spectra", "cifar10_eigenvalues.npy"));
        double[] basis = HaarRotation.draw(cifar.dimension(), RandomStreams.forTask("bench basis", 0));
        simulation = new ParticleSimulation(cifar, VpSchedule.standard(), basis);
    }

    /** The seed, every part of it. */
    @Benchmark
    public double seedD3072Random() {
        return simulation.run(Schemes.byId("em"), STEPS, EPS, Init.P_T, M, 0, RandomStreams.forTask("bench seed", 0))
                .fit().w2Fit();
    }

    /** The peer's command-line options for the same work. */
    public static String[] peerArguments(String conf) {
        return new String[] {"--spectrum", Path.of(conf, "spectra", "cifar10_eigenvalues.npy").toString(), "--steps",
            String.valueOf(STEPS), "--particles", String.valueOf(M), "--eps", String.valueOf(EPS), "--json"};
    }
}
