package org.w2lab.jobs.spark;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.w2lab.linalg.NativeBlas;
import scala.Tuple2;

/** Builds the session: the master from the command line, spark-submit or {@code local[*]}, and lean defaults. */
public final class SparkSessions {
    private SparkSessions() {
    }

    /**
     * Whether this JVM already has a session (a test suite, a notebook): commands use it and leave it running.
     */
    public static boolean exists() {
        return SparkSession.getDefaultSession().isDefined();
    }

    /**
     * The Hadoop configuration the session will have, before it starts: the defaults and site files on the class
     * path, then the {@code spark.hadoop.*} settings of spark-submit and the system properties. Lets a command check
     * its results folder before Spark starts.
     */
    public static Configuration hadoopConfiguration() {
        Configuration hadoop = new Configuration();
        for (Tuple2<String, String> kv : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
            hadoop.set(kv._1(), kv._2());
        }
        return hadoop;
    }

    /**
     * Whether the session {@link #create} would make runs in local mode.
     *
     * @param master a Spark master URL, or {@code null} for the one spark-submit gave, else {@code local[*]}
     */
    public static boolean local(String master) {
        String m = master != null ? master : new SparkConf().get("spark.master", "local[*]");
        return m.startsWith("local");
    }

    /**
     * @param master a Spark master URL, or {@code null} for the one spark-submit gave, else {@code local[*]}
     */
    public static SparkSession create(String master) {
        SparkConf conf = new SparkConf();
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        conf.setIfMissing("spark.app.name", "w2lab");
        String m = conf.get("spark.master");
        if (m.startsWith("local") || m.contains("127.0.0.1") || m.contains("localhost")) {
            // embedded and loopback runs listen on loopback only, whatever the host name resolves to
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (m.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        if (m.startsWith("spark://")) {
            standalone(conf, m);
        }
        conf.setIfMissing("spark.ui.host", "127.0.0.1");
        // executors started by a cluster manager load OpenBLAS with w2lab's threads and kernels (NativeBlas)
        NativeBlas.ENVIRONMENT.forEach((variable, value) -> conf.setIfMissing("spark.executorEnv." + variable, value));
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        conf.setIfMissing("spark.sql.sources.partitionOverwriteMode", "dynamic");
        conf.setIfMissing("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
        conf.setIfMissing("spark.sql.parquet.compression.codec", "zstd");
        // the summary's plans have about 90 columns: past Spark's default of 25 it warns that it truncated one
        conf.setIfMissing("spark.sql.debug.maxToStringFields", "1000");
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * A standalone master outside spark-submit: its executors get this application jar, and the driver the
     * cluster's secret when it has one ({@link ClusterSecret}).
     */
    private static void standalone(SparkConf conf, String master) {
        if (!conf.contains("spark.jars")) {
            applicationJar().ifPresent(jar -> conf.set("spark.jars", jar));
        }
        if (!conf.contains("spark.authenticate.secret")) {
            ClusterSecret.find(master).ifPresent(secret -> {
                conf.set("spark.authenticate", "true");
                conf.set("spark.authenticate.secret", secret);
                // the driver's UI behind the same secret as the daemons' (bin/local-cluster)
                conf.setIfMissing("spark.ui.filters", SecretFilter.class.getName());
                conf.setIfMissing("spark." + SecretFilter.class.getName() + ".param.secret", secret);
            });
        }
    }

    /** The jar this class was loaded from, when it was loaded from one. */
    private static Optional<String> applicationJar() {
        CodeSource source = SparkSessions.class.getProtectionDomain().getCodeSource();
        if (source == null || !source.getLocation().getPath().endsWith(".jar")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the application jar's location " + source.getLocation(), e);
        }
    }
}
