package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CostBalancerTest {
    @Test
    void longestFirstIntoTheLightestBin() {
        // 7 -> A, 5 -> B, 4 -> B (9), 3 -> A (10), 1 -> B (10); each bin keeps the original order
        List<List<Double>> bins = CostBalancer.bins(List.of(1.0, 3.0, 4.0, 5.0, 7.0), x -> x, 2);
        assertEquals(List.of(List.of(3.0, 7.0), List.of(1.0, 4.0, 5.0)), bins);
    }

    /** Graham's bound for any list schedule: no bin exceeds the mean load by more than the largest task. */
    @Test
    void everyTaskOnceAndLoadsWithinGrahamsBound() {
        SplittableRandom r = new SplittableRandom(3);
        List<Double> costs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            costs.add(Math.exp(4 * r.nextDouble()));
        }
        List<List<Double>> bins = CostBalancer.bins(costs, x -> x, 7);
        List<Double> all = bins.stream().flatMap(List::stream).sorted().collect(Collectors.toList());
        assertEquals(costs.stream().sorted().collect(Collectors.toList()), all);
        double mean = costs.stream().mapToDouble(x -> x).sum() / 7;
        double largest = costs.stream().mapToDouble(x -> x).max().orElseThrow();
        for (List<Double> b : bins) {
            assertTrue(b.stream().mapToDouble(x -> x).sum() <= mean + largest);
        }
    }

    @Test
    void moreBinsThanTasksLeavesSomeEmpty() {
        List<List<Double>> bins = CostBalancer.bins(List.of(2.0), x -> x, 3);
        assertEquals(List.of(List.of(2.0), List.of(), List.of()), bins);
    }
}
