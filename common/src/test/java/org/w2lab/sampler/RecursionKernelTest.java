package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w2lab.linalg.Simd;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VeSchedule;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;

/**
 * A run of steps through {@link DiscreteScheme#steps} (the SIMD kernels of {@link RecursionKernel} for the schemes
 * of the study) against the same steps one at a time through
 * {@link DiscreteScheme#step(SpectralState, double, double)} (the per-step loops): the same bits for every start,
 * on every dimension (whole blocks of eight eigenvalues and a padded rest), grid, process and number of starts.
 */
class RecursionKernelTest {
    private static final VpSchedule VP = VpSchedule.standard();
    private static final VeSchedule VE = VeSchedule.standard();

    /** The test JVM has the Vector API (the build adds the module), else this class compares a path with itself. */
    @Test
    void theKernelsRunHere() {
        assertTrue(Simd.available(), "the SIMD kernels do not run in this JVM (jdk.incubator.vector, AVX2)");
    }

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int[] dims = {1, 5, 8, 13, 37};
        int[] starts = {1, 2, 3};
        int n = 0;
        for (DiscreteScheme scheme : Schemes.ALL) {
            for (int d : dims) {
                int m = starts[n++ % starts.length];
                cases.add(Arguments.of(scheme, VP, d, m, TimeGrid.uniform(1, 1e-3, 37)));
                cases.add(Arguments.of(scheme, VP, d, m, TimeGrid.exponential(1, 1e-4, 23, 0.8)));
                if (!scheme.id().equals("ei") && !scheme.id().equals("ddpm")) {
                    cases.add(Arguments.of(scheme, VE, d, m, TimeGrid.edm(VE, 0.01, 19, TimeGrid.EDM_RHO)));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} d={2} starts={3} {4}")
    @MethodSource("cases")
    void aRunHasTheBitsOfItsStepsOneByOne(DiscreteScheme scheme, ForwardProcess process, int d, int starts,
                                          TimeGrid grid) {
        SplittableRandom random = new SplittableRandom(31L * d + starts);
        Spectrum spectrum = new Spectrum("random", random.doubles(d, 1e-6, 10).toArray(), 0);
        double[][] v0 = new double[starts][];
        for (int m = 0; m < starts; m++) {
            v0[m] = random.doubles(d, 0.01, 200).toArray();
        }
        SpectralState byRun = new SpectralState(spectrum, process, v0);
        SpectralState byStep = new SpectralState(spectrum, process, v0);
        int mid = grid.steps() / 3;
        scheme.steps(byRun, grid, 0, mid);
        scheme.steps(byRun, grid, mid, grid.steps());
        for (int k = 0; k < grid.steps(); k++) {
            scheme.step(byStep, grid.forward(k), grid.forward(k + 1));
        }
        for (int m = 0; m < starts; m++) {
            assertFalse(Arrays.equals(v0[m], byRun.variances(m)), "the run did nothing");
            assertArrayEquals(byStep.variances(m), byRun.variances(m), "start " + m);
        }
    }

    /** Infinite and NaN variances (a diverged start) propagate the same way in both paths. */
    @Test
    void nonFiniteVariancesPropagateAlike() {
        Spectrum spectrum = Spectrum.powerLaw(11, 1);
        double[] broken = new double[11];
        Arrays.fill(broken, 1);
        broken[2] = Double.POSITIVE_INFINITY;
        broken[9] = Double.NaN;
        TimeGrid grid = TimeGrid.uniform(1, 1e-3, 5);
        for (DiscreteScheme scheme : Schemes.ALL) {
            SpectralState byRun = new SpectralState(spectrum, VP, broken, broken);
            SpectralState byStep = new SpectralState(spectrum, VP, broken, broken);
            scheme.steps(byRun, grid, 0, grid.steps());
            for (int k = 0; k < grid.steps(); k++) {
                scheme.step(byStep, grid.forward(k), grid.forward(k + 1));
            }
            assertFalse(byRun.isFinite(0), scheme.id());
            assertArrayEquals(byStep.variances(0), byRun.variances(0), scheme.id());
            assertArrayEquals(byStep.variances(1), byRun.variances(1), scheme.id());
        }
    }

    /**
     * A zero eigenvalue at {@code eps = 0}: Heun's and RK4's last stage evaluates the score at {@code t = 0}, where
     * {@code p_0} has no density, in a run as step by step.
     */
    @Test
    void aRunThatMeetsAnUndefinedScoreThrows() {
        double[] lambda = new double[13];
        Arrays.fill(lambda, 0.5);
        lambda[6] = 0;
        Spectrum spectrum = new Spectrum("zero", lambda, 0);
        TimeGrid grid = TimeGrid.uniform(1, 0, 9);
        for (DiscreteScheme scheme : List.of(Schemes.HEUN, Schemes.RK4)) {
            SpectralState state = new SpectralState(spectrum, VP, new double[13]);
            assertThrows(ScoreUndefinedException.class, () -> scheme.steps(state, grid, 0, grid.steps()),
                    scheme.id());
        }
    }
}
