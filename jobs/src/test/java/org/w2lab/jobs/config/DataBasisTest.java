package org.w2lab.jobs.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;

/** The data's random basis: drawn once per JVM and data key, with the bits of a draw from the data's stream. */
class DataBasisTest {
    @Test
    void drawnOncePerDataWithTheBitsOfItsStream() {
        String key = TaskSpec.dataKey("power_law", 12, 1.0);
        double[] first = TaskSpec.dataBasis("random", key, 12);
        assertSame(first, TaskSpec.dataBasis("random", key, 12));
        assertArrayEquals(HaarRotation.draw(12, RandomStreams.forTask("basis;" + key, 0)), first);
        assertNull(TaskSpec.dataBasis("identity", key, 12));
    }
}
