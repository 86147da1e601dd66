package org.w2lab.jobs.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.w2lab.jobs.compute.TaskOutput;
import org.w2lab.jobs.compute.TheoryRunner;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.linalg.NativeBlas;

/**
 * A run small enough for the driver alone, in local mode: exact spectral theory only (no simulated seed, no
 * full-matrix or learned-score prediction), computed on the driver's cores and written as Parquet without starting
 * Spark. Starting a SparkSession and its write jobs costs several seconds, against milliseconds for such a run's
 * numbers (docs/performance.md, "Local mode"). The rows are {@link RunJob}'s, from the same functions, and are
 * published in the same store the same way; only the files' row order can differ.
 */
public final class DriverRun {
    /**
     * The most eigenvalue-steps (a configuration's {@code d} times its score evaluations or recorded points) a run
     * may have: about a second of the spectral engine on one core (docs/performance.md).
     */
    static final double MAX_WORK = 2e9;

    private DriverRun() {
    }

    /** Whether {@code experiment} is small enough and of the kind this class computes. */
    public static boolean suits(Experiment experiment) {
        double work = 0;
        for (TaskSpec t : experiment.tasks()) {
            boolean spectral = !t.simulated() && t.langevin() == null && t.diffusion() != null
                    && !t.diffusion().learned() && !t.diffusion().perturbed();
            if (!spectral) {
                return false;
            }
            Integer evaluations = t.continuous() ? t.continuousPoints() : t.nfe();
            work += (double) t.d() * Math.max(1, evaluations == null ? 1 : evaluations);
        }
        return work <= MAX_WORK;
    }

    /**
     * Computes {@code experiment} ({@link #suits}) and publishes it in {@code store}, as {@link RunJob#run} would.
     *
     * @param hadoop the configuration {@code store} was opened with
     * @throws ResultsFolderException when the disk fills; nothing is published
     */
    public static RunJob.Report run(Experiment experiment, ResultsStore store, Configuration hadoop) {
        List<TaskOutput> outputs = RunJob.batches(experiment.tasks()).parallelStream()
                .flatMap(b -> TheoryRunner.run(b, RunJob.spectrum(b.get(0), experiment.spectra())).stream())
                .toList();
        Map<String, List<Row>> tables = new LinkedHashMap<>();
        tables.put(Tables.SUMMARY, outputs.stream().map(o -> Tables.summaryRow(o, null)).toList());
        tables.put(Tables.RUNS, List.of());
        tables.put(Tables.TRAJECTORIES, outputs.stream().flatMap(o -> Tables.trajectoryRows(o).stream()).toList());
        tables.put(Tables.SPECTRA, RunJob.spectrumRows(experiment));
        tables.put(Tables.KERNELS, outputs.stream().flatMap(o -> Tables.kernelRows(o).stream()).toList());
        Map<String, StructType> schemas = Map.of(Tables.SUMMARY, Tables.SUMMARY_SCHEMA, Tables.RUNS,
                Tables.RUNS_SCHEMA, Tables.TRAJECTORIES, Tables.TRAJECTORY_SCHEMA, Tables.SPECTRA,
                Tables.SPECTRA_SCHEMA, Tables.KERNELS, Tables.KERNELS_SCHEMA);
        Map<String, Long> rows = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, List<Row>> table : tables.entrySet()) {
                rows.put(table.getKey(), (long) table.getValue().size());
                if (!table.getValue().isEmpty()) {
                    ParquetRows.write(hadoop, store.staged(table.getKey()), experiment.name(),
                            schemas.get(table.getKey()), table.getValue());
                }
            }
            Map<String, Long> statuses = statusCounts(tables.get(Tables.SUMMARY));
            store.publish(rows, Map.of(Tables.SUMMARY, statuses, Tables.RUNS, Map.of()));
            return new RunJob.Report(outputs.size(), statuses, 0, Map.of(), rows, 0,
                    NativeBlas.describeIfLoaded().map(Set::of).orElse(Set.of()));
        } catch (IOException | RuntimeException e) {
            store.abandon();
            if (ResultsStore.diskFull(e)) {
                throw ResultsStore.cannotWrite(store.out(), "No space left on device");
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot write the results folder " + store.out(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The summary's rows by status, in the order of the statuses' names (as {@link RunJob}'s). */
    private static Map<String, Long> statusCounts(List<Row> summary) {
        Map<String, Long> counts = new TreeMap<>();
        int status = Tables.SUMMARY_SCHEMA.fieldIndex("status");
        for (Row r : summary) {
            counts.merge(r.getString(status), 1L, Long::sum);
        }
        return new LinkedHashMap<>(counts);
    }
}
