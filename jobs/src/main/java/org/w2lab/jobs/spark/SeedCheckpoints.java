package org.w2lab.jobs.spark;

import java.io.IOException;
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
import org.w2lab.jobs.compute.RunOutput;
import org.w2lab.jobs.compute.SeedTask;

/**
 * The outputs of the (configuration, seed) tasks of one experiment, kept as they complete in
 * {@code OUT/_checkpoints/EXPERIMENT/}, so that a run that failed (a killed driver, say) resumes: its rerun reads
 * the completed tasks back instead of computing them. Each partition writes what it computed every
 * {@link #FLUSH_SECONDS} seconds, in one file that lists its tasks' keys first: a file per task cost 7.7 ms of
 * file system calls (README, "Scale"), 60 times what a light task computes. A key hashes the task's canonical
 * parameters and its seed, so a checkpoint serves only the task that wrote it. Each file appears whole or not at all
 * (written aside, then renamed); the folder is removed once the tables are committed. Folders whose names start with
 * {@code _} are hidden from Spark's readers, so no query sees it.
 */
final class SeedCheckpoints implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String FOLDER = "_checkpoints";
    private static final String SUFFIX = ".bin";
    /** At most this much computation of a partition is lost when its run dies. */
    static final double FLUSH_SECONDS = 2;

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

    /** The keys of the tasks completed so far, each with the name of the file that holds its output. */
    Map<String, String> completed() {
        Map<String, String> keys = new HashMap<>();
        try {
            for (FileStatus f : fs().listStatus(new Path(folder))) {
                String name = f.getPath().getName();
                if (name.endsWith(SUFFIX) && !name.startsWith(".")) {
                    try (ObjectInputStream in = new ObjectInputStream(fs().open(f.getPath()))) {
                        for (String key : (String[]) in.readObject()) {
                            keys.put(key, name);
                        }
                    } catch (ClassNotFoundException e) {
                        throw new IOException(e);
                    }
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
    Iterator<RunOutput> resume(List<SeedTask> tasks, Map<String, String> completed,
                               Function<SeedTask, RunOutput> compute) {
        List<RunOutput> outputs = new ArrayList<>(tasks.size());
        List<RunOutput> pending = new ArrayList<>();
        Map<String, Map<String, RunOutput>> files = new HashMap<>();
        long since = System.nanoTime();
        for (SeedTask s : tasks) {
            String key = key(s);
            String file = completed.get(key);
            if (file != null) {
                outputs.add(files.computeIfAbsent(file, this::load).get(key));
                continue;
            }
            RunOutput output = compute.apply(s);
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

    private Map<String, RunOutput> load(String name) {
        Path file = new Path(folder, name);
        try (ObjectInputStream in = new ObjectInputStream(fs().open(file))) {
            String[] keys = (String[]) in.readObject();
            RunOutput[] outputs = (RunOutput[]) in.readObject();
            Map<String, RunOutput> byKey = new HashMap<>();
            for (int i = 0; i < keys.length; i++) {
                byKey.put(keys[i], outputs[i]);
            }
            return byKey;
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read the checkpoint " + file
                    + "; delete it to compute its tasks again", e);
        }
    }

    /**
     * Writes the outputs, their keys first, in a new file: aside, then renamed into place, so that a reader sees it
     * whole or not at all. A task run twice (a retried partition) is in two files with the same bits.
     */
    void save(List<RunOutput> outputs) {
        if (outputs.isEmpty()) {
            return;
        }
        String name = UUID.randomUUID().toString();
        Path file = new Path(folder, name + SUFFIX);
        Path aside = new Path(folder, "." + name + ".tmp");
        try {
            FileSystem fs = fs();
            try (ObjectOutputStream out = new ObjectOutputStream(fs.create(aside, false))) {
                out.writeObject(outputs.stream().map(o -> key(o.seedTask())).toArray(String[]::new));
                out.writeObject(outputs.toArray(RunOutput[]::new));
            }
            if (!fs.rename(aside, file)) {
                throw new IOException("rename of " + aside + " failed");
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
