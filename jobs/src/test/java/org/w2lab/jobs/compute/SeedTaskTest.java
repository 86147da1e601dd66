package org.w2lab.jobs.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.config.TaskSpec;

/**
 * The cost model of the balancing: a stochastic scheme pays for its normal draws, a deterministic one does not; a
 * learned score pays for its training at every evaluation time.
 */
class SeedTaskTest {
    @TempDir
    Path dir;

    @Test
    void aStochasticSchemeCostsItsDrawsBeyondTheSameArithmetic() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "experiment = x\ngrid { sampler = [em, euler], "
                + "steps = 50, d = 8, particles = 100, record_every = 0 }\n");
        List<TaskSpec> tasks = Experiment.load(conf, List.of()).tasks();
        double em = new SeedTask(tasks.get(0), 0).cost();
        double euler = new SeedTask(tasks.get(1), 0).cost();
        // one evaluation per step each, the same arithmetic; EM draws a d x M block of normals at each of its steps
        assertEquals(SeedTask.NORMAL * 100 * 8 * 50, em - euler, 1e-9 * em);
    }

    /**
     * The exact score steps elementwise in either basis; a random basis adds the rotations of each stochastic step's
     * noise and of the final particles ({@code 2 d^2 M} each), while a perturbed score pays a product per evaluation.
     */
    @Test
    void aRandomBasisCostsTheExactScoresRotationsNotAProductPerEvaluation() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "experiment = x\ngrid = [{ sampler = [em, euler], "
                + "steps = 50, d = 8, particles = 100, record_every = 0, basis = [identity, random] }, { sampler = "
                + "euler, steps = 50, d = 8, particles = 100, record_every = 0, basis = random, score = perturbed, "
                + "delta = 0.1 }]\n");
        List<TaskSpec> tasks = Experiment.load(conf, List.of()).tasks();
        java.util.function.BiFunction<String, String, Double> cost = (sampler, basis) -> tasks.stream()
                .filter(t -> t.sampler().equals(sampler) && t.basis().equals(basis) && !t.diffusion().perturbed())
                .mapToDouble(t -> new SeedTask(t, 0).cost()).sum();
        double rotation = 2.0 * 8 * 8 * 100;
        // counted: the start's draw (rotated from N(0, I)), the noise of each of the 50 steps, the end
        assertEquals(rotation * 52, cost.apply("em", "random") - cost.apply("em", "identity"), 1e-9);
        assertEquals(rotation * 2, cost.apply("euler", "random") - cost.apply("euler", "identity"), 1e-9);
        double perturbed = tasks.stream().filter(t -> t.diffusion().perturbed())
                .mapToDouble(t -> new SeedTask(t, 0).cost()).sum();
        assertTrue(perturbed > cost.apply("euler", "random") + 50 * rotation / 2);
    }

    @Test
    void aLearnedScoreCostsItsSgdAtEveryEvaluation() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "experiment = x\ngrid { sampler = heun, steps = 50, "
                + "d = 8, score = learned, n_train = 100, tau = 0.01, sgd_steps = [20000, 40000], batch = 2, "
                + "particles = [0, 100], record_every = 0 }\n");
        List<TaskSpec> tasks = Experiment.load(conf, List.of()).tasks();
        java.util.function.BiFunction<Integer, Integer, Double> cost = (k, m) -> tasks.stream()
                .filter(t -> t.diffusion().training().steps() == k && java.util.Objects.equals(t.particles(), m))
                .mapToDouble(t -> new SeedTask(t, 0).cost()).sum();
        // heun: 100 evaluations; each level K x batch samples of 4 d^2, with or without particles
        for (Integer m : java.util.Arrays.asList(null, 100)) {
            assertEquals(100 * 4 * 64 * 20000.0 * 2, cost.apply(40000, m) - cost.apply(20000, m),
                    1e-9 * cost.apply(40000, m));
        }
        assertTrue(cost.apply(20000, 100) > cost.apply(20000, null));
    }
}
