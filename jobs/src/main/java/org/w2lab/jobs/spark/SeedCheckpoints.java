package org.w2lab.jobs.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.w2lab.jobs.compute.RunOutput;
import org.w2lab.jobs.compute.SeedTask;

/**
 * The outputs of the (configuration, seed) tasks of one experiment, each kept as it completes in
 * {@code OUT/_checkpoints/EXPERIMENT/KEY.bin}, so that a run that failed (a killed driver, say) resumes: its rerun
 * reads the completed tasks back instead of computing them. The key hashes the task's canonical parameters and its
 * seed, so a checkpoint serves only the task that wrote it. Each file appears whole or not at all (written aside,
 * then renamed); the folder is removed once the tables are committed. Folders whose names start with {@code _} are
 * hidden from Spark's readers, so no query sees it.
 */
final class SeedCheckpoints implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String FOLDER = "_checkpoints";
    private static final String SUFFIX = ".bin";

    private final String folder;
    private transient Configuration hadoop;

    private SeedCheckpoints(Path folder, Configuration hadoop) {
        this.folder = folder.toString();
        this.hadoop = hadoop;
    }

    /**
     * The checkpoints of {@code experiment} under the results folder {@code out}, after checking that the folder can
     * be written.
     *
     * @throws IllegalArgumentException naming the folder when it cannot be created or written
     */
    static SeedCheckpoints open(Configuration hadoop, Path out, String experiment) {
        Path folder = new Path(new Path(out, FOLDER), experiment);
        try {
            FileSystem fs = folder.getFileSystem(hadoop);
            if (!fs.mkdirs(folder)) {
                throw new IOException("mkdirs failed");
            }
            Path probe = new Path(folder, ".probe-" + UUID.randomUUID());
            fs.create(probe, false).close();
            fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot write the results folder " + out + " (" + e + "): nothing "
                    + "was computed; give --out a folder this user can write, with free space", e);
        }
        return new SeedCheckpoints(folder, hadoop);
    }

    /** The keys of the tasks completed so far. */
    Set<String> completed() {
        Set<String> keys = new HashSet<>();
        try {
            for (FileStatus f : fs().listStatus(new Path(folder))) {
                String name = f.getPath().getName();
                if (name.endsWith(SUFFIX) && !name.startsWith(".")) {
                    keys.add(name.substring(0, name.length() - SUFFIX.length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + folder, e);
        }
        return keys;
    }

    /** SHA-256 of the task's canonical parameters and its seed, in hex. */
    static String key(SeedTask s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((s.task().canonical() + "#seed=" + s.seed()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    RunOutput load(SeedTask s) {
        Path file = new Path(folder, key(s) + SUFFIX);
        try (ObjectInputStream in = new ObjectInputStream(fs().open(file))) {
            return (RunOutput) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read the checkpoint " + file + " of " + s
                    + "; delete it to compute that task again", e);
        }
    }

    /** Writes the output aside, then renames it into place: a reader sees it whole or not at all. */
    void save(RunOutput output) {
        String key = key(output.seedTask());
        Path file = new Path(folder, key + SUFFIX);
        Path aside = new Path(folder, "." + key + "-" + UUID.randomUUID() + ".tmp");
        try {
            FileSystem fs = fs();
            try (ObjectOutputStream out = new ObjectOutputStream(fs.create(aside, false))) {
                out.writeObject(output);
            }
            // a second attempt of the same task wrote the same bits first: keep those
            if (!fs.rename(aside, file)) {
                fs.delete(aside, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file, e);
        }
    }

    /** Removes every checkpoint of the experiment, once its tables are committed. */
    void remove() {
        try {
            fs().delete(new Path(folder), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the checkpoints in " + folder, e);
        }
    }

    private FileSystem fs() throws IOException {
        return new Path(folder).getFileSystem(hadoop);
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        hadoop.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        hadoop = new Configuration(false);
        hadoop.readFields(in);
    }
}
