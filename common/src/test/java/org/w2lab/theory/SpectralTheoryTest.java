package org.w2lab.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;

class SpectralTheoryTest {
    private static final VpSchedule SCHEDULE = VpSchedule.standard();

    @Test
    void ddpmPreservesTheStandardNormalExactly() {
        // lambda = 1: p_t = N(0, I) for all t and the score is -y. With alpha = e^{-2 Delta}, Ho et al.'s step maps
        // variance 1 to (1 - beta_k)^2 / alpha + beta_k = alpha + 1 - alpha = 1, whatever the step.
        SpectralTheory theory = new SpectralTheory(Spectrum.powerLaw(5, 0), SCHEDULE);
        for (int steps : new int[] {1, 3, 50}) {
            TheoryResult r = theory.discrete(Schemes.DDPM, steps, 0, Init.NORMAL, 1);
            assertEquals(0.0, r.w2ToData(), 1e-14);
        }
    }

    @Test
    void flowOdeSchemesDoNotMoveTheStandardNormal() {
        // lambda = 1: the ODE drift beta (1 - 1/sigma^2) vanishes, so every Runge-Kutta step is the identity
        SpectralTheory theory = new SpectralTheory(Spectrum.powerLaw(3, 0), SCHEDULE);
        for (DiscreteScheme s : new DiscreteScheme[] {Schemes.EULER, Schemes.HEUN, Schemes.RK4}) {
            assertEquals(0.0, theory.discrete(s, 7, 0, Init.NORMAL, 0).w2ToData(), 0.0, s.id());
        }
    }

    @Test
    void eulerMaruyamaOnTheStandardNormalAddsHSquaredBetaSquaredPerStep() {
        // lambda = 1, one EM step: (1 - h beta)^2 + 2 h beta = 1 + h^2 beta^2, so W2 = sqrt(1 + h^2 beta_T^2) - 1
        SpectralTheory theory = new SpectralTheory(Spectrum.powerLaw(1, 0), SCHEDULE);
        double h = 1 - 0.25;
        double expected = Math.sqrt(1 + h * h * 10 * 10) - 1;
        assertEquals(expected, theory.discrete(Schemes.EM, 1, 0.25, Init.NORMAL, 0).w2ToData(), 1e-14);
    }

    @Test
    void secondAndFourthOrderOdeSchemesNeedTheScoreAtTimeZeroAndFailOnSingularData() {
        Spectrum singular = new Spectrum("singular", new double[] {1, 0.5, 0}, 0);
        SpectralTheory theory = new SpectralTheory(singular, SCHEDULE);
        for (DiscreteScheme s : Schemes.ALL) {
            TheoryResult atZero = theory.discrete(s, 20, 0, Init.P_T, 1);
            boolean evaluatesAtEnd = s == Schemes.HEUN || s == Schemes.RK4;
            assertEquals(evaluatesAtEnd ? TheoryResult.Status.SCORE_UNDEFINED : TheoryResult.Status.OK,
                    atZero.status(), s.id());
            assertEquals(evaluatesAtEnd, Double.isNaN(atZero.w2ToData()), s.id());
            // the trajectory is kept up to the breakdown: steps 0..19 of 20 when the last step fails
            assertEquals(evaluatesAtEnd ? 20 : 21, atZero.steps().length, s.id());
            assertEquals(TheoryResult.Status.OK, theory.discrete(s, 20, 1e-4, Init.P_T, 1).status(), s.id());
        }
    }

    @Test
    void trajectoryIsRecordedEveryKStepsAndAtTheEnd() {
        SpectralTheory theory = new SpectralTheory(Spectrum.powerLaw(10, 1), SCHEDULE);
        TheoryResult r = theory.discrete(Schemes.EI, 10, 1e-3, Init.NORMAL, 4);
        assertArrayEquals(new int[] {0, 4, 8, 10}, r.steps());
        assertEquals(0.0, r.times()[0], 0.0);
        assertEquals(1 - 1e-3, r.times()[3], 0.0);
        assertEquals(0, theory.discrete(Schemes.EI, 10, 1e-3, Init.NORMAL, 0).steps().length);
        // at step 0 the law is the initialization: W2(N(0, I), p_T)
        TheoryResult exact = theory.discrete(Schemes.EI, 10, 1e-3, Init.P_T, 1);
        assertEquals(0.0, exact.w2ToMarginal()[0], 0.0);
        assertTrue(r.w2ToMarginal()[0] > 0);
    }

    @Test
    void startsPropagatedTogetherHaveTheBitsOfStartsPropagatedAlone() {
        Spectrum singular = new Spectrum("s", new double[] {3, 1, 0.2, 0}, 0);
        SpectralTheory theory = new SpectralTheory(singular, SCHEDULE);
        for (DiscreteScheme s : Schemes.ALL) {
            for (double eps : new double[] {0, 1e-3}) {
                java.util.List<TheoryResult> both = theory.discrete(s, 9, eps, java.util.List.of(Init.NORMAL,
                        Init.P_T), 2);
                for (int m = 0; m < 2; m++) {
                    TheoryResult alone = theory.discrete(s, 9, eps, m == 0 ? Init.NORMAL : Init.P_T, 2);
                    assertEquals(alone.status(), both.get(m).status(), s.id());
                    assertEquals(Double.doubleToLongBits(alone.w2ToData()),
                            Double.doubleToLongBits(both.get(m).w2ToData()), s.id());
                    assertArrayEquals(alone.w2ToMarginal(), both.get(m).w2ToMarginal(), 0.0, s.id());
                }
            }
        }
    }

    /**
     * A run goes from one recorded step to the next in one piece (DiscreteScheme#steps): what is recorded does not
     * change the law, so every record_every gives the bits of the step-by-step run at its points and at the end.
     */
    @Test
    void recordingEveryStepOrNoneGivesTheSameBits() {
        SpectralTheory theory = new SpectralTheory(Spectrum.powerLaw(21, 1), SCHEDULE);
        for (DiscreteScheme s : Schemes.ALL) {
            TheoryResult everyStep = theory.discrete(s, 30, 1e-3, Init.P_T, 1);
            for (int every : new int[] {0, 7, 30}) {
                TheoryResult r = theory.discrete(s, 30, 1e-3, Init.P_T, every);
                assertEquals(Double.doubleToLongBits(everyStep.w2ToData()), Double.doubleToLongBits(r.w2ToData()),
                        s.id() + " every " + every);
                for (int i = 0; i < r.steps().length; i++) {
                    assertEquals(everyStep.w2ToMarginal()[r.steps()[i]], r.w2ToMarginal()[i], 0.0, s.id());
                }
            }
        }
    }

    @Test
    void lastTrajectoryPointOfAnUntruncatedRunIsTheErrorToTheData() {
        SpectralTheory theory = new SpectralTheory(Spectrum.powerLaw(10, 2), SCHEDULE);
        TheoryResult r = theory.discrete(Schemes.EM, 30, 0, Init.NORMAL, 1);
        assertEquals(r.w2ToData(), r.w2ToMarginal()[30], 1e-15);
    }

    @Test
    void continuousTrajectoryFromPTStaysOnTheMarginals() {
        SpectralTheory theory = new SpectralTheory(Spectrum.powerLaw(10, 2), SCHEDULE);
        for (ContinuousProcess p : ContinuousProcess.values()) {
            TheoryResult r = theory.continuous(p, 1e-3, Init.P_T, 20);
            assertEquals(21, r.steps().length);
            for (double w : r.w2ToMarginal()) {
                assertEquals(0.0, w, 1e-12);
            }
        }
    }
}
