package org.w2lab.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/w2lab's stderr filter (bin/lib/quiet-stderr.sh): the JDK's incubator warning goes, everything else passes as
 * it came (an in-place progress line's carriage returns included), stdout untouched, the command's exit status kept.
 */
class QuietStderrTest {
    private static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    Path dir;

    @Test
    void dropsTheIncubatorWarningOnly() throws Exception {
        String[] r = run("echo '" + WARNING + "' >&2; printf 'tasks 1/2\\rtasks 2/2\\n' >&2; echo out; exit 3");
        assertEquals("3", r[0]);
        assertEquals("out\n", r[1]);
        assertEquals("tasks 1/2\rtasks 2/2\n", r[2]);
    }

    @Test
    void keepsAnyOtherFirstLine() throws Exception {
        String[] r = run("echo 'Error: no such file' >&2; echo '" + WARNING + " later' >&2; exit 0");
        assertEquals("0", r[0]);
        assertEquals("", r[1]);
        assertEquals("Error: no such file\n" + WARNING + " later\n", r[2]);
    }

    /** The status, stdout and stderr of {@code quiet_stderr bash -c SCRIPT}. */
    private String[] run(String script) throws IOException, InterruptedException {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Path filter = Path.of("../bin/lib/quiet-stderr.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", "-c", "set -euo pipefail; source \"$1\"; quiet_stderr bash -c \"$2\"",
                "test", filter.toString(), script).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int status = p.waitFor();
        return new String[] {String.valueOf(status), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8)};
    }
}
