package org.w2lab.jobs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.apache.spark.sql.SparkSession;
import org.w2lab.jobs.bench.ConfigBenchmark;
import org.w2lab.jobs.bench.ParticleBenchmark;
import org.w2lab.jobs.bench.PipelineBenchmark;
import org.w2lab.jobs.bench.SeedBenchmark;
import org.w2lab.jobs.bench.TheoryBenchmark;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.spark.SparkSessions;
import org.w2lab.linalg.NativeBlas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code w2lab bench}: the theory engine under JMH, then the same work in NumPy in the same invocation, and the
 * ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the exact theory engine (JMH) against the same recursions in NumPy.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--conf", paramLabel = "DIR", defaultValue = "conf",
            description = "folder of pierret-table.conf and spectra/ (default: ${DEFAULT-VALUE})")
    String conf;

    @Option(names = "--python", paramLabel = "CMD", defaultValue = "python3",
            description = "Python with NumPy for the peer (default: ${DEFAULT-VALUE}); 'none' skips it")
    String python;

    @Option(names = "--peer", paramLabel = "SCRIPT", defaultValue = "bin/bench_theory_numpy.py",
            description = "the NumPy peer script (default: ${DEFAULT-VALUE})")
    String peer;

    @Option(names = "--ceilings", paramLabel = "SCRIPT", defaultValue = "../shared/bench/numpy_peer.py",
            description = "NumPy's ULA, normals and GEMM peer (default: ${DEFAULT-VALUE}); skipped when absent")
    String ceilings;

    @Option(names = "--pipeline-peer", paramLabel = "SCRIPT", defaultValue = "bin/bench_pipeline_numpy.py",
            description = "the NumPy peer of the score matching + Langevin pipeline (default: ${DEFAULT-VALUE})")
    String pipelinePeer;

    @Option(names = "--seed-peer", paramLabel = "SCRIPT", defaultValue = "bin/bench_seed_numpy.py",
            description = "the NumPy peer of the image-scale seed (default: ${DEFAULT-VALUE})")
    String seedPeer;

    @Option(names = "--quick", description = "fewer, shorter iterations (a smoke run, wide errors)")
    boolean quick;

    @Option(names = "--config", paramLabel = "FILE",
            description = "instead of the micro-benchmarks: run this ula experiment whole on local Spark (--master) "
                    + "and the same configurations and seeds in the NumPy pipeline peer")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "with --config: override a config key (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]",
            description = "with --config: the Spark master (default: ${DEFAULT-VALUE})")
    String master;

    @Override
    public Integer call() throws RunnerException, IOException, InterruptedException {
        if (config != null) {
            return wholeConfig();
        }
        Options options = new OptionsBuilder()
                .include(TheoryBenchmark.class.getName())
                .include(ParticleBenchmark.class.getName())
                .include(PipelineBenchmark.class.getName())
                .param("conf", conf)
                .forks(1)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .verbosity(VerboseMode.SILENT)
                .build();
        Map<String, double[]> ours = new LinkedHashMap<>();
        for (RunResult r : new Runner(options).run()) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            if ("trajectory".equals(name)) {
                name += "_" + r.getParams().getParam("sampler");
            } else if (ours.containsKey(name)) {
                continue; // the table does not depend on the sampler parameter
            }
            ours.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        // a seed at image scale takes seconds: single shots, the median of three (one with --quick)
        Options seedOptions = new OptionsBuilder()
                .include(SeedBenchmark.class.getName())
                .param("conf", conf)
                .forks(1)
                .warmupIterations(quick ? 0 : 1)
                .measurementIterations(quick ? 1 : 3)
                .verbosity(VerboseMode.SILENT)
                .build();
        for (RunResult r : new Runner(seedOptions).run()) {
            ours.put("seedD3072Random", new double[] {r.getPrimaryResult().getStatistics().getPercentile(50),
                r.getPrimaryResult().getScoreError()});
        }
        Map<String, Double> numpy = "none".equals(python) ? Map.of() : run(peer, "--conf", conf, "--json");
        Map<String, Double> machine = "none".equals(python) || !Files.exists(Path.of(ceilings))
                ? Map.of() : run(ceilings, "--json", "--d", String.valueOf(ParticleBenchmark.D), "--particles",
                String.valueOf(ParticleBenchmark.M), "--gemm", String.valueOf(ParticleBenchmark.GEMM));
        Map<String, Double> pipeline = "none".equals(python) ? Map.of()
                : run(pipelinePeer, PipelineBenchmark.peerArguments(PipelineBenchmark.D));
        Map<String, Double> sgd100 = "none".equals(python) ? Map.of()
                : run(pipelinePeer, PipelineBenchmark.peerArguments(PipelineBenchmark.D_LARGE));
        Map<String, Double> seed = "none".equals(python) ? Map.of()
                : run(seedPeer, SeedBenchmark.peerArguments(conf));
        TheoryBenchmark check = new TheoryBenchmark();
        check.conf = conf;
        check.setup();
        System.out.printf("table checksum (sum of w2_theory): w2lab %.12f, numpy %s%n", check.pierretTable(),
                numpy.containsKey("pierretTable_checksum") ? String.format("%.12f", numpy.get("pierretTable_checksum"))
                        : "-");
        System.out.println(NativeBlas.describe());
        System.out.printf("%-20s %14s%n", "benchmark", "w2lab ms/op");
        ours.forEach((k, v) -> System.out.printf("%-20s %8.3f ±%5.3f%n", k, v[0], v[1]));
        // last, one line per benchmark; ratio > 1 means w2lab is faster
        for (String k : new String[] {"pierretTable", "trajectory_em", "trajectory_heun", "trajectory_rk4"}) {
            line(k + " ms", ours.get(k) == null ? null : ours.get(k)[0], numpy.get(k + "_ms"), false);
        }
        double particles = ParticleBenchmark.M;
        double flops = 2.0 * Math.pow(ParticleBenchmark.GEMM, 3) / 1e9;
        Double gemm = rate(ours.get("dgemm"), flops);
        Double normals = rate(ours.get("normals"), ParticleBenchmark.NORMALS);
        line("gemm", gemm, machine.get("dgemm_gflops"), true);
        line("normals", normals, machine.get("normals_per_s"), true);
        Double dense = rate(ours.get("ulaDense"), particles);
        line("ula_dense", dense, machine.get("ula_particle_steps_per_s"), true);
        line("ula_dense_of_ceiling", dense == null || gemm == null || normals == null ? null
                : dense * ParticleBenchmark.secondsPerParticleStep(gemm, normals), CEILING_TARGET, true);
        line("ula_diagonal", rate(ours.get("ulaDiag"), particles), machine.get("ula_diag_particle_steps_per_s"), true);
        line("sgd_d16", rate(ours.get("sgdTrain"), PipelineBenchmark.SGD_STEPS), pipeline.get("sgd_steps_per_s"),
                true);
        line("sgd_d100", rate(ours.get("sgdTrainD100"), PipelineBenchmark.SGD_STEPS), sgd100.get("sgd_steps_per_s"),
                true);
        line("pipeline_seed", ms(ours.get("pipelineSeed")), pipeline.get("seed_ms"), false);
        line("seed_d3072_random", ms(ours.get("seedD3072Random")), seed.get("seed_ms"), false);
        line("quickstart_wall_s", wall("quickstart"), LOCAL_TARGET_S, false);
        line("pierret_table_wall_s", wall("pierret-table"), LOCAL_TARGET_S, false);
        line("validate_1e6", validateMillion(), VALIDATE_TARGET_S, false);
        return 0;
    }

    /** The share of the machine's ceiling the dense ULA step is aimed at; the "peer" of ula_dense_of_ceiling. */
    private static final double CEILING_TARGET = 0.7;

    private static Double ms(double[] msPerOp) {
        return msPerOp == null ? null : msPerOp[0];
    }

    /**
     * The wall time local mode is aimed at for the quickstart and Pierret & Galerne's table, end to end; the "peer"
     * of their wall-time lines.
     */
    private static final double LOCAL_TARGET_S = 6;

    /** The wall time {@code validate} of a million configurations is aimed at; the "peer" of validate_1e6. */
    private static final double VALIDATE_TARGET_S = 10;

    /**
     * A grid of 10^6 configurations of the spectral engine (10 samplers x 100 step counts x 100 {@code eps} x 2
     * starts x 5 {@code beta_max}), for validate_1e6.
     */
    static final String MILLION = "experiment = validate_1e6\n"
            + "params { spectrum = power_law, d = 16, zeta = 1.0, record_every = 0 }\n"
            + "grid = { sampler = [em, ei, ddpm, euler, heun, rk4, dpm_solver_1, dpm_solver_2, dpm_solver_3, edm_heun],"
            + " steps = {linspace = [10, 109, 100]}, eps = {logspace = [1e-5, 1e-1, 100]}, init = [p_T, normal],"
            + " beta_max = {linspace = [10, 30, 5]} }\n";

    /** {@link #wall} of {@code bin/w2lab run conf/NAME.conf --out TEMP}. */
    private Double wall(String name) throws IOException, InterruptedException {
        String conf = "conf/" + name + ".conf";
        if (!Files.exists(Path.of(conf))) {
            return null;
        }
        return wall(out -> List.of("run", conf, "--out", out.toString()), null);
    }

    /** {@link #wall} of {@code bin/w2lab validate} of {@link #MILLION} with a 1 GB heap. */
    private Double validateMillion() throws IOException, InterruptedException {
        Path config = Files.writeString(Files.createTempFile("w2lab-bench-", ".conf"), MILLION);
        try {
            return wall(out -> List.of("validate", config.toString()), "-Xmx1g");
        } finally {
            Files.deleteIfExists(config);
        }
    }

    /**
     * The median wall time of a {@code bin/w2lab} command as a user runs it (a new JVM), over three
     * runs (one with {@code --quick}) after an untimed one that builds what the first run of a build builds (the
     * jar, the class archive); null where {@code bin/w2lab} is not in this folder.
     *
     * @param command  the arguments, given a temporary folder for the command's files
     * @param javaOpts {@code W2LAB_JAVA_OPTS} for it, or {@code null} for bin/w2lab's default
     */
    private Double wall(java.util.function.Function<Path, List<String>> command, String javaOpts)
            throws IOException, InterruptedException {
        Path w2lab = Path.of("bin", "w2lab");
        if (!Files.isExecutable(w2lab)) {
            return null;
        }
        int runs = quick ? 1 : 3;
        double[] seconds = new double[runs];
        for (int k = -1; k < runs; k++) {
            Path out = Files.createTempDirectory("w2lab-bench-");
            try {
                List<String> args = new ArrayList<>(List.of(w2lab.toString()));
                args.addAll(command.apply(out));
                ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                if (javaOpts != null) {
                    builder.environment().put("W2LAB_JAVA_OPTS", javaOpts);
                }
                long start = System.nanoTime();
                Process p = builder.start();
                if (p.waitFor() != 0) {
                    System.err.println("bin/w2lab " + String.join(" ", args.subList(1, args.size()))
                            + " failed (status " + p.exitValue() + ")");
                    return null;
                }
                if (k >= 0) {
                    seconds[k] = (System.nanoTime() - start) / 1e9;
                }
            } finally {
                try (var files = Files.walk(out)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        java.util.Arrays.sort(seconds);
        return seconds[runs / 2];
    }

    /** The whole-experiment comparison: one pass of each side over the same configurations and seeds. */
    private int wholeConfig() throws IOException, InterruptedException {
        Experiment e = ValidateCommand.load(config, overrides);
        if (e == null) {
            return W2lab.USAGE;
        }
        Path list = Files.createTempFile("w2lab-bench-configs-", ".json");
        try {
            Files.writeString(list, ConfigBenchmark.peerConfigs(e));
            boolean owned = !SparkSessions.exists();
            SparkSession spark = SparkSessions.create(master);
            double ours;
            try {
                ours = ConfigBenchmark.runMs(spark, e);
            } finally {
                if (owned) {
                    spark.stop();
                }
            }
            Map<String, Double> peer = "none".equals(python) ? Map.of()
                    : run(pipelinePeer, "--configs", list.toString(), "--repeat", "1", "--json");
            System.out.printf("%s: %d configurations, %d seeds; w2lab on %s (grid, theory, seeds, tables written); "
                    + "NumPy: the same seeds, one process%n", e.name(), e.tasks().size(), ConfigBenchmark.seeds(e),
                    master);
            line(e.name() + " ms", ours, peer.get("configs_ms"), false);
            return 0;
        } finally {
            Files.deleteIfExists(list);
        }
    }

    /** Units per second from a JMH score in ms per operation. */
    private static Double rate(double[] msPerOp, double unitsPerOp) {
        return msPerOp == null ? null : unitsPerOp / (msPerOp[0] / 1e3);
    }

    private static void line(String name, Double ours, Double peer, boolean higherIsBetter) {
        String ratio = ours == null || peer == null ? "-"
                : String.format("%.2f", higherIsBetter ? ours / peer : peer / ours);
        System.out.printf("%s ours=%s peer=%s ratio=%s%n", name.replace(' ', '_'),
                ours == null ? "-" : String.format("%.4g", ours), peer == null ? "-" : String.format("%.4g", peer),
                ratio);
    }

    private Map<String, Double> run(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(python);
        command.add(script);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            System.err.println("NumPy peer " + script + " failed: " + out.strip());
            return Map.of();
        }
        Map<String, Double> values = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\": ([0-9.eE+-]+)").matcher(out);
        while (m.find()) {
            values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return values;
    }
}
