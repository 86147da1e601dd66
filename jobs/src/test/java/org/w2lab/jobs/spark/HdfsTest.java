package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.cli.W2lab;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.report.ReportJob;

/**
 * A real HDFS (a NameNode and a DataNode in this JVM, on loopback): a run, a driver killed mid-run and its resumption,
 * a refused overwrite, {@code query} and {@code report}, all on {@code hdfs://} URIs.
 */
class HdfsTest {
    private static MiniDFSCluster hdfs;
    private static String root;

    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.session();

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        Path base = Path.of("target/hdfs-test").toAbsolutePath();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
        hdfs.waitActive();
        root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort() + "/w2lab";
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    private FileSystem fs() throws Exception {
        return FileSystem.get(java.net.URI.create(root), spark.sparkContext().hadoopConfiguration());
    }

    private RunJob.Report run(Experiment e, String out, boolean replace) {
        return StoreFixtures.run(spark, e, out, replace);
    }

    @Test
    void aRunAResumeAfterAKilledDriverAndItsQueriesAndReportOnHdfs() throws Exception {
        Path conf = StoreFixtures.config(dir);
        Experiment e = StoreFixtures.experiment(conf, "seeds=12");
        Path local = dir.resolve("local");
        run(e, local.toString(), false);
        Map<String, List<String>> reference = StoreFixtures.seen(spark, local);

        // a driver of its own, killed (SIGKILL) once its first seeds are checkpointed on HDFS
        String out = root + "/results";
        Process driver = driver(conf, out, dir.resolve("killed.log"));
        org.apache.hadoop.fs.Path checkpoints = new org.apache.hadoop.fs.Path(out + "/_checkpoints/" + StoreFixtures.NAME);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (checkpointFiles(checkpoints) == 0 && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        driver.destroyForcibly().waitFor();
        int left = checkpointFiles(checkpoints);
        assertTrue(left > 0, "no checkpoint before the kill: " + Files.readString(dir.resolve("killed.log")));
        assertFalse(fs().exists(new org.apache.hadoop.fs.Path(out + "/" + Tables.SUMMARY)), "nothing published");

        RunJob.Report resumed = run(e, out, false);
        assertTrue(resumed.resumed() > 0, "resumed " + resumed.resumed());
        assertEquals(reference, StoreFixtures.seenAt(spark, out), "the resumed run's rows on HDFS");
        assertFalse(fs().exists(checkpoints), "checkpoints removed once published");

        ResultsFolderException refused = org.junit.jupiter.api.Assertions.assertThrows(ResultsFolderException.class,
                () -> run(StoreFixtures.experiment(conf), out, false));
        assertTrue(refused.getMessage().contains("other configurations"), refused.getMessage());

        ReportJob.Report report = ReportJob.build(spark, out);
        // the report read the experiment's tables through the hdfs:// URI: it lists it as one it has no figure for
        assertTrue(report.notes().contains("Experiment " + StoreFixtures.NAME + " is in the tables but has no figure "
                + "in this report; query it with bin/w2lab query."), report.notes().toString());
    }

    private int checkpointFiles(org.apache.hadoop.fs.Path folder) throws Exception {
        if (!fs().exists(folder)) {
            return 0;
        }
        int n = 0;
        for (FileStatus f : fs().listStatus(folder)) {
            n += f.getPath().getName().endsWith(SeedCheckpoints.SUFFIX) ? 1 : 0;
        }
        return n;
    }

    private static Process driver(Path config, String out, Path log) throws Exception {
        List<String> command = ChildJvm.java();
        command.addAll(List.of(
                "-cp", ChildJvm.classPath(),
                W2lab.class.getName(), "run", config.toString(), "--master", "local[1]", "--set", "seeds=12",
                "--out", out));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
