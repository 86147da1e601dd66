package org.w2lab.jobs.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.config.TaskSpec;

/** The cost model of the balancing: a stochastic scheme pays for its normal draws, a deterministic one does not. */
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
}
