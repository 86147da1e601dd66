package org.w2lab.jobs.spark;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The start of a command line for a driver JVM of its own, as bin/w2lab starts one. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * {@code java}, Spark's Java 17 options (this JVM's), a 1 GB heap and the project's logging configuration; the
     * caller adds system properties, the class path and the main class.
     */
    public static List<String> java() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognized")
                        || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty"))
                .toList());
        command.addAll(List.of("-Xmx1g", "-Dlog4j2.configurationFile="
                + Path.of("../conf/log4j2.properties").toAbsolutePath().normalize()));
        return command;
    }

    /** This test JVM's class path (surefire's, not its booter jar's). */
    public static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
