package org.w2lab.jobs.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Cuts tasks of unequal cost into bins of nearly equal total cost, by the longest-processing-time rule: the
 * costliest task first, each into the bin with the least cost so far (Graham 1969: within 4/3 of the best
 * makespan). Deterministic: ties go to the earlier task and the lower bin.
 */
final class CostBalancer {
    private CostBalancer() {
    }

    /**
     * @param bins how many bins, {@code >= 1}; some stay empty when there are fewer tasks
     * @return the bins, each in the tasks' original order
     */
    static <T> List<List<T>> bins(List<T> tasks, ToDoubleFunction<T> cost, int bins) {
        double[] costs = tasks.stream().mapToDouble(cost).toArray();
        int[] order = IntStream.range(0, tasks.size()).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -costs[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        double[] load = new double[bins];
        List<List<Integer>> members = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            members.add(new ArrayList<>());
        }
        for (int i : order) {
            int lightest = 0;
            for (int b = 1; b < bins; b++) {
                if (load[b] < load[lightest]) {
                    lightest = b;
                }
            }
            load[lightest] += costs[i];
            members.get(lightest).add(i);
        }
        List<List<T>> out = new ArrayList<>(bins);
        for (List<Integer> m : members) {
            out.add(m.stream().sorted().map(tasks::get).collect(Collectors.toCollection(ArrayList::new)));
        }
        return out;
    }
}
