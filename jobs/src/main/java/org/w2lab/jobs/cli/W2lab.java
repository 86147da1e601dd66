package org.w2lab.jobs.cli;

import org.w2lab.jobs.spark.ResultsFolderException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code w2lab} command line: {@code run}, {@code query}, {@code validate}, {@code bench}, {@code report},
 * {@code list}.
 */
@Command(name = "w2lab", mixinStandardHelpOptions = true, versionProvider = W2lab.Version.class,
        description = "Exact and empirical Wasserstein-2 errors of score-based samplers on Gaussian data, on Spark.",
        subcommands = {RunCommand.class, QueryCommand.class, ValidateCommand.class, BenchCommand.class,
            ReportCommand.class, ListCommand.class})
public final class W2lab {
    /** Spark's own log lines: off below WARN by default (conf/log4j2.properties), all of INFO with --verbose. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "print Spark's own log lines (INFO) on stderr; by default only warnings and w2lab's lines")
    void verbose(boolean on) {
        if (on) {
            Configurator.setRootLevel(Level.INFO);
        }
    }

    /** Exit status of a bad command line or config: nothing was computed. */
    static final int USAGE = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit status (0: success, 1: failure, 2: bad input). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new W2lab());
        cl.setExitCodeExceptionMapper(e -> e instanceof IllegalArgumentException || e instanceof ResultsFolderException
                ? USAGE : 1);
        // bad input (IllegalArgumentException) and a results folder that cannot be used are the user's to fix: their
        // message alone, no stack trace
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof ResultsFolderException || e instanceof IllegalArgumentException) {
                command.getErr().println("w2lab: " + e.getMessage());
                return USAGE;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /** The version in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = W2lab.class.getPackage().getImplementationVersion();
            return new String[] {"w2lab " + (v == null ? "dev" : v)};
        }
    }
}
