package org.w2lab.jobs.config;

import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The points of a grid, made when asked for rather than held: each block is the cartesian product of its
 * dimensions (a dimension is one axis, or a zip group of axes of equal length stepping together), the first
 * dimension slowest, the blocks one after another. Point {@code i} is found by reading {@code i} in the mixed radix
 * of the dimensions' lengths, so a grid of a million points costs the driver its axes, not a million maps.
 */
final class GridPoints extends AbstractList<RawExperiment.Point> implements RandomAccess {
    private final List<List<List<Axis>>> blocks;
    private final long[] starts;
    private final int size;

    /**
     * @param blocks each block's dimensions, each dimension its axes (one, or a zip group)
     * @param max    the most points allowed
     * @throws IllegalArgumentException past {@code max}, with the count
     */
    GridPoints(List<List<List<Axis>>> blocks, long max) {
        this.blocks = blocks;
        this.starts = new long[blocks.size() + 1];
        for (int b = 0; b < blocks.size(); b++) {
            long points = 1;
            for (List<Axis> dimension : blocks.get(b)) {
                int n = length(dimension);
                points = points > Long.MAX_VALUE / Math.max(1, n) ? Long.MAX_VALUE : points * n;
            }
            starts[b + 1] = starts[b] > Long.MAX_VALUE - points ? Long.MAX_VALUE : starts[b] + points;
        }
        long total = starts[blocks.size()];
        if (total > max) {
            throw new IllegalArgumentException(total == Long.MAX_VALUE ? "more than 9.2e18" : String.valueOf(total));
        }
        this.size = (int) total;
    }

    private static int length(List<Axis> dimension) {
        return dimension.get(0).values().size();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public RawExperiment.Point get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        int b = 0;
        while (starts[b + 1] <= index) {
            b++;
        }
        List<List<Axis>> dims = blocks.get(b);
        long rest = index - starts[b];
        int[] at = new int[dims.size()];
        for (int k = dims.size() - 1; k >= 0; k--) {
            int n = length(dims.get(k));
            at[k] = (int) (rest % n);
            rest /= n;
        }
        Map<Param, Object> values = new HashMap<>();
        Map<Param, String> where = new HashMap<>();
        for (int k = 0; k < dims.size(); k++) {
            for (Axis a : dims.get(k)) {
                values.put(a.param(), a.values().get(at[k]));
                where.put(a.param(), a.location());
            }
        }
        return new RawExperiment.Point(Map.copyOf(values), Map.copyOf(where));
    }
}
