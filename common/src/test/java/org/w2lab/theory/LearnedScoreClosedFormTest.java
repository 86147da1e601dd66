package org.w2lab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.MultistepScheme;
import org.w2lab.sampler.NoiseLevelScheme;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.FlowProcess;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VeSchedule;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.score.NoiseLevelTraining;
import org.w2lab.spectrum.Spectrum;

/**
 * The learned-score prediction's pairs and each coordinate's own levels in closed form (docs/theory.md 15.3, "the
 * pairs in closed form") against the same by central differences of the full-matrix step, on every sampler (the five
 * multistep ones through their lane maps, "with saved values"), every process, with and without a training set, SGD
 * short of its stationary law (the transient terms) and every step recorded.
 */
class LearnedScoreClosedFormTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(7, 1.0);

    /**
     * The same squared errors to 1e-10 relative at every recorded step (seen: at most 4e-11, with the training set;
     * 4e-14 without). The differences are exact for one level's entry (the law is quadratic in an off-diagonal
     * entry) up to round-off; for the training set's direction, which moves both entries at every level, they cancel
     * their {@code h^2} error. The training set is small (N = 20) and SGD short (60 steps) so that every term
     * counts: dropping the {@code S1} cross term of {@code S2}, or reading the settled share of the row in place of
     * the column, moves a squared error by more than 1e-9 relative, ten times the tolerance; with saved values,
     * dropping the cross term of {@code S2} moves DPM-Solver++(2M) by 2e-8, not carrying a level's {@code C} by 5%.
     * With saved values one coordinate's own levels are in closed form too (the adjoint; the differences are exact
     * there, the law quadratic in the level's one evaluation): seen at most 1e-11; dropping its offset's response
     * moves DPM-Solver++(2M) by 1.4%, its curvature {@code (1/2) d^2 S_ii} by 0.14%, its {@code d S_ii} term by 25%.
     * Each case first checks that the closed form is taken: a sampler that fell back to the differences would pass the
     * comparison trivially. The samplers that keep nothing between steps take one coordinate's diagonal entry in
     * closed form too (against differences at 0.1 and 0.2 standard deviations, Richardson-combined): seen at most
     * 5.2e-11 (EDM's stochastic sampler); dropping {@code m2} moves RK4 by 1.4e-6, the cross term {@code 2 a m1 g1}
     * Heun by 1e-5, the churn's variance before the evaluations EDM's stochastic sampler by 6%.
     */
    @Test
    void closedFormPairsAreThePairsByDifferences() {
        List<Object[]> cases = new ArrayList<>();
        ForwardProcess vp = new VpSchedule(0.05, 10, 1);
        ForwardProcess ve = new VeSchedule(0.05, 2, 1);
        ForwardProcess flow = new FlowProcess(0.99);
        TimeGrid vpGrid = TimeGrid.uniform(1, 1e-2, 9);
        DiscreteScheme churn = NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(5, 0, Double.POSITIVE_INFINITY,
                1.007, 9));
        for (DiscreteScheme scheme : new DiscreteScheme[] {Schemes.EM, Schemes.EI, Schemes.DDPM, Schemes.EULER,
                Schemes.HEUN, Schemes.RK4, Schemes.DPM_SOLVER_1, Schemes.DPM_SOLVER_2, Schemes.DPM_SOLVER_3,
                Schemes.EDM_HEUN, churn, MultistepScheme.ddim(0), MultistepScheme.ddim(0.5), Schemes.EULER_ANCESTRAL}) {
            cases.add(new Object[] {scheme, vp, vpGrid});
        }
        for (DiscreteScheme scheme : new DiscreteScheme[] {Schemes.EM, Schemes.EULER, Schemes.HEUN, Schemes.RK4,
                Schemes.DPM_SOLVER_1, Schemes.DPM_SOLVER_3, Schemes.EDM_HEUN, churn, Schemes.EULER_ANCESTRAL}) {
            cases.add(new Object[] {scheme, ve, vpGrid});
        }
        for (DiscreteScheme scheme : new DiscreteScheme[] {Schemes.DPMPP_2M, Schemes.DPMPP_2M_SDE,
                Schemes.DPMPP_3M_SDE, Schemes.LMS, MultistepScheme.unipc(9)}) {
            cases.add(new Object[] {scheme, vp, vpGrid});
            cases.add(new Object[] {scheme, ve, vpGrid});
        }
        for (DiscreteScheme scheme : new DiscreteScheme[] {Schemes.EULER, Schemes.HEUN, Schemes.RK4,
                Schemes.DPM_SOLVER_2, MultistepScheme.ddim(0), Schemes.EULER_ANCESTRAL, Schemes.DPMPP_2M,
                Schemes.DPMPP_2M_SDE, Schemes.DPMPP_3M_SDE, Schemes.LMS, MultistepScheme.unipc(9)}) {
            cases.add(new Object[] {scheme, flow, TimeGrid.uniform(0.99, 1e-2, 9)});
        }
        NoiseLevelTraining training = new NoiseLevelTraining(0.02, 60, 2);
        for (Object[] c : cases) {
            DiscreteScheme scheme = (DiscreteScheme) c[0];
            ForwardProcess process = (ForwardProcess) c[1];
            TimeGrid grid = (TimeGrid) c[2];
            // the comparison means something only where the closed form is taken, not fallen back from
            assertTrue(new LearnedScorePrediction(SPECTRUM, process, training, 0, true).takesClosedForm(scheme, grid),
                    scheme.id() + " on " + process.id() + " takes the closed form");
            for (int n : new int[] {0, 20}) {
                TheoryResult closed = new LearnedScorePrediction(SPECTRUM, process, training, n, true)
                        .discrete(scheme, grid, Init.NORMAL, 1);
                TheoryResult differences = new LearnedScorePrediction(SPECTRUM, process, training, n, false)
                        .discrete(scheme, grid, Init.NORMAL, 1);
                String where = scheme.id() + " on " + process.id() + ", N = " + n;
                assertEquals(TheoryResult.Status.OK, closed.status(), where);
                double[] a = closed.w2ToMarginal();
                double[] b = differences.w2ToMarginal();
                assertEquals(b.length, a.length, where);
                for (int p = 0; p < a.length; p++) {
                    assertEquals(b[p] * b[p], a[p] * a[p], 1e-10 * b[p] * b[p], where + ", point " + p);
                }
                assertEquals(square(differences.w2ToData()), square(closed.w2ToData()),
                        1e-10 * square(differences.w2ToData()), where + ", to p_data");
            }
        }
    }

    private static double square(double x) {
        return x * x;
    }
}
