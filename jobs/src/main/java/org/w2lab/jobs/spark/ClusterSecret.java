package org.w2lab.jobs.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shared secret a driver authenticates with ({@code spark.authenticate}) to a standalone master: from the file
 * named by {@value #FILE_VARIABLE}, else, when the master is the one {@code bin/local-cluster} started (its URL in
 * {@code .local-cluster/master-url}), from that cluster's {@code .local-cluster/secret}.
 */
final class ClusterSecret {
    /** Environment variable naming a file that holds the secret. */
    static final String FILE_VARIABLE = "W2LAB_SPARK_SECRET_FILE";
    /** System property naming the local cluster's folder; bin/w2lab sets it. */
    static final String LOCAL_CLUSTER_PROPERTY = "w2lab.local-cluster";

    private ClusterSecret() {
    }

    static Optional<String> find(String master) {
        String file = System.getenv(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            return Optional.of(read(Path.of(file)));
        }
        String folder = System.getProperty(LOCAL_CLUSTER_PROPERTY);
        if (folder == null) {
            return Optional.empty();
        }
        Path url = Path.of(folder, "master-url");
        Path secret = Path.of(folder, "secret");
        if (Files.isRegularFile(url) && Files.isRegularFile(secret) && read(url).equals(master)) {
            return Optional.of(read(secret));
        }
        return Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Spark secret in " + file, e);
        }
    }
}
