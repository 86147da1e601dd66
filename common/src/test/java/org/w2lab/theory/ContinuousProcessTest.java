package org.w2lab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.VeSchedule;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;

/** The closed forms of {@link ContinuousProcess} against a direct numerical solution of the variance equations. */
class ContinuousProcessTest {
    /** Classical RK4 with 20000 steps on a smooth equation: global error about h^4 ~ 1e-17, so round-off bound. */
    private static final double RELATIVE_TOLERANCE = 1e-9;

    private final VpSchedule schedule = VpSchedule.standard();

    /** The VP process of the paper and Song et al.'s VE process. */
    private static final List<ForwardProcess> PROCESSES = List.of(VpSchedule.standard(), VeSchedule.standard());

    /**
     * The variance equations in backward time {@code s} (forward time {@code t = T - s}): for {@code dy = a y ds +
     * sqrt(2 g D) dw}, {@code dv/ds = 2 a v + 2 g D}; SDE: {@code a = r - 2 D / sigma^2}, {@code g = 1};
     * ODE: {@code a = r - D / sigma^2}, {@code g = 0} ({@code r = D = beta} for VP, {@code r = 0} for VE).
     */
    private static double rhs(ForwardProcess schedule, ContinuousProcess p, double lambda, double s, double v) {
        double t = schedule.horizon() - s;
        double r = schedule.drift(t);
        double d = schedule.diffusion(t);
        double kappa = 1 / schedule.variance(lambda, t);
        return p == ContinuousProcess.SDE ? 2 * (r - 2 * d * kappa) * v + 2 * d : 2 * (r - d * kappa) * v;
    }

    private static double integrate(ForwardProcess schedule, ContinuousProcess p, double lambda, double v0,
                                    double tEnd) {
        int n = 20000;
        double h = (schedule.horizon() - tEnd) / n;
        double v = v0;
        for (int k = 0; k < n; k++) {
            double s = k * h;
            double k1 = rhs(schedule, p, lambda, s, v);
            double k2 = rhs(schedule, p, lambda, s + h / 2, v + h / 2 * k1);
            double k3 = rhs(schedule, p, lambda, s + h / 2, v + h / 2 * k2);
            double k4 = rhs(schedule, p, lambda, s + h, v + h * k3);
            v += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        return v;
    }

    @Test
    void closedFormsSolveTheVarianceEquationsFromNormalStart() {
        for (ForwardProcess process : PROCESSES) {
            for (ContinuousProcess p : ContinuousProcess.values()) {
                for (double lambda : new double[] {0.01, 0.5, 1, 30}) {
                    for (double tEnd : new double[] {0.5, 0.05, 1e-3}) {
                        double exact = p.variance(process, lambda, 1, tEnd);
                        double numeric = integrate(process, p, lambda, 1, tEnd);
                        assertEquals(numeric, exact, RELATIVE_TOLERANCE * numeric,
                                process.id() + " " + p + " lambda=" + lambda + " t=" + tEnd);
                    }
                }
            }
        }
    }

    @Test
    void bothProcessesFromPTHaveTheForwardMarginals() {
        for (ForwardProcess process : PROCESSES) {
            for (ContinuousProcess p : ContinuousProcess.values()) {
                for (double lambda : new double[] {0, 0.2, 7}) {
                    double sT = process.variance(lambda, 1);
                    for (double t : new double[] {0.9, 0.1, 1e-4, 0}) {
                        // round-off relative to the largest variance on the way, sigma_T^2
                        assertEquals(process.variance(lambda, t), p.variance(process, lambda, sT, t), 1e-14 * sT,
                                process.id() + " " + p);
                    }
                }
            }
        }
    }

    @Test
    void theVariancesOfASpectrumAreTheVariancesOneByOneToTheBit() {
        // SpectralTheory#continuous takes the schedule's quantities once per time; no bit may change
        double[] lambda = {0, 1e-9, 0.2, 1, 7, 300};
        double[] v0 = {1, 0.5, 1.3, 1, 2, 0.9};
        for (ForwardProcess process : PROCESSES) {
            double[] sT = new double[lambda.length];
            double[] st = new double[lambda.length];
            double[] out = new double[lambda.length];
            process.variances(lambda, process.horizon(), sT);
            for (ContinuousProcess p : ContinuousProcess.values()) {
                for (double t : new double[] {0.9, 0.1, 1e-4, 0}) {
                    process.variances(lambda, t, st);
                    p.variances(process, v0, sT, st, t, out);
                    for (int i = 0; i < lambda.length; i++) {
                        assertEquals(Double.doubleToRawLongBits(p.variance(process, lambda[i], v0[i], t)),
                                Double.doubleToRawLongBits(out[i]), process.id() + " " + p + " t=" + t);
                    }
                }
            }
        }
    }

    @Test
    void withoutTruncationTheExactStartRecoversTheDataAndTheTruncationErrorGrowsWithEps() {
        SpectralTheory theory = new SpectralTheory(Spectrum.powerLaw(50, 1), schedule);
        for (ContinuousProcess p : ContinuousProcess.values()) {
            assertEquals(0.0, theory.continuous(p, 0, Init.P_T, 10).w2ToData(), 1e-14);
            double previous = 0;
            for (double eps : new double[] {1e-5, 1e-4, 1e-3, 1e-2}) {
                double w2 = theory.continuous(p, eps, Init.P_T, 10).w2ToData();
                assertTrue(w2 > previous, p + " eps=" + eps);
                previous = w2;
            }
        }
    }

    @Test
    void initializationErrorVanishesAsTheHorizonGrows() {
        // N(0, I) and p_T differ by e^{-2 B_T} (1 - lambda): a longer horizon leaves a smaller initialization error
        Spectrum spectrum = Spectrum.powerLaw(20, 1);
        for (ContinuousProcess p : ContinuousProcess.values()) {
            double shortRun = new SpectralTheory(spectrum, new VpSchedule(0.05, 10, 0.5))
                    .continuous(p, 0, Init.NORMAL, 4).w2ToData();
            double longRun = new SpectralTheory(spectrum, new VpSchedule(0.05, 10, 2))
                    .continuous(p, 0, Init.NORMAL, 4).w2ToData();
            assertTrue(longRun < shortRun / 100, p + ": " + longRun + " vs " + shortRun);
        }
    }
}
