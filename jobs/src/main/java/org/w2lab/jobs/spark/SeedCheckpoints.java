package org.w2lab.jobs.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.w2lab.jobs.compute.SeedTask;

/**
 * The outputs of the (configuration, seed) tasks of one experiment, kept as they complete in
 * {@code OUT/_checkpoints/EXPERIMENT/}, so that a run that failed (a killed driver, say) resumes: its rerun reads
 * the completed tasks back instead of computing them. Each partition writes what it computed every
 * {@link #FLUSH_SECONDS} seconds, in one file that lists its tasks' keys first: a file per task cost 7.7 ms of
 * file system calls (docs/cluster.md, "Scale"), 60 times what a light task computes. A key hashes the task's canonical
 * parameters and its seed, so a checkpoint serves only the task that wrote it. Files are in {@link CheckpointFile}'s
 * format (typed fields under CRC32C, never Java deserialization), checked whole on the driver before a rerun starts;
 * each appears whole or not at all (written aside, then renamed); the folder is removed once the run is published.
 * Folders whose names start with {@code _} are hidden from Spark's readers, so no query sees it.
 */
public final class SeedCheckpoints implements Serializable {
    private static final long serialVersionUID = 2L;
    static final String FOLDER = "_checkpoints";
    public static final String SUFFIX = ".ckp";
    /** At most this much computation of a partition is lost when its run dies. */
    static final double FLUSH_SECONDS = 2;

    private final String folder;
    private transient Configuration hadoop;

    private SeedCheckpoints(Path folder, Configuration hadoop) {
        this.folder = folder.toString();
        this.hadoop = hadoop;
    }

    /** The checkpoints of {@code experiment} under the results folder {@code out}. */
    static SeedCheckpoints open(Configuration hadoop, Path out, String experiment) {
        return new SeedCheckpoints(new Path(new Path(out, FOLDER), experiment), hadoop);
    }

    /**
     * The keys of the tasks completed so far, each with the name of the file that holds its output; every file is
     * read whole and checked first, so a damaged one stops the run before anything is computed.
     *
     * @throws ResultsFolderException naming a file that is not a whole checkpoint of this version
     */
    Map<String, String> completed() {
        Map<String, String> keys = new HashMap<>();
        Path dir = new Path(folder);
        try {
            if (!fs().exists(dir)) {
                return keys;
            }
            for (FileStatus f : fs().listStatus(dir)) {
                String name = f.getPath().getName();
                if (name.startsWith(".")) {
                    continue;
                }
                for (SeedRows s : load(name).values()) {
                    keys.put(s.key(), name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoints in " + folder, e);
        }
        return keys;
    }

    /**
     * The outputs of a partition's tasks, in order: those in {@code completed} read back, the others computed and
     * checkpointed.
     */
    Iterator<SeedRows> resume(List<SeedTask> tasks, Map<String, String> completed,
                              Function<SeedTask, SeedRows> compute) {
        List<SeedRows> outputs = new ArrayList<>(tasks.size());
        List<SeedRows> pending = new ArrayList<>();
        Map<String, Map<String, SeedRows>> files = new HashMap<>();
        long since = System.nanoTime();
        for (SeedTask s : tasks) {
            String key = key(s);
            String file = completed.get(key);
            if (file != null) {
                outputs.add(files.computeIfAbsent(file, this::load).get(key));
                continue;
            }
            SeedRows output = compute.apply(s);
            outputs.add(output);
            pending.add(output);
            if (System.nanoTime() - since >= FLUSH_SECONDS * 1e9) {
                save(pending);
                pending.clear();
                since = System.nanoTime();
            }
        }
        save(pending);
        return outputs.iterator();
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

    private Map<String, SeedRows> load(String name) {
        Path file = new Path(folder, name);
        try (InputStream in = fs().open(file)) {
            if (!name.endsWith(SUFFIX)) {
                throw new CheckpointFile.Corrupt("not a checkpoint's name (*" + SUFFIX + ")");
            }
            Map<String, SeedRows> byKey = new HashMap<>();
            for (SeedRows s : CheckpointFile.read(in)) {
                byKey.put(s.key(), s);
            }
            return byKey;
        } catch (IOException e) {
            throw new ResultsFolderException("cannot use the checkpoint " + file + " (" + e.getMessage()
                    + "): delete it, and its seeds are computed again");
        }
    }

    /**
     * Writes the outputs, their keys first, in a new file: aside, then renamed into place, so that a reader sees it
     * whole or not at all. A task run twice (a retried partition) is in two files with the same bits.
     */
    void save(List<SeedRows> outputs) {
        if (outputs.isEmpty()) {
            return;
        }
        String name = UUID.randomUUID().toString();
        Path file = new Path(folder, name + SUFFIX);
        Path aside = new Path(folder, "." + name + ".tmp");
        try {
            FileSystem fs = fs();
            try (OutputStream out = fs.create(aside, false)) {
                CheckpointFile.write(out, outputs);
            }
            if (!fs.rename(aside, file)) {
                throw new IOException("rename of " + aside + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file, e);
        }
    }

    /** Removes every checkpoint of the experiment, once its run is published. */
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
