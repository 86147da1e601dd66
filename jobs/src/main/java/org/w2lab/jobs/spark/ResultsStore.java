package org.w2lab.jobs.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.config.TaskSpec;

/**
 * One experiment's place in a results folder, and the atomic publication of a run of it (docs/faults.md). The layout:
 *
 * <pre>
 * OUT/TABLE/experiment=NAME/               the published rows: what a plain spark.read.parquet(OUT/TABLE) reads
 * OUT/_w2lab/NAME/commit-N                 the commit records; the highest N names the published run
 * OUT/_w2lab/NAME/RUN/TABLE/experiment=NAME/   a run's tables, written whole before its commit, promoted after it
 * OUT/_w2lab/NAME/RUN/configurations.tsv   the run's configurations, what a later run is compared with
 * </pre>
 *
 * A run writes every table under its own folder, then creates the next commit record (a new file, by one rename:
 * the single step that publishes it), then promotes its tables into the table folders. Readers that resolve the
 * commit record first ({@link Snapshot}: {@code query}, {@code report}) see every table of one run; a run killed or
 * failed before its commit leaves the previous run published, and one killed during promotion is promoted by the
 * next run of the experiment. Folders whose names start with {@code _} are hidden from Spark's readers.
 */
public final class ResultsStore {
    static final String FOLDER = "_w2lab";
    private static final String COMMIT = "commit-";
    private static final String CONFIGURATIONS = "configurations.tsv";

    private final Configuration hadoop;
    private final Path out;
    /** The results folder as the user named it, for messages. */
    private final String named;
    private final String experiment;
    private final Path home;
    private final String run;
    private final List<String> configurations;

    private ResultsStore(Configuration hadoop, String out, String experiment, List<String> configurations) {
        this.hadoop = hadoop;
        this.out = new Path(out);
        this.named = out;
        this.experiment = experiment;
        this.home = new Path(new Path(this.out, FOLDER), experiment);
        this.run = "run-" + Instant.now().toString().replace(":", "") + "-" + UUID.randomUUID().toString()
                .substring(0, 8);
        this.configurations = configurations;
    }

    /**
     * Opens the experiment's place in {@code out} for a new run, before any computation: checks that the folder can
     * be written, finishes the promotion of a run that was killed after its commit, removes what failed runs left,
     * and compares the published configurations with this run's.
     *
     * @param replace whether a published run of other configurations may be replaced
     * @throws ResultsFolderException when the folder cannot be written, or holds other configurations of the
     *                                experiment and {@code replace} is false
     */
    public static ResultsStore open(Configuration hadoop, String out, Experiment e, boolean replace) {
        List<String> configurations = e.tasks().stream().map(ResultsStore::configuration).toList();
        ResultsStore store = new ResultsStore(hadoop, out, e.name(), configurations);
        store.probe();
        try {
            Optional<Commit> published = store.latest();
            if (published.isPresent()) {
                store.promote(published.get());
                store.removeAllBut(published.get().run());
            }
            if (!replace) {
                store.refuseOtherConfigurations(published);
            }
        } catch (IOException ex) {
            throw cannotWrite(out, ex);
        }
        return store;
    }

    /** A configuration as a run records it: its id, its seeds and its canonical form. */
    private static String configuration(TaskSpec t) {
        return t.configId() + "\t" + t.seeds() + "\t" + t.canonical();
    }

    /** Object stores, whose renames are a copy and a delete: neither atomic nor "rename if absent". */
    private static final Set<String> OBJECT_STORES = Set.of("s3", "s3a", "s3n", "gs", "abfs", "abfss", "wasb",
            "wasbs", "oss", "cos", "cosn", "obs");

    /**
     * What does not hold for a results folder on an object store (docs/faults.md), said by
     * {@code run} before it starts; empty on a local disk or HDFS, where every guarantee holds.
     */
    public static Optional<String> objectStoreCaveat(String out) {
        String scheme = new Path(out).toUri().getScheme();
        if (scheme == null || !OBJECT_STORES.contains(scheme.toLowerCase(java.util.Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of("w2lab: " + out + " is on an object store (" + scheme + "), where a rename is a copy and "
                + "a delete: 'query' and 'report' still read every table of one run, but a plain spark.read.parquet "
                + "of a table folder can see a run half moved into place, and two runs of one experiment at once "
                + "are not detected");
    }

    /** {@code OUT/TABLE/experiment=NAME}: an experiment's published rows of a table. */
    private static Path published(Path out, String table, String experiment) {
        return new Path(new Path(out, table), "experiment=" + experiment);
    }

    /** {@code OUT/_w2lab/NAME/RUN/TABLE/experiment=NAME}: a run's rows of a table before they are promoted. */
    private static Path staged(Path out, String experiment, String run, String table) {
        return published(new Path(new Path(new Path(out, FOLDER), experiment), run), table, experiment);
    }

    /** The results folder. */
    public String out() {
        return named;
    }

    /** The folder a table of this run is written to, partitioned by {@code experiment} as the published one. */
    public String staged(String table) {
        return new Path(new Path(home, run), table).toString();
    }

    /**
     * Publishes this run: records its configurations, creates its commit record with each table's row count (the
     * step that makes it visible), promotes its tables, then removes the previous run's.
     *
     * @param rows     each table's row count in this run
     * @param statuses the rows of {@code summary} and of {@code runs} by status
     */
    public void publish(Map<String, Long> rows, Map<String, Map<String, Long>> statuses) {
        try {
            FileSystem fs = fs();
            Path configs = new Path(new Path(home, run), CONFIGURATIONS);
            try (OutputStream o = fs.create(configs, true)) {
                o.write((String.join("\n", configurations) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            Optional<Commit> previous = latest();
            long n = previous.map(c -> c.number() + 1).orElse(1L);
            Properties p = new Properties();
            p.setProperty("run", run);
            p.setProperty("written", Instant.now().toString());
            p.setProperty("w2lab_version", Tables.version());
            p.setProperty("configurations", Integer.toString(configurations.size()));
            for (String t : Tables.ALL) {
                p.setProperty("rows." + t, Long.toString(rows.getOrDefault(t, 0L)));
            }
            statuses.forEach((table, counts) -> p.setProperty("statuses." + table, counts.entrySet().stream()
                    .map(c -> c.getKey() + "=" + c.getValue()).collect(java.util.stream.Collectors.joining(","))));
            Path aside = new Path(home, ".commit-" + UUID.randomUUID());
            try (OutputStream o = fs.create(aside, false)) {
                p.store(o, "w2lab: the published run of experiment " + experiment);
            }
            Path commit = new Path(home, String.format("%s%012d", COMMIT, n));
            // HDFS's rename fails when the target exists; a local disk's replaces it, so look first there
            if (fs.exists(commit) || !fs.rename(aside, commit)) {
                fs.delete(aside, false);
                throw new IOException("another run of " + experiment + " published " + commit + " first");
            }
            Commit c = Commit.parse(n, p);
            promote(c);
            removeAllBut(run);
        } catch (IOException e) {
            throw cannotWrite(named, e);
        }
    }

    /** Removes this run's tables after a failure before its commit: the published run stays as it was. */
    public void abandon() {
        try {
            fs().delete(new Path(home, run), true);
        } catch (IOException | RuntimeException | FSError e) {
            // what is left is removed by the next run of the experiment (open)
        }
    }

    /**
     * Moves a committed run's tables into the table folders, each replacing the experiment's previous rows: an old
     * folder goes aside first, then the new one takes its name. Promotes only what is still staged, so a promotion
     * that was cut short resumes; a table the run has no rows in loses the experiment's old rows.
     */
    private void promote(Commit c) throws IOException {
        FileSystem fs = fs();
        for (String table : Tables.ALL) {
            Path published = published(out, table, experiment);
            Path staged = staged(out, experiment, c.run(), table);
            boolean pending = fs.exists(staged);
            if ((pending || c.rows(table) == 0) && fs.exists(published)) {
                Path aside = new Path(home, ".old-" + table + "-" + UUID.randomUUID());
                if (!fs.rename(published, aside)) {
                    throw new IOException("cannot move " + published + " aside");
                }
            }
            if (pending) {
                fs.mkdirs(published.getParent());
                if (!fs.rename(staged, published)) {
                    throw new IOException("cannot move " + staged + " to " + published);
                }
            }
        }
    }

    /** Removes every run folder, old commit record and leftover of the experiment but those of {@code keep}. */
    private void removeAllBut(String keep) throws IOException {
        FileSystem fs = fs();
        Optional<Commit> latest = latest();
        for (FileStatus f : fs.listStatus(home)) {
            String name = f.getPath().getName();
            boolean current = name.equals(keep) || latest.isPresent() && name.equals(latest.get().fileName());
            if (!current && !name.startsWith(".probe-")) {
                fs.delete(f.getPath(), true);
            }
        }
    }

    private void refuseOtherConfigurations(Optional<Commit> published) throws IOException {
        FileSystem fs = fs();
        if (published.isEmpty()) {
            for (String table : Tables.ALL) {
                Path legacy = published(out, table, experiment);
                if (fs.exists(legacy)) {
                    throw new ResultsFolderException("the results folder " + named + " holds experiment " + experiment
                            + " without a record of its configurations (written by an earlier w2lab): nothing was "
                            + "computed; run with --replace to replace it, or choose another --out or experiment "
                            + "name");
                }
            }
            return;
        }
        Set<String> before = new LinkedHashSet<>();
        Path file = new Path(new Path(home, published.get().run()), CONFIGURATIONS);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            r.lines().filter(l -> !l.isEmpty()).forEach(before::add);
        }
        Set<String> now = new LinkedHashSet<>(configurations);
        if (before.equals(now)) {
            return;
        }
        List<String> gone = before.stream().filter(c -> !now.contains(c)).toList();
        List<String> added = now.stream().filter(c -> !before.contains(c)).toList();
        throw new ResultsFolderException("the results folder " + named + " holds experiment " + experiment
                + " with other configurations: " + gone.size() + " published there are not in this config and "
                + added.size() + " of this config are not published there" + differences(gone, added)
                + ". Nothing was computed; run with --replace to replace the experiment's rows, or choose another "
                + "--out or experiment name");
    }

    /**
     * The keys whose values differ between two sets of configurations, with their values on each side, e.g.
     * {@code d: 100 -> 7}; at most four values a side.
     */
    private static String differences(List<String> gone, List<String> added) {
        Map<String, Set<String>> was = values(gone);
        Map<String, Set<String>> is = values(added);
        Set<String> keys = new LinkedHashSet<>(was.keySet());
        keys.addAll(is.keySet());
        List<String> shown = new ArrayList<>();
        for (String k : keys) {
            Set<String> a = was.getOrDefault(k, Set.of());
            Set<String> b = is.getOrDefault(k, Set.of());
            if (!a.equals(b)) {
                shown.add(k + ": " + few(a) + " -> " + few(b));
            }
        }
        return shown.isEmpty() ? "" : " (" + String.join("; ", shown) + ")";
    }

    /** Each key's values over configurations recorded as {@code id, seeds, canonical form}. */
    private static Map<String, Set<String>> values(List<String> configurations) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (String c : configurations) {
            String[] f = c.split("\t", 3);
            values.computeIfAbsent("seeds", k -> new LinkedHashSet<>()).add(f[1]);
            for (String kv : f[2].split(";")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    values.computeIfAbsent(kv.substring(0, eq), k -> new LinkedHashSet<>()).add(kv.substring(eq + 1));
                }
            }
        }
        return values;
    }

    private static String few(Set<String> values) {
        if (values.isEmpty()) {
            return "(none)";
        }
        List<String> list = new ArrayList<>(values);
        return list.size() <= 4 ? String.join(", ", list)
                : String.join(", ", list.subList(0, 4)) + ", ... (" + list.size() + " values)";
    }

    /** Creates and removes a file where this run writes, so an unwritable folder is found before any work. */
    private void probe() {
        Path probe = new Path(home, ".probe-" + UUID.randomUUID());
        FileSystem fs = null;
        try {
            fs = fs();
            if (!fs.mkdirs(home)) {
                throw new IOException("mkdirs failed");
            }
            fs.create(probe, false).close();
        } catch (IOException | RuntimeException | FSError e) {
            throw cannotWrite(named, e);
        } finally {
            if (fs != null) {
                try {
                    fs.delete(probe, false);
                } catch (IOException | RuntimeException | FSError e) {
                    // the folder is unusable already; the error above says so
                }
            }
        }
    }

    /**
     * The error of a results folder that cannot be written, with the file system's own reason (for a full disk:
     * {@code No space left on device}).
     */
    static ResultsFolderException cannotWrite(String out, Throwable e) {
        return cannotWrite(out, reason(e));
    }

    static ResultsFolderException cannotWrite(String out, String reason) {
        return new ResultsFolderException("cannot write the results folder " + out + " (" + reason
                + "): give --out a folder this user can write, with free space");
    }

    /** The innermost message of a failure, the one the file system gave. */
    static String reason(Throwable e) {
        Throwable t = e;
        String reason = String.valueOf(e);
        while (t != null) {
            if (t.getMessage() != null) {
                reason = t.getMessage();
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return reason;
    }

    /**
     * Whether a failure was the disk running out of space, wherever it happened: on the driver, or on an executor
     * (Spark keeps the task's exception as a cause, or as the cause of a suppressed exception of the job's).
     */
    static boolean diskFull(Throwable e) {
        return diskFull(e, 0);
    }

    private static boolean diskFull(Throwable e, int depth) {
        if (e == null || depth > 32) {
            return false;
        }
        if (e.getMessage() != null && e.getMessage().contains("No space left on device")) {
            return true;
        }
        for (Throwable s : e.getSuppressed()) {
            if (diskFull(s, depth + 1)) {
                return true;
            }
        }
        return e.getCause() != e && diskFull(e.getCause(), depth + 1);
    }

    private Optional<Commit> latest() throws IOException {
        return latest(fs(), home);
    }

    private FileSystem fs() throws IOException {
        return out.getFileSystem(hadoop);
    }

    /** The latest commit record of an experiment's folder {@code _w2lab/NAME}, if it has one. */
    static Optional<Commit> latest(FileSystem fs, Path home) throws IOException {
        if (!fs.exists(home)) {
            return Optional.empty();
        }
        long best = -1;
        for (FileStatus f : fs.listStatus(home)) {
            String name = f.getPath().getName();
            if (name.startsWith(COMMIT)) {
                try {
                    best = Math.max(best, Long.parseLong(name.substring(COMMIT.length())));
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = fs.open(new Path(home, String.format("%s%012d", COMMIT, best)))) {
            p.load(in);
        }
        return Optional.of(Commit.parse(best, p));
    }

    /**
     * A commit record: the published run of an experiment and its tables' row counts.
     *
     * @param number  its sequence number
     * @param run     the run's folder name
     * @param written when it was published (ISO-8601)
     * @param rows    each table's row count
     * @param configurations how many configurations the run has
     * @param statuses the rows of {@code summary} and {@code runs} by status, as {@code ok=28,diverged=2}
     */
    public record Commit(long number, String run, String written, Map<String, Long> rows, int configurations,
                         Map<String, String> statuses) {
        static Commit parse(long number, Properties p) {
            Map<String, Long> rows = new LinkedHashMap<>();
            Map<String, String> statuses = new LinkedHashMap<>();
            for (String t : Tables.ALL) {
                rows.put(t, Long.parseLong(p.getProperty("rows." + t, "0")));
                if (p.containsKey("statuses." + t)) {
                    statuses.put(t, p.getProperty("statuses." + t));
                }
            }
            return new Commit(number, p.getProperty("run"), p.getProperty("written"), rows,
                    Integer.parseInt(p.getProperty("configurations", "0")), statuses);
        }

        public long rows(String table) {
            return rows.getOrDefault(table, 0L);
        }

        String fileName() {
            return String.format("%s%012d", COMMIT, number);
        }
    }

    /**
     * The experiments of a results folder, by name: each one's latest commit record, or {@code null} for one
     * written by an earlier w2lab (its table folders hold it, with no record).
     */
    public static Map<String, Commit> experiments(Configuration hadoop, String results) {
        Path out = new Path(results);
        Map<String, Commit> found = new java.util.TreeMap<>();
        try {
            FileSystem fs = out.getFileSystem(hadoop);
            if (!fs.isDirectory(out)) {
                throw new IllegalArgumentException("no results folder " + results);
            }
            for (String table : Tables.ALL) {
                Path dir = new Path(out, table);
                if (fs.isDirectory(dir)) {
                    for (FileStatus f : fs.listStatus(dir)) {
                        String name = f.getPath().getName();
                        if (f.isDirectory() && name.startsWith("experiment=")) {
                            found.putIfAbsent(name.substring("experiment=".length()), null);
                        }
                    }
                }
            }
            found.putAll(commits(fs, out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the results folder " + results, e);
        }
        return found;
    }

    /** Each experiment's latest commit record in {@code OUT/_w2lab}, by experiment name. */
    private static Map<String, Commit> commits(FileSystem fs, Path out) throws IOException {
        Map<String, Commit> commits = new LinkedHashMap<>();
        Path store = new Path(out, FOLDER);
        if (fs.isDirectory(store)) {
            for (FileStatus f : fs.listStatus(store)) {
                latest(fs, f.getPath()).ifPresent(c -> commits.put(f.getPath().getName(), c));
            }
        }
        return commits;
    }

    /**
     * Where a reader finds the published rows of every experiment of a results folder, resolved from the commit
     * records at one moment: for each table, the folders to read (the promoted one, or the staged one of a run whose
     * promotion has not happened yet), leaving out an experiment whose published run has no rows there.
     *
     * @param folders each table's folders, each a partition {@code experiment=NAME}
     * @param whole   the tables whose folder can be read whole (every experiment in it is published as it is)
     */
    record Snapshot(Map<String, List<Path>> folders, Set<String> whole, Map<String, Long> commits) {
        static Snapshot of(Configuration hadoop, String results) {
            Path out = new Path(results);
            try {
                FileSystem fs = out.getFileSystem(hadoop);
                Map<String, Commit> commits = ResultsStore.commits(fs, out);
                Map<String, List<Path>> folders = new LinkedHashMap<>();
                Set<String> whole = new LinkedHashSet<>();
                for (String table : Tables.ALL) {
                    Path dir = new Path(out, table);
                    List<Path> found = new ArrayList<>();
                    boolean asIs = true;
                    Set<String> seen = new LinkedHashSet<>();
                    if (fs.isDirectory(dir)) {
                        for (FileStatus f : fs.listStatus(dir)) {
                            String name = f.getPath().getName();
                            if (!f.isDirectory() || !name.startsWith("experiment=")) {
                                continue;
                            }
                            String experiment = name.substring("experiment=".length());
                            seen.add(experiment);
                            Commit c = commits.get(experiment);
                            Path staged = c == null ? null : staged(out, experiment, c.run(), table);
                            if (c != null && c.rows(table) == 0) {
                                asIs = false;
                            } else if (staged != null && fs.exists(staged)) {
                                found.add(staged);
                                asIs = false;
                            } else {
                                found.add(f.getPath());
                            }
                        }
                    }
                    for (Map.Entry<String, Commit> c : commits.entrySet()) {
                        Path staged = staged(out, c.getKey(), c.getValue().run(), table);
                        if (!seen.contains(c.getKey()) && c.getValue().rows(table) > 0 && fs.exists(staged)) {
                            found.add(staged);
                            asIs = false;
                        }
                    }
                    if (!found.isEmpty()) {
                        folders.put(table, found);
                        if (asIs) {
                            whole.add(table);
                        }
                    }
                }
                Map<String, Long> numbers = new LinkedHashMap<>();
                commits.forEach((k, v) -> numbers.put(k, v.number()));
                return new Snapshot(folders, whole, numbers);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the results folder " + results, e);
            }
        }
    }
}
