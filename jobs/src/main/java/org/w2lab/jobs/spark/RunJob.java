package org.w2lab.jobs.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.w2lab.jobs.compute.RunMetrics;
import org.w2lab.jobs.compute.SeedSummary;
import org.w2lab.jobs.compute.SeedTask;
import org.w2lab.jobs.compute.SimulationRunner;
import org.w2lab.jobs.compute.TaskOutput;
import org.w2lab.jobs.compute.TheoryRunner;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.linalg.NativeBlas;
import org.w2lab.spectrum.Spectrum;
import scala.Tuple2;

/**
 * Computes an experiment on the executors and writes its partition of each table: the theory of every
 * configuration, and the simulation of every (configuration, seed) of the simulated ones, the seeds spread across
 * partitions by estimated cost. A run of an experiment replaces that experiment's partitions ({@code experiment=NAME})
 * all at once when it is published ({@link ResultsStore}) and leaves other experiments' rows alone, so rows are never
 * duplicated or mixed. Each seed's output is checkpointed as it completes ({@link SeedCheckpoints}), so a rerun after a failure computes only the seeds
 * it lacks.
 */
public final class RunJob {
    private RunJob() {
    }

    /**
     * Row counts by table, and status counts, of one run; {@code resumed} of its {@code runs} simulated seeds were
     * read back from the checkpoints of an earlier, unfinished run; {@code blas} says which BLAS and LAPACK the
     * executors that used one ran ({@link NativeBlas#describe()}), empty when none did.
     */
    public record Report(long configurations, Map<String, Long> statuses, long runs, Map<String, Long> runStatuses,
                         Map<String, Long> rows, long resumed, Set<String> blas) {
    }

    /**
     * Runs {@code experiment} into the results folder {@code out}, which must not hold other configurations of it
     * ({@link ResultsStore#open}).
     *
     * @param out        the results folder: a local path or a Hadoop file system URI
     * @param partitions how many Spark partitions to cut the work into; 0 picks from the parallelism
     * @throws ResultsFolderException before any computation, when {@code out} cannot be written or holds other
     *                                configurations of the experiment
     */
    public static Report run(SparkSession spark, Experiment experiment, String out, int partitions) {
        return run(spark, experiment, ResultsStore.open(spark.sparkContext().hadoopConfiguration(), out, experiment,
                false), partitions);
    }

    /**
     * Runs {@code experiment} and publishes its tables in {@code store}: every table is written aside, then the
     * run is committed at once ({@link ResultsStore#publish}); a failure before that leaves the published run as it
     * was.
     *
     * @throws ResultsFolderException when the disk fills or a checkpoint is damaged; nothing is published
     */
    public static Report run(SparkSession spark, Experiment experiment, ResultsStore store, int partitions) {
        Path root = new Path(store.out());
        SeedCheckpoints checkpoints = SeedCheckpoints.open(spark.sparkContext().hadoopConfiguration(), root,
                experiment.name());
        Map<String, String> completed = checkpoints.completed();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<TaskSpec> tasks = experiment.tasks();
        List<List<TaskSpec>> batches = batches(tasks);
        List<SeedTask> seedTasks = tasks.stream().filter(TaskSpec::simulated)
                .flatMap(t -> IntStream.range(0, t.seeds()).mapToObj(s -> new SeedTask(t, s))).toList();
        Broadcast<Map<String, Spectrum>> spectra = jsc.broadcast(experiment.spectra());
        DistinctStrings blas = new DistinctStrings();
        spark.sparkContext().register(blas, "blas");
        JavaRDD<TaskOutput> outputs = jsc.parallelize(batches, slices(partitions, batches.size(), jsc))
                .flatMap(b -> {
                    List<TaskOutput> computed = TheoryRunner.run(b, spectrum(b.get(0), spectra.value()));
                    NativeBlas.describeIfLoaded().ifPresent(blas::add);
                    return computed.iterator();
                })
                .persist(StorageLevel.MEMORY_AND_DISK());
        long resumed = seedTasks.stream().filter(s -> completed.containsKey(SeedCheckpoints.key(s))).count();
        Broadcast<Map<String, String>> done = jsc.broadcast(completed);
        List<List<SeedTask>> bins = CostBalancer.bins(seedTasks,
                s -> completed.containsKey(SeedCheckpoints.key(s)) ? 0 : s.cost(),
                slices(partitions, seedTasks.size(), jsc));
        JavaRDD<SeedRows> runs = jsc.parallelize(bins, bins.size())
                .flatMap(bin -> {
                    Iterator<SeedRows> computed = checkpoints.resume(bin, done.value(),
                            s -> SeedRows.of(SimulationRunner.run(s, spectrum(s.task(), spectra.value()))));
                    NativeBlas.describeIfLoaded().ifPresent(blas::add);
                    return computed;
                })
                .persist(StorageLevel.MEMORY_AND_DISK());
        runs.setName(RunProgress.SEEDS);
        try {
            JavaPairRDD<String, SeedSummary> seedSummaries = runs
                    .mapToPair(r -> new Tuple2<>(r.configId(), r.metrics()))
                    .groupByKey().mapValues(SeedSummary::of);
            JavaRDD<Row> summaryRows = outputs.mapToPair(o -> new Tuple2<>(o.task().configId(), o))
                    .leftOuterJoin(seedSummaries).map(p -> Tables.summaryRow(p._2()._1(), p._2()._2().orNull()));
            Dataset<Row> summary = spark.createDataFrame(summaryRows, Tables.SUMMARY_SCHEMA);
            Dataset<Row> runRows = spark.createDataFrame(runs.map(SeedRows::run), Tables.RUNS_SCHEMA);
            JavaRDD<Row> theoryPaths = outputs.flatMap(o -> Tables.trajectoryRows(o).iterator());
            JavaRDD<Row> seedPaths = runs.flatMap(r -> r.trajectory().iterator());
            Dataset<Row> trajectories = spark.createDataFrame(theoryPaths.union(seedPaths),
                    Tables.TRAJECTORY_SCHEMA);
            Dataset<Row> kernels = spark.createDataFrame(outputs.flatMap(o -> Tables.kernelRows(o).iterator()),
                    Tables.KERNELS_SCHEMA);
            List<Row> spectrumList = spectrumRows(experiment);
            Dataset<Row> spectrumRows = spark.createDataFrame(spectrumList, Tables.SPECTRA_SCHEMA);
            Report report;
            try {
                Map<String, Long> rows = new LinkedHashMap<>();
                rows.put(Tables.SUMMARY, write(summary, store, Tables.SUMMARY, tasks.size()));
                rows.put(Tables.RUNS, write(runRows, store, Tables.RUNS, seedTasks.size()));
                rows.put(Tables.TRAJECTORIES, write(trajectories, store, Tables.TRAJECTORIES, -1));
                rows.put(Tables.SPECTRA, write(spectrumRows, store, Tables.SPECTRA, spectrumList.size()));
                rows.put(Tables.KERNELS, write(kernels, store, Tables.KERNELS, -1));
                // from the tables as written: reading a few Parquet columns back costs less than computing them again
                report = new Report(tasks.size(), statusCounts(spark, store, Tables.SUMMARY, rows),
                        seedTasks.size(), statusCounts(spark, store, Tables.RUNS, rows), rows, resumed, blas.value());
                store.publish(rows, Map.of(Tables.SUMMARY, report.statuses(), Tables.RUNS, report.runStatuses()));
            } catch (Throwable e) {
                // Spark's own exceptions are checked ones thrown unchecked (Scala): caught as Throwable, rethrown as is
                store.abandon();
                if (ResultsStore.diskFull(e)) {
                    throw ResultsStore.cannotWrite(store.out(), "No space left on device");
                }
                throw e;
            }
            checkpoints.remove();
            return report;
        } finally {
            outputs.unpersist(false);
            runs.unpersist(false);
            spectra.destroy();
            done.destroy();
        }
    }

    /** The configurations by batch key ({@link TaskSpec#batchKey()}), in the order of their first ones. */
    static List<List<TaskSpec>> batches(List<TaskSpec> tasks) {
        return new ArrayList<>(tasks.stream()
                .collect(Collectors.groupingBy(TaskSpec::batchKey, LinkedHashMap::new, Collectors.toList())).values());
    }

    /** Every distinct spectrum of the experiment, once. */
    static List<Row> spectrumRows(Experiment experiment) {
        Map<String, TaskSpec> distinct = new LinkedHashMap<>();
        for (TaskSpec t : experiment.tasks()) {
            distinct.putIfAbsent(t.dataKey(), t);
        }
        List<Row> rows = new ArrayList<>();
        for (TaskSpec t : distinct.values()) {
            rows.addAll(Tables.spectrumRows(experiment.name(), t, spectrum(t, experiment.spectra()).lambda()));
        }
        return rows;
    }

    private static int slices(int partitions, int items, JavaSparkContext jsc) {
        return partitions > 0 ? partitions : Math.max(1, Math.min(items, 4 * jsc.defaultParallelism()));
    }

    /** The rows of a table of this run by status, in the order of the statuses' names. */
    private static Map<String, Long> statusCounts(SparkSession spark, ResultsStore store, String table,
                                                  Map<String, Long> rows) {
        Map<String, Long> statuses = new LinkedHashMap<>();
        if (rows.get(table) == 0) {
            return statuses;
        }
        for (Row r : spark.read().parquet(store.staged(table)).groupBy("status").count().orderBy("status")
                .collectAsList()) {
            statuses.put(r.getString(0), r.getLong(1));
        }
        return statuses;
    }

    static Spectrum spectrum(TaskSpec t, Map<String, Spectrum> files) {
        return Experiment.POWER_LAW.equals(t.spectrumKey()) ? Spectrum.powerLaw(t.d(), t.zeta())
                : files.get(t.spectrumKey());
    }

    /**
     * Writes a table of this run aside, partitioned by experiment as the published tables are.
     *
     * @param rows the row count when known, else -1 (then counted)
     * @return the row count
     */
    private static long write(Dataset<Row> table, ResultsStore store, String name, long rows) {
        long n = rows >= 0 ? rows : table.count();
        if (n > 0) {
            // a file per million rows, not one per partition: the computation happened before (the summary's join
            // runs it at full parallelism behind its shuffle; the other tables read persisted results), so merging
            // partitions here costs no parallelism, and a small run writes one file per table in one task
            int files = (int) Math.min(Integer.MAX_VALUE, (n + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
            table.coalesce(files).write().mode(SaveMode.ErrorIfExists).partitionBy("experiment")
                    .parquet(store.staged(name));
        }
        return n;
    }

    /** Rows per Parquet file of a table (zstd: about 10 to 40 MB of summary or trajectory rows). */
    private static final long ROWS_PER_FILE = 1_000_000;
}
