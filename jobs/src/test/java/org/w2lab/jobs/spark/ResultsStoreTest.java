package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.config.Experiment;

/** Publication of a run: all tables or none, no silent overwrite, a full disk in any table's write. */
class ResultsStoreTest {
    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.session();

    private Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
    }

    private RunJob.Report run(Experiment e, String out, boolean replace) {
        return StoreFixtures.run(spark, e, out, replace);
    }

    /** The folder's entries under _w2lab/NAME: the published run's folder and its commit record, nothing else. */
    private static List<String> storeEntries(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out.resolve(ResultsStore.FOLDER).resolve(StoreFixtures.NAME))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullDiskInAnyTablesWriteLeavesThePreviousRunWholeAndExitsWithTheReason() throws IOException {
        Path conf = StoreFixtures.config(dir);
        Path out = dir.resolve("out");
        Experiment before = StoreFixtures.experiment(conf);
        Experiment after = StoreFixtures.experiment(conf, "d=5");
        run(before, out.toString(), false);
        Map<String, List<String>> published = StoreFixtures.seen(spark, out);
        assertEquals(Tables.ALL.size(), published.size(), "every table has rows: " + published.keySet());
        String faulty = "faulty://" + out.toAbsolutePath();
        hadoop().set("fs.faulty.impl", FaultyFileSystem.class.getName());
        hadoop().setBoolean("fs.faulty.impl.disable.cache", true);
        try {
            for (String table : Tables.ALL) {
                hadoop().set(FaultyFileSystem.FAULT, "full:" + table);
                ResultsFolderException e = assertThrows(ResultsFolderException.class,
                        () -> run(after, faulty, true), table);
                assertTrue(e.getMessage().startsWith("cannot write the results folder " + faulty
                        + " (No space left on device)"), e.getMessage());
                assertEquals(published, StoreFixtures.seen(spark, out), "after a full disk in " + table);
                assertEquals(published, StoreFixtures.plain(spark, out), "plain reads after " + table);
                assertEquals(2, storeEntries(out).size(), "what the failed run left: " + storeEntries(out));
            }
        } finally {
            hadoop().unset(FaultyFileSystem.FAULT);
        }
        run(after, faulty, true);
        Map<String, List<String>> replaced = StoreFixtures.seen(spark, out);
        assertEquals(published.keySet(), replaced.keySet());
        for (String table : Tables.ALL) {
            assertNotEquals(published.get(table), replaced.get(table), table);
        }
        assertEquals(replaced, StoreFixtures.plain(spark, out));
    }

    @Test
    void aRunOfOtherConfigurationsIsRefusedUnlessReplaced() throws IOException {
        Path conf = StoreFixtures.config(dir);
        Path out = dir.resolve("out");
        Experiment first = StoreFixtures.experiment(conf);
        run(first, out.toString(), false);
        Map<String, List<String>> published = StoreFixtures.seen(spark, out);

        ResultsFolderException refused = assertThrows(ResultsFolderException.class,
                () -> run(StoreFixtures.experiment(conf, "seeds=3"), out.toString(), false));
        assertTrue(refused.getMessage().contains("holds experiment " + StoreFixtures.NAME + " with other "
                + "configurations: 3 published there are not in this config and 3 of this config are not published "
                + "there (seeds: 2 -> 3)"), refused.getMessage());
        assertTrue(refused.getMessage().contains(out.toString()) && refused.getMessage().contains("--replace"),
                refused.getMessage());
        assertEquals(published, StoreFixtures.seen(spark, out));

        RunJob.Report again = run(first, out.toString(), false);
        assertEquals(3, again.configurations());
        assertEquals(published, StoreFixtures.seen(spark, out), "the same config replaces itself, rows once");

        run(StoreFixtures.experiment(conf, "seeds=3"), out.toString(), true);
        assertEquals(3 * 3, spark.read().parquet(out.resolve(Tables.RUNS).toString()).count());
    }

    @Test
    void aRunOnAnObjectStoreSaysWhatDoesNotHoldThere() {
        assertTrue(ResultsStore.objectStoreCaveat("s3a://bucket/w2lab/results").orElseThrow()
                .contains("is on an object store (s3a)"));
        assertTrue(ResultsStore.objectStoreCaveat("gs://bucket/results").isPresent());
        assertTrue(ResultsStore.objectStoreCaveat("hdfs://namenode/w2lab/results").isEmpty());
        assertTrue(ResultsStore.objectStoreCaveat("results").isEmpty());
        assertTrue(ResultsStore.objectStoreCaveat("file:///tmp/results").isEmpty());
    }

    @Test
    void resultsOfAnEarlierLayoutAreNotOverwrittenSilently() throws IOException {
        Path conf = StoreFixtures.config(dir);
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(Tables.SUMMARY).resolve("experiment=" + StoreFixtures.NAME));
        ResultsFolderException refused = assertThrows(ResultsFolderException.class,
                () -> run(StoreFixtures.experiment(conf), out.toString(), false));
        assertTrue(refused.getMessage().contains("without a record of its configurations"), refused.getMessage());
        run(StoreFixtures.experiment(conf), out.toString(), true);
        assertEquals(3, StoreFixtures.seen(spark, out).get(Tables.SUMMARY).size());
    }
}
