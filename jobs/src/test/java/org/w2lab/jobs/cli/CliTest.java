package org.w2lab.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.spark.SharedSpark;

/** The command line as a user runs it, on the shared session of the test JVM. */
class CliTest {
    @TempDir
    Path dir;

    /** Exit status, stdout and stderr of one command line. */
    record Result(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static synchronized Result w2lab(String... args) {
        SharedSpark.session();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = W2lab.execute(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Test
    void pierretTableRunsAndItsQueryPrintsTheWholeTable() {
        String out = dir.resolve("x").toString();
        Result run = w2lab("run", "../conf/pierret-table.conf", "--out", out);
        assertEquals(0, run.status(), run.err());
        Result q = w2lab("query", "--results", out, "--format", "csv", "SELECT sampler, steps, nfe, eps, init, "
                + "w2_theory, status FROM summary WHERE experiment = 'pierret_table'");
        assertEquals(0, q.status(), q.err());
        assertEquals("sampler,steps,nfe,eps,init,w2_theory,status", q.lines().get(0));
        assertEquals(1 + 208, q.lines().size());
        // heun and rk4 evaluate the score at t = 0 when eps = 0: CIFAR-10 has zero eigenvalues, so no number
        long undefined = q.lines().stream().filter(l -> l.endsWith(",,score_undefined")).count();
        assertEquals(2 * 4 * 2, undefined);
        assertTrue(q.lines().stream().anyMatch(l -> l.startsWith("sde,,,0.001,p_T,")));
    }

    @Test
    void invalidConfigFailsBeforeSparkWithTheKeyAndRange() throws IOException {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "experiment = x\ngrid { sampler = em, steps = -3 }\n");
        Result r = w2lab("run", conf.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bad.conf:2") && r.err().contains("'steps' = -3"), r.err());
        assertTrue(Files.notExists(dir.resolve("o")));
    }

    @Test
    void setOverridesAConfigKey() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "experiment = s\ngrid { sampler = em, steps = 3 }\n");
        String out = dir.resolve("o").toString();
        assertEquals(0, w2lab("run", conf.toString(), "--out", out, "--set", "d=7", "--set", "eps=[0, 0.1]").status());
        Result q = w2lab("query", "--results", out, "--format", "json", "SELECT d, eps FROM summary ORDER BY eps");
        assertEquals(List.of("{\"d\":7,\"eps\":0.0}", "{\"d\":7,\"eps\":0.1}"), q.lines());
    }

    @Test
    void runAndQueryTakeHadoopUris() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "experiment = u\ngrid { sampler = ode, d = 3 }\n");
        String out = dir.resolve("o").toUri().toString();
        assertTrue(out.startsWith("file:///"), out);
        assertEquals(0, w2lab("run", conf.toString(), "--out", out).status());
        Result q = w2lab("query", "--results", out, "--format", "csv", "SELECT sampler, d FROM summary");
        assertEquals(List.of("sampler,d", "ode,3"), q.lines());
    }

    @Test
    void queryErrorsAreClear() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "experiment = s\ngrid { sampler = ode, d = 2 }\n");
        String out = dir.resolve("o").toString();
        assertEquals(0, w2lab("run", conf.toString(), "--out", out).status());
        Result badColumn = w2lab("query", "--results", out, "SELECT no_such_column FROM summary");
        assertEquals(2, badColumn.status());
        assertTrue(badColumn.err().contains("no_such_column"), badColumn.err());
        Result table = w2lab("query", "--results", out, "SELECT sampler, d FROM summary");
        assertEquals(0, table.status());
        assertTrue(table.out().contains("| ode     | 2 |") && table.out().contains("1 row"), table.out());
        Result empty = w2lab("query", "--results", dir.resolve("nothing").toString(), "SELECT 1");
        assertEquals(2, empty.status());
        assertTrue(empty.err().contains("no w2lab table"), empty.err());
    }

    @Test
    void badRunOptionsAndFoldersAreOneLineErrorsWithStatus2() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "experiment = p\ngrid { sampler = ode, d = 2 }\n");
        String out = dir.resolve("o").toString();
        Result zero = w2lab("run", conf.toString(), "--out", out, "--partitions", "0");
        assertEquals(2, zero.status());
        assertTrue(zero.err().contains("--partitions must be at least 1, not 0"), zero.err());
        assertTrue(Files.notExists(dir.resolve("o")));

        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Result unwritable = w2lab("run", conf.toString(), "--out", file.resolve("results").toString());
        assertEquals(2, unwritable.status());
        assertTrue(unwritable.err().startsWith("w2lab: cannot write the results folder " + file.resolve("results")),
                unwritable.err());
        assertEquals(1, unwritable.err().strip().lines().count(), "one line, no stack trace: " + unwritable.err());

        assertEquals(0, w2lab("run", conf.toString(), "--out", out).status());
        Result other = w2lab("run", conf.toString(), "--out", out, "--set", "d=3");
        assertEquals(2, other.status());
        assertTrue(other.err().contains("holds experiment p with other configurations"), other.err());
        assertEquals(0, w2lab("run", conf.toString(), "--out", out, "--set", "d=3", "--replace").status());
        Result q = w2lab("query", "--results", out, "--format", "csv", "SELECT d FROM summary");
        assertEquals(List.of("d", "3"), q.lines());
    }

    @Test
    void listShowsTheExperimentsOfAResultsFolder() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "experiment = listed\ngrid { sampler = [ode, em], "
                + "steps = 3, d = 2 }\n");
        String out = dir.resolve("o").toString();
        assertEquals(0, w2lab("run", conf.toString(), "--out", out).status());
        Result list = w2lab("list", "--results", out);
        assertEquals(0, list.status(), list.err());
        assertTrue(list.lines().get(0).startsWith("experiment"), list.out());
        String row = list.lines().get(1);
        assertTrue(row.startsWith("listed") && row.contains("ok=2"), list.out());
        assertTrue(row.matches("listed\\s+\\S+Z\\s+2\\s+2\\s+\\d+\\s+0\\s+2\\s+0\\s+ok=2"), row);
        Result none = w2lab("list", "--results", dir.resolve("nowhere").toString());
        assertEquals(2, none.status());
        assertEquals(1, none.err().strip().lines().count(), none.err());
    }

    @Test
    void validateShowsTheExpandedConfigurations() {
        Result r = w2lab("validate", "../conf/quickstart.conf", "--show");
        assertEquals(0, r.status(), r.err());
        assertEquals(28 + 1, r.lines().size());
        assertTrue(r.lines().get(0).matches("[0-9a-f]{16}  seeds=null  sampler=\\w+;steps=.*"), r.lines().get(0));
    }

    @Test
    void queryErrorsAreOneLineWithWhatToUseInstead() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "experiment = s\ngrid { sampler = ode, d = 2 }\n");
        String out = dir.resolve("o").toString();
        assertEquals(0, w2lab("run", conf.toString(), "--out", out).status());
        Result view = w2lab("query", "--results", out, "SELECT * FROM summry");
        assertEquals(2, view.status());
        assertEquals(1, view.err().strip().lines().count(), view.err());
        assertTrue(view.err().contains("The views of 3 tables here: summary, trajectories, spectra"), view.err());
        Result column = w2lab("query", "--results", out, "SELECT no_such_column FROM summary");
        assertEquals(2, column.status());
        assertEquals(1, column.err().strip().lines().count(), column.err());
        assertTrue(column.err().contains("Columns of summary: config_id, sampler, steps"), column.err());
        Result folder = w2lab("query", "--results", dir.resolve("nowhere").toString(), "SELECT 1");
        assertEquals(2, folder.status());
        assertEquals(1, folder.err().strip().lines().count(), folder.err());
    }

    @Test
    void validateCountsConfigurationsWithoutSpark() {
        Result r = w2lab("validate", "../conf/pierret-table.conf");
        assertEquals(0, r.status(), r.err());
        assertEquals("pierret_table: 208 configurations", r.out().strip());
        assertTrue(r.err().contains("spectrum cifar10_eigenvalues: 9 of 3072 eigenvalues were -0.0"), r.err());
    }

    @Test
    void everyShippedConfigIsValid() throws IOException {
        try (var files = Files.list(Path.of("../conf"))) {
            List<Path> configs = files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
            assertTrue(configs.size() >= 4, configs.toString());
            for (Path c : configs) {
                Result r = w2lab("validate", c.toString());
                assertEquals(0, r.status(), c + ": " + r.err());
            }
        }
        assertEquals("verify_samplers: 218 configurations, 2180 simulated seeds", w2lab("validate", "../conf/verify-samplers.conf").out()
                .strip());
    }
}
