package org.w2lab.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.w2lab.jobs.config.ConfigException;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.config.TaskSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code w2lab validate CONFIG}: expands and checks a config without starting Spark. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a config and print how many configurations its grid expands to; starts no Spark.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "the experiment config file")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--show", description = "also print every expanded configuration, one line each: its config_id, "
            + "its seeds and its parameters")
    boolean show;

    @Override
    public Integer call() {
        Experiment e = load(config, overrides);
        if (e == null) {
            return W2lab.USAGE;
        }
        reportClipped(e);
        int seeds = e.tasks().stream().filter(TaskSpec::simulated).mapToInt(TaskSpec::seeds).sum();
        if (show) {
            for (TaskSpec t : e.tasks()) {
                System.out.println(t.configId() + "  seeds=" + t.seeds() + "  " + t.canonical());
            }
        }
        System.out.println(e.name() + ": " + e.tasks().size() + " configurations"
                + (seeds > 0 ? ", " + seeds + " simulated seeds" : ""));
        return 0;
    }

    /** One line per spectrum file whose round-off negatives were clipped to zero (models.md), so none goes unseen. */
    static void reportClipped(Experiment e) {
        e.spectra().values().stream().filter(s -> s.clipped() > 0).forEach(s -> System.err.println(
                "spectrum " + s.name() + ": " + s.clipped() + " of " + s.dimension()
                        + " eigenvalues were -0.0 or round-off negatives, set to 0"));
    }

    /** Loads a config, printing its problems to stderr; {@code null} when it is invalid. */
    static Experiment load(Path config, List<String> overrides) {
        try {
            return Experiment.load(config, overrides);
        } catch (ConfigException e) {
            System.err.println("invalid config " + config + ":");
            e.problems().forEach(p -> System.err.println("  " + p));
            return null;
        }
    }
}
