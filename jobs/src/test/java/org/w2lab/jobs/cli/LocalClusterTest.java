package org.w2lab.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.w2lab.jobs.spark.CheckpointFile;
import org.w2lab.jobs.spark.ChildJvm;
import org.w2lab.jobs.spark.SeedCheckpoints;
import org.w2lab.jobs.spark.SharedSpark;
import org.w2lab.jobs.spark.Tables;

/**
 * The real thing: {@code bin/local-cluster} starts a standalone master and two one-core workers on 127.0.0.1, and
 * drivers, each its own JVM as {@code bin/w2lab} runs it, submit to it. Checked: the same rows as local mode, a
 * worker killed mid-job, a driver killed mid-run then rerun, an unwritable results folder, a submission without the
 * cluster's secret. The cluster is stopped at the end, also on failure.
 *
 * <p>The test builds what {@code mvn package} would: a Spark home whose {@code jars/} links the jars of this test
 * class path (Spark's and ours), and an application jar of the two modules' classes, which the driver ships to the
 * executors as {@code bin/w2lab} ships the shaded one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path TARGET = ROOT.resolve("jobs/target");
    private static final Path STATE = TARGET.resolve("local-cluster-test");
    private static final Path RUNS = TARGET.resolve("local-cluster-test-runs");
    private static final String EXPERIMENT = "cluster_faults";
    /** 8 configurations x 12 seeds: long enough on two cores to kill something while it computes. */
    private static final String CONFIG = "experiment = " + EXPERIMENT + "\n"
            + "params { d = 16, zeta = 1.0, eps = 1e-3, init = normal, particles = 4096, seeds = 12, "
            + "record_every = 0 }\n"
            + "grid { sampler = [em, heun], steps = [20, 40], basis = [identity, random] }\n";
    private static final int SEEDS = 8 * 12;
    private static final long MINUTES = 4;

    private static String master;
    private static Path config;
    private static Path appJar;
    private static Process refused;

    @BeforeAll
    static void startCluster() throws Exception {
        deleteTree(RUNS);
        Files.createDirectories(RUNS);
        config = Files.writeString(RUNS.resolve("faults.conf"), CONFIG);
        linkSparkJars();
        appJar = applicationJar();
        Files.createSymbolicLink(STATE.resolve("spark/jars/w2lab-ui-filter.jar"), appJar);
        script("stop"); // what an interrupted earlier run of this class may have left
        Result start = script("start", "--workers", "2", "--cores-per-worker", "1");
        assertEquals(0, start.status, start.output);
        Matcher url = Pattern.compile("spark://127\\.0\\.0\\.1:\\d+").matcher(start.output);
        assertTrue(url.find(), start.output);
        master = url.group();
        // refused after Spark's registration retries (about a minute): it waits beside the other runs
        refused = driver(master, RUNS.resolve("refused"), RUNS.resolve("refused.log"), false);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (refused != null) {
            refused.destroyForcibly();
        }
        Result stop = script("stop");
        assertEquals(0, stop.status, stop.output);
    }

    @Test
    @Order(1)
    void theClusterGivesBitwiseTheRowsOfLocalMode() throws Exception {
        // side by side: each run is mostly its JVM's and Spark's start, which one core serves
        Process localRun = driver("local[2]", RUNS.resolve("local"), RUNS.resolve("local.log"), true);
        Result cluster = run(master, RUNS.resolve("cluster"));
        Result local = finish(localRun, RUNS.resolve("local.log"));
        assertEquals(0, local.status, local.output);
        assertEquals(0, cluster.status, cluster.output);
        assertTrue(cluster.output.contains(SEEDS + " simulated seeds (0 resumed from checkpoints)"), cluster.output);
        assertSameRows(RUNS.resolve("local"), RUNS.resolve("cluster"));
        assertFalse(Files.exists(checkpoints(RUNS.resolve("cluster"))), "checkpoints are removed after the commit");
    }

    @Test
    @Order(2)
    void aDriverKilledMidRunResumesWithoutRecomputing() throws Exception {
        Path out = RUNS.resolve("resumed");
        Process first = driver(master, out, RUNS.resolve("killed-driver.log"), true);
        awaitCheckpoints(out, SEEDS / 4, first);
        first.destroyForcibly().waitFor();
        // executors may finish the task they hold after the driver is gone: count once the folder is still
        int completed = stableCheckpointCount(out);
        assertTrue(completed > 0 && completed < SEEDS, "checkpoints after the kill: " + completed);
        assertFalse(Files.exists(out.resolve(Tables.RUNS)), "the killed run committed no table");

        Result rerun = run(master, out);
        assertEquals(0, rerun.status, rerun.output);
        assertTrue(rerun.output.contains(SEEDS + " simulated seeds (" + completed + " resumed from checkpoints)"),
                rerun.output);
        assertSameRows(RUNS.resolve("cluster"), out);
        assertFalse(Files.exists(checkpoints(out)));
    }

    @Test
    @Order(3)
    void anUnwritableResultsFolderIsAClearErrorAndNoTable() throws Exception {
        Path file = Files.writeString(RUNS.resolve("a-file"), "not a folder");
        Path out = file.resolve("results");
        Result r = run(master, out);
        assertEquals(W2lab.USAGE, r.status, r.output);
        assertTrue(r.output.contains("cannot write the results folder " + out), r.output);
        assertFalse(Files.exists(out));
    }

    @Test
    @Order(4)
    void aSubmissionWithoutTheSecretIsRefused() throws Exception {
        assertTrue(refused.waitFor(MINUTES, TimeUnit.MINUTES), "the unauthenticated driver still runs");
        String log = Files.readString(RUNS.resolve("refused.log"));
        assertNotEquals(0, refused.exitValue(), log);
        assertTrue(log.contains("Expected SaslMessage"), log);
        assertFalse(Files.exists(RUNS.resolve("refused").resolve(Tables.SUMMARY)));
        String masterLog = Files.readString(STATE.resolve("logs/master.log"));
        assertTrue(masterLog.contains("SaslException") || masterLog.contains("Expected SaslMessage"), masterLog);
    }

    /** Last: it leaves the cluster one worker short. */
    @Test
    @Order(4)
    void theWebUisAnswerOnlyTheClustersSecret() throws Exception {
        String log = Files.readString(STATE.resolve("logs/master.log"));
        Matcher ui = Pattern.compile("MasterWebUI.*started at (http://\\S+)").matcher(log);
        assertTrue(ui.find(), log);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI uri = java.net.URI.create(ui.group(1) + "/");
        String secret = Files.readString(STATE.resolve("secret")).strip();
        for (String password : new String[] {null, "wrong", secret}) {
            var request = java.net.http.HttpRequest.newBuilder(uri);
            if (password != null) {
                request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("anyone:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            int status = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            assertEquals(password == secret ? 200 : 401, status, "password " + password);
        }
    }

    @Test
    @Order(5)
    void aWorkerKilledMidJobLosesNoRowAndDuplicatesNone() throws Exception {
        Path out = RUNS.resolve("worker-killed");
        Path log = RUNS.resolve("worker-killed.log");
        Process driver = driver(master, out, log, true);
        awaitCheckpoints(out, 1, driver);
        long worker = Long.parseLong(Files.readString(STATE.resolve("pids/worker-2.pid")).strip());
        assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(worker)).start().waitFor());
        assertTrue(driver.waitFor(MINUTES, TimeUnit.MINUTES), "the job did not end");
        assertEquals(0, driver.exitValue(), Files.readString(log));
        assertSameRows(RUNS.resolve("cluster"), out);
        List<Row> perSeed = SharedSpark.session().read().parquet(out.resolve(Tables.RUNS).toString())
                .groupBy("config_id", "seed").count().where("count <> 1").collectAsList();
        assertEquals(List.of(), perSeed, "every (configuration, seed) once");
    }

    // ---- the harness

    private record Result(int status, String output) {
    }

    private static Result script(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/local-cluster").toString()));
        command.addAll(List.of(args));
        Path log = RUNS.resolve("local-cluster-" + args[0] + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("W2LAB_LOCAL_CLUSTER", STATE.toString());
        return finish(pb.start(), log);
    }

    private static Result run(String master, Path out) throws Exception {
        Path log = RUNS.resolve(out.getFileName() + ".log");
        return finish(driver(master, out, log, true), log);
    }

    private static Result finish(Process p, Path log) throws Exception {
        if (!p.waitFor(MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Result(p.waitFor(), Files.readString(log));
    }

    /**
     * A driver JVM as bin/w2lab starts it: Spark's Java 17 options (this JVM's), loopback, the application jar first.
     *
     * @param secret whether it may find the local cluster's secret
     */
    private static Process driver(String master, Path out, Path log, boolean secret) throws IOException {
        List<String> command = ChildJvm.java();
        command.addAll(List.of("-Dw2lab.local-cluster=" + (secret ? STATE : RUNS.resolve("no-cluster")),
                "-cp", appJar + ":" + STATE.resolve("spark/jars") + "/*", W2lab.class.getName(),
                "run", config.toString(), "--master", master, "--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().remove("W2LAB_SPARK_SECRET_FILE");
        return pb.start();
    }

    private static Path checkpoints(Path out) {
        return out.resolve("_checkpoints").resolve(EXPERIMENT);
    }

    /** How many seeds the checkpoint files hold: each lists its seeds' keys first. */
    private static int checkpointCount(Path out) throws IOException {
        Path folder = checkpoints(out);
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int seeds = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(SeedCheckpoints.SUFFIX)
                    && !f.getFileName().toString().startsWith(".")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    seeds += CheckpointFile.keys(in).size();
                }
            }
        }
        return seeds;
    }

    private static void awaitCheckpoints(Path out, int count, Process driver) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MINUTES);
        while (checkpointCount(out) < count) {
            assertTrue(driver.isAlive(), "the driver ended before " + count + " seeds were done");
            assertTrue(System.nanoTime() < deadline, "no " + count + " checkpoints in time");
            Thread.sleep(100);
        }
    }

    private static int stableCheckpointCount(Path out) throws Exception {
        int last = -1;
        int count = checkpointCount(out);
        while (count != last) {
            Thread.sleep(3000);
            last = count;
            count = checkpointCount(out);
        }
        return count;
    }

    /** Every table bitwise the same, row for row; elapsed_ms is a measurement, not a result. */
    private static void assertSameRows(Path expected, Path actual) {
        for (String table : Tables.ALL) {
            boolean present = Files.isDirectory(expected.resolve(table));
            assertEquals(present, Files.isDirectory(actual.resolve(table)), table);
            if (present) {
                List<String> want = rows(expected, table);
                assertFalse(table.equals(Tables.RUNS) && want.size() != SEEDS, "runs rows: " + want.size());
                assertEquals(want, rows(actual, table), table);
            }
        }
    }

    private static List<String> rows(Path out, String table) {
        Dataset<Row> rows = SharedSpark.session().read().parquet(out.resolve(table).toString());
        if (Tables.RUNS.equals(table)) {
            rows = rows.drop("elapsed_ms");
        }
        return rows.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
    }

    /** STATE/spark/jars: a link to every jar of this class path; marked complete so the script builds nothing. */
    private static void linkSparkJars() throws IOException {
        Path jars = STATE.resolve("spark/jars");
        deleteTree(jars);
        Files.createDirectories(jars);
        Set<String> names = new HashSet<>();
        for (String entry : classPath()) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && names.add(p.getFileName().toString())) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        Files.writeString(jars.resolve(".complete"), "");
    }

    /** Our two modules' classes in one jar: what the executors load our code from. */
    private static Path applicationJar() throws IOException {
        Path jar = RUNS.resolve("w2lab-test-app.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Path classes : List.of(TARGET.resolve("classes"), ROOT.resolve("common/target/classes"))) {
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    private static List<String> classPath() {
        return List.of(ChildJvm.classPath().split(java.io.File.pathSeparator));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
