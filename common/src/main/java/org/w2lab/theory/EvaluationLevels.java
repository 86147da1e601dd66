package org.w2lab.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.MultistepScheme;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;

/**
 * The distinct forward times at which a sampler evaluates its score on a grid, the noise levels of a learned score
 * (docs/theory.md, 15.3), each with the window of steps that use it: a level serves one step (EM, DDPM,
 * DPM-Solver) or, where a step ends where the next begins (Heun, RK4, EDM), two consecutive steps. A multistep
 * sampler saves evaluations that later steps read, and the values it saves after them depend on them too, so the
 * exact map after a level is no longer a factor on the state alone: its window runs to the last step. They are
 * found by running the steps once on a scalar law with a score that records its times, so every sampler is
 * covered without a list kept by hand.
 */
final class EvaluationLevels {
    /** The levels in order of first use. */
    private final double[] times;
    /** The first and the last step that evaluate each level. */
    private final int[] first;
    private final int[] last;

    private EvaluationLevels(double[] times, int[] first, int[] last) {
        this.times = times;
        this.first = first;
        this.last = last;
    }

    static EvaluationLevels of(DiscreteScheme scheme, TimeGrid grid, ForwardProcess process) {
        Map<Long, int[]> windows = new LinkedHashMap<>();
        List<Double> times = new ArrayList<>();
        int[] step = {0};
        LinearScore recorder = new LinearScore() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void at(double t, double[] p, double[] c) {
                int[] window = windows.computeIfAbsent(Double.doubleToLongBits(t), bits -> {
                    times.add(t);
                    return new int[] {step[0], step[0]};
                });
                window[1] = step[0];
                p[0] = 1;
                c[0] = 0;
            }
        };
        GaussianLaw probe = GaussianLaw.standard(1);
        for (int k = 0; k < grid.steps(); k++) {
            step[0] = k;
            scheme.step(probe, recorder, process, grid.forward(k), grid.forward(k + 1));
        }
        int n = times.size();
        double[] t = new double[n];
        int[] first = new int[n];
        int[] last = new int[n];
        boolean carries = scheme instanceof MultistepScheme m && m.multistep();
        int e = 0;
        for (int[] window : windows.values()) {
            t[e] = times.get(e);
            first[e] = window[0];
            last[e] = carries ? grid.steps() - 1 : window[1];
            e++;
        }
        return new EvaluationLevels(t, first, last);
    }

    int count() {
        return times.length;
    }

    double time(int e) {
        return times[e];
    }

    int first(int e) {
        return first[e];
    }

    int last(int e) {
        return last[e];
    }
}
