package org.w2lab.jobs.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.w2lab.linalg.Matrices;
import org.w2lab.linalg.NativeBlas;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.ExactVpScore;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.Langevin;
import org.w2lab.sampler.ParticleBlock;
import org.w2lab.linalg.SymmetricEigen;
import org.w2lab.schedule.VpSchedule;

/**
 * The particle side and the machine's ceilings, on the work of the NumPy peer {@code numpy_peer.py}: one ULA step
 * of {@code M = 4096} particles in {@code d = 100} with a dense and with a diagonal score, a block of normal draws,
 * and a {@code 1000 x 1000} matrix product through the BLAS the code uses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ParticleBenchmark {
    public static final int D = 100;
    public static final int M = 4096;
    public static final int GEMM = 1000;
    public static final int NORMALS = 1_000_000;

    private Langevin dense;
    private Langevin diagonal;
    private ParticleBlock densePs;
    private ParticleBlock diagonalPs;
    private RandomGenerator rng;
    private double[] normals;
    private double[] x;
    private double[] y;
    private double[] z;

    @Setup
    public void setup() {
        double[] lambda = new double[D];
        for (int i = 0; i < D; i++) {
            lambda[i] = 1.0 / (i + 1);
        }
        SplittableRandom r = new SplittableRandom(1);
        double[] g = new double[D * D];
        for (int i = 0; i < g.length; i++) {
            g[i] = r.nextDouble(-1, 1);
        }
        double[] rotation = SymmetricEigen.of(D, Matrices.symmetrize(D, Matrices.times(D, g, g)), true).vectors();
        VpSchedule schedule = VpSchedule.standard();
        rng = RandomStreams.forTask("bench", 0);
        dense = new Langevin(new ExactVpScore(schedule, lambda, rotation, new double[D]), 0.005);
        diagonal = new Langevin(new ExactVpScore(schedule, lambda, Matrices.identity(D), new double[D]), 0.005);
        densePs = ParticleBlock.sample(GaussianLaw.standard(D), M, rng);
        diagonalPs = ParticleBlock.sample(GaussianLaw.standard(D), M, rng);
        normals = new double[NORMALS];
        x = new double[GEMM * GEMM];
        y = new double[GEMM * GEMM];
        z = new double[GEMM * GEMM];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1, 1);
            y[i] = r.nextDouble(-1, 1);
        }
    }

    /**
     * The machine's ceiling for one dense ULA particle step, in seconds: its {@code 2 d^2} flops at the GEMM's rate or
     * its {@code d} normal draws at their rate, whichever takes longer (either alone bounds it).
     *
     * @param gflops  the GEMM's rate, GFLOP/s
     * @param normals the normal draws' rate, per second
     */
    public static double secondsPerParticleStep(double gflops, double normals) {
        return Math.max(2.0 * D * D / (gflops * 1e9), D / normals);
    }

    /** One ULA step of all particles, dense score (a d x d times d x M product plus d x M normals). */
    @Benchmark
    public double ulaDense() {
        dense.step(densePs, rng);
        return densePs.values()[0];
    }

    /** One ULA step of all particles, diagonal score (elementwise plus d x M normals). */
    @Benchmark
    public double ulaDiag() {
        diagonal.step(diagonalPs, rng);
        return diagonalPs.values()[0];
    }

    /** {@link #NORMALS} standard normal draws from a task's stream. */
    @Benchmark
    public double normals() {
        RandomStreams.fillNormal(rng, normals);
        return normals[0];
    }

    /** A {@code GEMM x GEMM} matrix product through netlib's BLAS. */
    @Benchmark
    public double dgemm() {
        NativeBlas.blas().dgemm("N", "N", GEMM, GEMM, GEMM, 1.0, x, GEMM, y, GEMM, 0.0, z, GEMM);
        return z[0];
    }
}
