package org.w2lab.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grid points made on demand: the points, in the order, of the cartesian product written out by recursion. */
class GridPointsTest {
    private static Axis axis(Param p, Object... values) {
        return new Axis(p, List.of(values), "f.conf:" + p.ordinal());
    }

    @Test
    void theProductsPointsInOrder() {
        List<List<Axis>> first = List.of(List.of(axis(Param.SAMPLER, "em", "heun", "rk4")),
                List.of(axis(Param.EPS, 0.0, 1e-3)),
                List.of(axis(Param.STEPS, 10, 20, 40, 80), axis(Param.RECORD_EVERY, 1, 2, 4, 8)));
        List<List<Axis>> second = List.of(List.of(axis(Param.SAMPLER, "sde", "ode")));
        List<List<List<Axis>>> blocks = List.of(first, second);
        List<RawExperiment.Point> expected = new ArrayList<>();
        for (List<List<Axis>> block : blocks) {
            product(block, 0, new LinkedHashMap<>(), new LinkedHashMap<>(), expected);
        }
        GridPoints points = new GridPoints(blocks, 1000);
        assertEquals(3 * 2 * 4 + 2, points.size());
        assertEquals(expected, new ArrayList<>(points));
        assertEquals(Map.of(Param.SAMPLER, "em", Param.EPS, 0.0, Param.STEPS, 20, Param.RECORD_EVERY, 2),
                points.get(1).values());
    }

    @Test
    void refusesPastItsLimitBeforeMakingAPoint() {
        List<List<List<Axis>>> blocks = List.of(List.of(List.of(axis(Param.SAMPLER, "em", "heun")),
                List.of(axis(Param.STEPS, 1, 2, 3))));
        assertEquals("6", assertThrows(IllegalArgumentException.class, () -> new GridPoints(blocks, 5)).getMessage());
        assertEquals(6, new GridPoints(blocks, 6).size());
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            many.add(i + 1);
        }
        List<List<Axis>> huge = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            huge.add(List.of(new Axis(Param.values()[k], many, "f.conf")));
        }
        assertEquals("more than 9.2e18", assertThrows(IllegalArgumentException.class,
                () -> new GridPoints(List.of(huge), Long.MAX_VALUE - 1)).getMessage());
    }

    /** A config past the driver's heap is refused with its size, the limit and what to do, before expanding. */
    @Test
    void aConfigPastTheHeapIsRefusedWithTheNumbers(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("big.conf"), "experiment = big\n"
                + "grid = { sampler = em, steps = {linspace = [1, 400, 400]}, eps = {logspace = [1e-6, 1e-1, 400]},"
                + " zeta = {linspace = [0.5, 2, 400]} }\n");
        long limit = Runtime.getRuntime().maxMemory() / ConfigLoader.BYTES_PER_POINT;
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(config, List.of()));
        assertEquals(List.of(config + ": the grid expands to 64000000 configurations; allowed at most " + limit
                + " with this driver's " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB of heap (about 1024 "
                + "bytes each): give the driver more (W2LAB_JAVA_OPTS=-Xmx..., or spark-submit --driver-memory) or "
                + "split the grid into several experiments"), e.problems());
    }

    /** The reference: nested loops over the dimensions, the first slowest. */
    private static void product(List<List<Axis>> dims, int at, Map<Param, Object> values, Map<Param, String> where,
                                List<RawExperiment.Point> out) {
        if (at == dims.size()) {
            out.add(new RawExperiment.Point(Map.copyOf(values), Map.copyOf(where)));
            return;
        }
        for (int i = 0; i < dims.get(at).get(0).values().size(); i++) {
            for (Axis a : dims.get(at)) {
                values.put(a.param(), a.values().get(i));
                where.put(a.param(), a.location());
            }
            product(dims, at + 1, values, where, out);
        }
    }
}
