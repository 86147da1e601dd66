package org.w2lab.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} then {@code report} as a user types them. */
class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void runPrintsItsSummaryAndReportWritesTheIndex() throws IOException {
        String results = dir.resolve("x").toString();
        CliTest.Result run = CliTest.w2lab("run", "../conf/hurault-figure4.conf", "--out", results, "--set", "d=10");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("hurault_figure4: 6 configurations"), run.out());
        assertTrue(run.out().matches("(?s).*spectra +60 rows .*experiment=hurault_figure4.*"), run.out());
        assertTrue(run.out().contains("bin/w2lab report --results " + results), run.out());
        assertTrue(run.err().contains("tasks ") && run.err().contains(" done, 0 failed"), run.err());

        Path out = dir.resolve("report");
        CliTest.Result report = CliTest.w2lab("report", "--results", results, "--out", out.toString());
        assertEquals(0, report.status(), report.err());
        assertTrue(report.out().startsWith("1 figure written to "), report.out());
        assertTrue(report.err().contains("No experiment pierret_figure1"), report.err());
        assertTrue(Files.readString(out.resolve("index.html")).contains("src=\"hurault_figure4_spectra.png\""));
        assertTrue(Files.size(out.resolve("hurault_figure4_spectra.svg")) > 1000);
    }
}
