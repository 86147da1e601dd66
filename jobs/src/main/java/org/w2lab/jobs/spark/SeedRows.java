package org.w2lab.jobs.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.w2lab.jobs.compute.RunMetrics;
import org.w2lab.jobs.compute.RunOutput;

/**
 * What one simulated (configuration, seed) contributes to the tables: its {@code runs} row, its {@code trajectories}
 * rows, and the numbers its configuration's summary needs. The unit the checkpoints store, so that a seed read back
 * gives the same rows as one computed.
 *
 * @param key        the seed's checkpoint key ({@link SeedCheckpoints#key})
 * @param configId   its configuration's id
 * @param metrics    what the summary of its configuration needs
 * @param run        its row of {@code runs} ({@link Tables#RUNS_SCHEMA})
 * @param trajectory its rows of {@code trajectories} ({@link Tables#TRAJECTORY_SCHEMA})
 */
record SeedRows(String key, String configId, RunMetrics metrics, Row run, List<Row> trajectory)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    static SeedRows of(RunOutput out) {
        return new SeedRows(SeedCheckpoints.key(out.seedTask()), out.seedTask().task().configId(), RunMetrics.of(out),
                Tables.runRow(out), Tables.trajectoryRows(out));
    }
}
