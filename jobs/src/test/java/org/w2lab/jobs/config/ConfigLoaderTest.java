package org.w2lab.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per validation rule, and the grid expansion. Nothing here starts Spark. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Experiment load(String text, String... overrides) throws IOException {
        return Experiment.load(write("c.conf", text), List.of(overrides));
    }

    /** Loads an invalid config and returns its single problem, checked to name the file. */
    private String problem(String text, String... overrides) throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> load(text, overrides));
        assertEquals(1, e.problems().size(), e.problems().toString());
        String p = e.problems().get(0);
        assertTrue(p.contains("c.conf") || p.contains("--set"), "names the file or the override: " + p);
        return p;
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' not in: " + message);
        }
    }

    private static final String OK = "experiment = x\nparams { d = 5 }\n";

    @Test
    void unknownTopLevelKey() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3 }\nparms { d = 3 }\n"),
                "c.conf:4", "unknown top-level key 'parms'", "allowed");
    }

    @Test
    void unknownParameterKeyInABlock() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, stepz = 4 }\n"),
                "c.conf:3", "unknown key 'stepz'", "allowed", "steps");
    }

    @Test
    void unknownKeyInAnOverride() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3 }\n", "gama=0.1"),
                "--set gama=0.1", "unknown key 'gama'");
    }

    @Test
    void wrongTypeOfAnIntegerKey() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = ten }\n"),
                "c.conf:3", "'steps'", "ten", "an integer");
    }

    @Test
    void fractionalValueOfAnIntegerKey() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 2.5 }\n"), "'steps'", "2.5", "an integer");
    }

    @Test
    void wrongTypeOfANumberKey() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, eps = small }\n"), "'eps'", "small", "a number");
    }

    @Test
    void negativeSteps() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = -4 }\n"),
                "c.conf:3", "'steps'", "-4", "out of range", "[1, 10000000]");
    }

    @Test
    void negativeEps() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, eps = -0.1 }\n"), "'eps'", "-0.1", ">= 0.0");
    }

    @Test
    void epsNotBelowT() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, eps = 1.0 }\n"),
                "c.conf:3", "'eps' = 1.0", "0 <= eps < T", "T = 1.0");
    }

    @Test
    void betaMinAboveBetaMax() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, beta_min = 20 }\n"),
                "'beta_min' = 20.0", "beta_min <= beta_max", "beta_max = 10.0");
    }

    @Test
    void nonPositiveBeta() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, beta_min = 0 }\n"), "'beta_min'", "(0");
    }

    @Test
    void zetaOutOfRange() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, zeta = 25 }\n"), "'zeta'", "25", "20.0");
    }

    @Test
    void unknownSampler() throws IOException {
        assertMentions(problem(OK + "grid { sampler = euler_maruyama, steps = 3 }\n"),
                "'sampler'", "euler_maruyama", "[em, ei, ddpm, euler, heun, rk4, dpm_solver_1, dpm_solver_2, "
                + "dpm_solver_3, edm_heun, edm_stochastic, ddim, euler_ancestral, dpmpp_2m, dpmpp_2m_sde, dpmpp_3m_sde, "
                + "lms, unipc, sde, ode, ula, sgd]");
    }

    /** {@code eta} is read by the samplers that inject noise in proportion to it, within [0, 1]. */
    @Test
    void etaBelongsToTheNoiseScaledSamplers() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, eta = 0.5 }\n"), "'eta'",
                "[ddim, euler_ancestral, dpmpp_2m_sde, dpmpp_3m_sde, em] only");
        assertMentions(problem(OK + "grid { sampler = ddim, steps = 3, eta = 1.5 }\n"), "'eta'", "1.5", "1.0");
    }

    /**
     * Unset, {@code eta} is the sampler's default (0 for ddim, 1 for the others) and stays out of the id, so an
     * {@code em} configuration keeps the id it had before the key; set to another value it is part of the id.
     */
    @Test
    void etaDefaultsPerSamplerAndKeepsOldIds() throws IOException {
        Path f = dir.resolve("eta.conf");
        Files.writeString(f, "experiment = x\ngrid = [ { sampler = [em, ddim, euler_ancestral], steps = 3 }\n"
                + "{ sampler = em, steps = 3, eta = 1 }\n{ sampler = em, steps = 3, eta = 0.5 } ]\n");
        List<TaskSpec> tasks = Experiment.load(f, List.of()).tasks();
        // em with eta = 1 is the same computation as em unset: one configuration
        assertEquals(List.of(1.0, 0.0, 1.0, 0.5), tasks.stream().map(t -> t.diffusion().eta()).toList());
        assertTrue(!tasks.get(0).canonical().contains(";eta=") && tasks.get(3).canonical().contains(";eta=0.5"));
    }

    /** The multistep samplers take a learned score (its prediction follows the saved evaluations: 16.5). */
    @Test
    void learnedScoreTakesMultistepSamplers() throws IOException {
        for (String sampler : new String[] {"dpmpp_2m", "dpmpp_2m_sde", "dpmpp_3m_sde", "lms", "unipc"}) {
            Path f = Files.writeString(dir.resolve(sampler + ".conf"), OK + "grid { sampler = " + sampler
                    + ", steps = 3, score = learned, seeds = 0, n_train = 100, tau = 0.01, sgd_steps = 100000 }\n");
            assertEquals(1, Experiment.load(f, List.of()).tasks().size(), sampler);
        }
    }

    @Test
    void unknownInit() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, init = gaussian }\n"),
                "'init'", "gaussian", "p_T", "normal");
    }

    @Test
    void samplerNotSet() throws IOException {
        assertMentions(problem(OK + "grid { steps = 3 }\n"), "'sampler' is not set");
    }

    @Test
    void discreteSamplerWithoutStepsOrNfe() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun }\n"), "'heun'", "exactly one of 'nfe' and 'steps'",
                "neither");
    }

    @Test
    void discreteSamplerWithBothStepsAndNfe() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, nfe = 10, steps = 5 }\n"), "both are set");
    }

    @Test
    void nfeBelowOneStep() throws IOException {
        assertMentions(problem(OK + "grid { sampler = rk4, nfe = 3 }\n"), "'nfe' = 3", "4 evaluations per step",
                "nfe >= 4");
    }

    @Test
    void missingSpectrumFile() throws IOException {
        assertMentions(problem("experiment = x\ngrid { sampler = em, steps = 3, spectrum = nope.npy }\n"),
                "c.conf:2", "'spectrum' = 'nope.npy'", "nope.npy");
    }

    @Test
    void invalidSpectrumFile() throws IOException {
        write("bad.txt", "1\n-5\n");
        assertMentions(problem("experiment = x\ngrid { sampler = em, steps = 3, spectrum = bad.txt }\n"),
                "'spectrum' = 'bad.txt'", "index 1", "-5");
    }

    @Test
    void dimensionSetBesideASpectrumFile() throws IOException {
        write("s.txt", "1\n0.5\n");
        assertMentions(problem("experiment = x\ngrid { sampler = em, steps = 3, spectrum = s.txt, d = 4 }\n"),
                "'d' is set", "s.txt");
    }

    @Test
    void zipOfUnequalLengths() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, zip { steps = [1, 2], eps = [0] } }\n"),
                "c.conf:3", "zip keys need the same number of values", "eps=1", "steps=2");
    }

    @Test
    void malformedRange() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, eps = {linspace = [0, 1]} }\n"),
                "'eps'", "[from, to, num]");
    }

    @Test
    void logRangeThroughZero() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, eps = {logspace = [0, 0.1, 3]} }\n"),
                "logspace", "> 0");
    }

    @Test
    void emptyList() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = [] }\n"), "'steps' is an empty list");
    }

    @Test
    void missingExperimentName() throws IOException {
        assertMentions(problem("grid { sampler = em, steps = 3 }\n"), "'experiment' is missing");
    }

    @Test
    void experimentNameThatCannotBeAPartition() throws IOException {
        assertMentions(problem("experiment = \"a/b\"\ngrid { sampler = em, steps = 3 }\n"), "'experiment' = a/b");
    }

    @Test
    void missingConfigFile() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Experiment.load(dir.resolve("none.conf"), List.of()));
        assertMentions(e.getMessage(), "none.conf", "not found");
    }

    @Test
    void syntaxError() throws IOException {
        assertMentions(problem("experiment = x\ngrid { sampler = em, steps = 3 \n"), "c.conf");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(OK + "grid { sampler = em, steps = -1, eps = x, zeta = -2 }\n"));
        assertEquals(3, e.problems().size(), e.problems().toString());
    }

    @Test
    void gridIsTheProductOfAxesPerBlockAndBlocksAreConcatenated() throws IOException {
        Experiment e = load(OK + "params { eps = [0, 1e-3] }\n"
                + "grid = [ { sampler = [em, ei], nfe = [10, 20, 30] }\n { sampler = [sde, ode] } ]\n");
        assertEquals(2 * 3 * 2 + 2 * 2, e.tasks().size());
        assertEquals("em", e.tasks().get(0).sampler());
        assertTrue(e.tasks().stream().allMatch(t -> t.d() == 5));
    }

    @Test
    void blockValuesOverrideSharedParams() throws IOException {
        Experiment e = load(OK + "params { eps = [0, 1e-3, 1e-2] }\ngrid { sampler = em, steps = 4, eps = 0.5 }\n");
        assertEquals(1, e.tasks().size());
        assertEquals(0.5, e.tasks().get(0).eps());
    }

    @Test
    void zippedKeysAdvanceTogether() throws IOException {
        Experiment e = load(OK + "grid { sampler = em, zip { steps = [10, 20, 40], eps = [0.1, 0.01, 0.001] } }\n");
        assertEquals(List.of("10:0.1", "20:0.01", "40:0.001"),
                e.tasks().stream().map(t -> t.steps() + ":" + t.eps()).collect(Collectors.toList()));
    }

    @Test
    void linearAndLogRangesIncludeBothEnds() throws IOException {
        Experiment lin = load(OK + "grid { sampler = em, steps = 2, eps = {linspace = [0, 0.5, 6]} }\n");
        assertEquals(List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
                lin.tasks().stream().map(TaskSpec::eps).collect(Collectors.toList()));
        Experiment log = load(OK + "grid { sampler = em, nfe = {logspace = [10, 1000, 3]} }\n");
        assertEquals(List.of(10, 100, 1000), log.tasks().stream().map(TaskSpec::steps).collect(Collectors.toList()));
    }

    @Test
    void overridesReplaceAxesEverywhere() throws IOException {
        String text = OK + "grid = [ { sampler = em, nfe = 10, eps = [0, 0.1] }\n { sampler = ode, eps = 0.2 } ]\n";
        Experiment e = load(text, "eps=0.05", "d=7");
        assertEquals(2, e.tasks().size());
        assertTrue(e.tasks().stream().allMatch(t -> t.eps() == 0.05 && t.d() == 7));
        assertEquals(4, load(text, "eps=[0.01, 0.02]").tasks().size());
    }

    @Test
    void includesAndDefaults() throws IOException {
        write("base.conf", "params { d = 9, zeta = 2 }\n");
        Experiment e = load("include \"base.conf\"\nexperiment = x\ngrid { sampler = em, steps = 3 }\n");
        TaskSpec t = e.tasks().get(0);
        assertEquals(9, t.d());
        assertEquals(2.0, t.zeta());
        assertEquals(0.05, t.betaMin());
        assertEquals(10.0, t.betaMax());
        assertEquals(1.0, t.horizon());
        assertEquals("p_T", t.init());
        assertEquals(0.0, t.eps());
    }

    @Test
    void misspelledKeysAndValuesGetTheClosestName() throws IOException {
        assertMentions(problem(OK + "grid { sampler = hune, steps = 3 }\n"), "'hune'", "did you mean 'heun'?");
        assertMentions(problem(OK + "grid { sampler = em, stesp = 3 }\n"), "'stesp'", "did you mean 'steps'?");
        assertMentions(problem("experiment = x\ngird { sampler = em, steps = 3 }\n"), "did you mean 'grid'?");
        assertMentions(problem(OK + "grid { sampler = em, steps = 3 }\n", "particels=10"), "did you mean 'particles'?");
        // nothing close: no guess
        assertFalse(problem(OK + "grid { sampler = em, steps = 3, zzzzzz = 1 }\n").contains("did you mean"));
    }

    @Test
    void aMissingIncludeIsAnErrorNamingTheIncludingFileAndLine() throws IOException {
        write("base.conf", "params { d = 9 }\ninclude required(\"deeper.conf\")\n");
        ConfigException missing = assertThrows(ConfigException.class,
                () -> load("experiment = x\ninclude \"nowhere.conf\"\ngrid { sampler = em, steps = 3 }\n"));
        assertEquals(1, missing.problems().size(), missing.problems().toString());
        assertMentions(missing.problems().get(0), "c.conf:2:", "nowhere.conf", "no such file");
        ConfigException nested = assertThrows(ConfigException.class,
                () -> load("include file(\"base.conf\")\nexperiment = x\ngrid { sampler = em, steps = 3 }\n"));
        assertMentions(nested.problems().get(0), "base.conf:2:", "deeper.conf", "no such file");
    }

    @Test
    void nfeIsTheEvaluationsActuallyMade() throws IOException {
        Experiment e = load(OK + "grid { sampler = [em, heun, rk4], nfe = 50 }\n");
        assertEquals(List.of("em:50:50", "heun:25:50", "rk4:12:48"), e.tasks().stream()
                .map(t -> t.sampler() + ":" + t.steps() + ":" + t.nfe()).collect(Collectors.toList()));
    }

    @Test
    void continuousProcessesIgnoreStepsAndDuplicatesCollapse() throws IOException {
        Experiment e = load(OK + "grid { sampler = [ode, euler], nfe = [10, 20] }\n");
        assertEquals(3, e.tasks().size());
        TaskSpec ode = e.tasks().get(0);
        assertNull(ode.steps());
        assertNull(ode.nfe());
    }

    @Test
    void configIdIsAStableHashOfTheParametersNotOfTheExperimentOrGridOrder() throws IOException {
        TaskSpec a = load(OK + "grid { sampler = em, steps = [3, 4] }\n").tasks().get(0);
        TaskSpec b = load("experiment = y\nparams { d = 5 }\ngrid { steps = [4, 3], sampler = em }\n").tasks().get(1);
        assertEquals(a.configId(), b.configId());
        assertEquals(16, a.configId().length());
        TaskSpec c = load(OK + "grid { sampler = em, steps = 3, eps = 1e-9 }\n").tasks().get(0);
        assertNotEquals(a.configId(), c.configId());
    }

    @Test
    void spectrumFilesResolveAgainstTheConfigFolderAndAreIdentifiedByContent() throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        write("sub/s.txt", "1\n0.25\n0\n");
        write("t.txt", "1\n0.25\n0\n");
        Experiment e = load("experiment = x\ngrid { sampler = em, steps = 3, spectrum = [sub/s.txt, t.txt] }\n");
        assertEquals(1, e.tasks().size(), "same eigenvalues, same config");
        TaskSpec t = e.tasks().get(0);
        assertEquals(3, t.d());
        assertNull(t.zeta());
        assertEquals("s.txt", t.spectrum());
        assertEquals(1, e.spectra().size());
    }

    @Test
    void shippedPaperConfigsAreValid() {
        Experiment table = Experiment.load(Path.of("..", "conf", "pierret-table.conf"), List.of());
        assertEquals("pierret_table", table.name());
        // 6 schemes x 4 NFE x 4 eps x 2 inits, plus sde and ode x 4 eps x 2 inits
        assertEquals(6 * 4 * 4 * 2 + 2 * 4 * 2, table.tasks().size());
        assertTrue(table.tasks().stream().allMatch(t -> t.d() == 3072));
        for (String name : new String[] {"quickstart", "pierret-figure1"}) {
            assertTrue(Experiment.load(Path.of("..", "conf", name + ".conf"), List.of()).tasks().size() > 0);
        }
    }

    /**
     * Predictions at image scale: the 13 samplers that keep nothing between steps with a learned score, and the ULA
     * pipeline, at d = 3072, none with a seed or a particle.
     */
    @Test
    void shippedCifarPredictionsRunNoSeed() {
        Experiment e = Experiment.load(Path.of("..", "conf", "cifar10-predictions.conf"), List.of());
        assertEquals("cifar10_predictions", e.name());
        assertEquals(14, e.tasks().size());
        assertTrue(e.tasks().stream().allMatch(t -> t.d() == 3072 && !t.simulated()));
        assertEquals(1, e.tasks().stream().filter(t -> "ula".equals(t.sampler())).count());
    }

    /**
     * CIFAR-10 on particles: Pierret &amp; Galerne's six schemes at NFE 50 in the data's eigenbasis, far above the
     * 2^23 doubles of one block (so in chunks), and one random-basis configuration on the dense path.
     */
    @Test
    void shippedCifarParticlesRunsTheSixSchemesAndTheDensePath() {
        Experiment e = Experiment.load(Path.of("..", "conf", "cifar10-particles.conf"), List.of());
        assertEquals("cifar10_particles", e.name());
        assertEquals(7, e.tasks().size());
        assertTrue(e.tasks().stream().allMatch(t -> t.d() == 3072 && t.simulated()));
        assertEquals(java.util.Set.of("em", "ei", "ddpm", "euler", "heun", "rk4"), e.tasks().stream()
                .filter(t -> "identity".equals(t.basis())).map(TaskSpec::sampler)
                .collect(java.util.stream.Collectors.toSet()));
        assertTrue(e.tasks().stream().filter(t -> "identity".equals(t.basis()))
                .allMatch(t -> (long) t.d() * t.particles() > org.w2lab.simulation.ParticleSimulation.BLOCK_DOUBLES));
        assertEquals(1, e.tasks().stream().filter(t -> "random".equals(t.basis())).count());
    }

    @Test
    void shippedShootoutCoversEverySamplerGridBudgetAndScore() {
        Experiment e = Experiment.load(Path.of("..", "conf", "sampler-shootout.conf"), List.of());
        assertEquals("sampler_shootout", e.name());
        // VP: 18 samplers x 3 schedules x 3 grids x 5 budgets x (exact + three deltas + learned at two N x two tau);
        // flow: the 16 samplers of the flow x 3 grids x 5 budgets x the same 8 scores (a learned velocity)
        int vp = 18 * 3 * 3 * 5 * 8;
        int flow = 16 * 3 * 5 * 8;
        assertEquals(vp + flow, e.tasks().size());
        assertEquals((vp + flow) / 5, e.tasks().stream().map(t -> t.sampler() + t.diffusion().process()
                + t.diffusion().schedule() + t.diffusion().grid() + t.diffusion().delta() + t.diffusion().nTrain()
                + t.diffusion().training()).distinct().count());
        assertEquals(18, e.tasks().stream().map(TaskSpec::sampler).distinct().count());
        assertTrue(e.tasks().stream().filter(t -> t.diffusion().learned()).noneMatch(TaskSpec::simulated),
                "the learned half is the prediction alone");
        for (TaskSpec t : e.tasks()) {
            // round(nfe, -1) is the budget: within 2 evaluations of it, never above it
            long budget = Math.round(t.nfe() / 10.0) * 10;
            assertTrue(t.nfe() <= budget && budget - t.nfe() <= 2, t.canonical() + " nfe " + t.nfe());
        }
    }

    @Test
    void oneParticleCannotBeFitted() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, particles = 1 }\n"),
                "c.conf:3", "'particles' = 1", "allowed 0", ">= 2");
    }

    /**
     * A learned velocity on the flow (docs/theory.md 18.4) is accepted, with the number of SGD steps its slowest level
     * needs: the rate {@code tau lambda_min / (1 + lambda_min)} (0.002 here: 2301 steps), not VP's
     * {@code tau min(lambda_min, 1)} (0.0025: 1840).
     */
    @Test
    void aLearnedVelocityOnTheFlowNeedsItsOwnSgdSteps() throws IOException {
        String flow = "experiment = x\ngrid { process = flow, T = 0.999, eps = 1e-3, sampler = euler, steps = 5, d = 4, "
                + "score = learned, n_train = 100, tau = 0.01, seeds = 0, sgd_steps = ";
        assertMentions(problem(flow + "2000 }\n"), "'sgd_steps' = 2000", "allowed sgd_steps >= 2301",
                "lambda_min / (1 + lambda_min) = 0.2");
        assertEquals(1, Experiment.load(Files.writeString(dir.resolve("flow.conf"), flow + "2301 }\n"), List.of())
                .tasks().size());
    }

    /**
     * ula holds its chains in one block; a diffusion seed holds its particles in chunks, so only the sliced
     * estimate's 64 projections of each particle bound it.
     */
    @Test
    void particlesMustFitInMemory() throws IOException {
        assertMentions(problem("experiment = x\ngrid { sampler = ula, sigma = 0.5, tau = 0.01, gamma = 0.01, "
                + "n_train = 100, sgd_steps = 1000000, steps = 3, d = 10000, particles = 20000 }\n"),
                "c.conf:2", "'particles' = 20000", "d = 10000", "allowed d * particles <= " + Param.MAX_BLOCK);
        assertMentions(problem("experiment = x\ngrid { sampler = em, steps = 3, d = 4, particles = 3000000 }\n"),
                "c.conf:2", "'particles' = 3000000", "64 projections", "allowed particles <= 2097152");
        assertTrue(Experiment.load(Files.writeString(dir.resolve("big.conf"), "experiment = x\ngrid { sampler = em, "
                + "steps = 3, d = 100000, particles = 10000 }\n"), List.of()).tasks().size() == 1);
    }

    /**
     * The samplers that hold d x d matrices (ula and sgd: the SGD iterate; a learned or perturbed score: the score and
     * the full-matrix law) are refused past d^2 = 2^27 with the numbers, before any Spark job.
     */
    @Test
    void denseMatricesMustFitInMemory() throws IOException {
        assertMentions(problem("experiment = x\ngrid { sampler = ula, steps = 10, d = 50000, sigma = 0.5, gamma = 0.1, "
                + "tau = 0.01, n_train = 100, sgd_steps = 100000 }\n"), "c.conf:2", "sampler 'ula'", "d = 50000",
                "2500000000 doubles each (18.6 GiB)", "allowed d <= 11585");
        assertMentions(problem("experiment = x\ngrid { sampler = heun, steps = 3, d = 20000, score = perturbed, "
                + "delta = 0.1 }\n"), "score 'perturbed'", "d = 20000", "allowed d <= 11585");
    }

    @Test
    void unknownBasis() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, basis = haar }\n"),
                "c.conf:3", "'basis'", "haar", "identity", "random");
    }

    @Test
    void seedsOutOfRange() throws IOException {
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, particles = 10, seeds = -1 }\n"),
                "c.conf:3", "'seeds'", "-1", "[0, 100000]");
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, particles = 10, seeds = 0 }\n"),
                "c.conf:3", "'seeds' = 0", "allowed only with score = learned", "allowed seeds >= 1");
    }

    @Test
    void oneConfigurationHasOneSeedCount() throws IOException {
        assertMentions(problem(OK + "grid = [ { sampler = em, steps = 3, particles = 10, seeds = 4 }\n"
                + "{ sampler = em, steps = 3, particles = 10, seeds = 8 } ]\n"), "c.conf:4", "'seeds' = 8", "seeds = 4");
    }

    @Test
    void simulationKeysEnterTheIdButNotTheSeedCount() throws IOException {
        TaskSpec theory = load(OK + "grid { sampler = em, steps = 3 }\n").tasks().get(0);
        TaskSpec simulated = load(OK + "grid { sampler = em, steps = 3, particles = 10 }\n").tasks().get(0);
        TaskSpec moreSeeds = load(OK + "grid { sampler = em, steps = 3, particles = 10, seeds = 20 }\n").tasks().get(0);
        TaskSpec rotated = load(OK + "grid { sampler = em, steps = 3, particles = 10, basis = random }\n").tasks()
                .get(0);
        assertNull(theory.particles());
        assertEquals(8, simulated.seeds());
        assertNotEquals(theory.configId(), simulated.configId());
        assertEquals(simulated.configId(), moreSeeds.configId());
        assertNotEquals(simulated.configId(), rotated.configId());
        // a theory-only configuration keeps the id it had before the simulation keys existed
        assertEquals(-1, theory.canonical().indexOf("particles"));
    }

    @Test
    void continuousProcessesAreNotSimulated() throws IOException {
        TaskSpec sde = load(OK + "grid { sampler = sde, particles = 100 }\n").tasks().get(0);
        assertNull(sde.particles());
        assertNull(sde.seeds());
    }

    private static final String ULA = "experiment = x\nparams { sampler = ula, d = 4, zeta = 1, sigma = 0.5, "
            + "gamma = 0.05, n_train = 100, sgd_steps = 5000, steps = 100 }\n";

    @Test
    void ulaConfigurationLoadsWithItsKeysInTheId() throws IOException {
        Experiment e = load(ULA + "grid { tau = [0.01, 0.02], particles = 64, seeds = 3 }\n");
        assertEquals(2, e.tasks().size());
        TaskSpec t = e.tasks().get(0);
        assertEquals(0.01, t.langevin().tau());
        assertEquals(3, t.seeds());
        assertTrue(t.canonical().contains(";tau=0.01;"), t.canonical());
        assertNotEquals(t.configId(), e.tasks().get(1).configId());
    }

    @Test
    void ulaStepsPastTheBoundsAreRejectedWithTheBound() throws IOException {
        // lambda_max + sigma^2 = 1.25: tau < 1.6
        assertMentions(problem(ULA + "grid { tau = 1.7 }\n"), "c.conf:3", "'tau' = 1.7",
                "tau < 2 / max(lambda_max + sigma^2, 1) = 1.6");
        // lambda_min + sigma^2 = 0.5: gamma < 1
        assertMentions(problem(ULA + "grid { tau = 0.01, gamma = 1.5 }\n"), "'gamma' = 1.5", "= 1.0");
    }

    @Test
    void ulaNeedsEnoughSgdStepsForItsMeanToSettle() throws IOException {
        // (1 - 0.01 * 0.5)^K <= 0.01 needs K >= 919
        assertMentions(problem(ULA + "grid { tau = 0.01, sgd_steps = 500 }\n"), "'sgd_steps' = 500",
                "sgd_steps >= 919");
    }

    @Test
    void keysOfOneFamilyAreRejectedInTheOther() throws IOException {
        assertMentions(problem(ULA + "grid { tau = 0.01, eps = 0.1 }\n"), "'eps'", "does not apply to sampler 'ula'");
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, tau = 0.1 }\n"), "'tau'",
                "does not apply to sampler 'em'");
        assertMentions(problem("experiment = x\ngrid { sampler = ula, steps = 3, gamma = 0.01, tau = 0.01, "
                + "n_train = 5, sgd_steps = 100000 }\n"), "needs key 'sigma'");
    }

    @Test
    void aDataMeanTightensTheSgdBoundAndKeepsTheCentredIds() throws IOException {
        // mu = 2, d = 4, identity basis: m = (1, 1, 1, 1), so H_mu = diag(lambda + sigma^2, 0) + the all-ones 5 x 5
        double[] lambda = org.w2lab.spectrum.Spectrum.powerLaw(4, 1).lambda();
        double[][] h = new double[5][5];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                h[i][j] = 1 + (i == j && i < 4 ? lambda[i] + 0.25 : 0);
            }
        }
        double top = 0;
        for (double v : new org.apache.commons.math3.linear.EigenDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(h)).getRealEigenvalues()) {
            top = Math.max(top, v);
        }
        // tau = 0.5 is inside the centred bound 1.6 and past 2 / lambda_max(H_mu)
        assertTrue(0.5 > 2 / top);
        load(ULA + "grid { tau = 0.5 }\n");
        String message = problem(ULA + "grid { tau = 0.5, mu = 2 }\n");
        assertMentions(message, "c.conf:3", "'tau' = 0.5", "tau < 2 / lambda_max(H_mu) = ", "mu = 2.0");
        java.util.regex.Matcher bound = java.util.regex.Pattern.compile("H_mu\\) = ([0-9.E-]+)").matcher(message);
        assertTrue(bound.find(), message);
        assertEquals(2 / top, Double.parseDouble(bound.group(1)), 1e-12);
        // the mean's slowest rate, the smallest eigenvalue of H_mu, asks for more SGD steps than centred data
        assertMentions(problem(ULA + "grid { tau = 0.01, mu = 2, sgd_steps = 1000 }\n"), "'sgd_steps' = 1000",
                "smallest eigenvalue of H_mu");
        load(ULA + "grid { tau = 0.01, sgd_steps = 1000 }\n");
        // mu = 0 is the configuration of before; any other mu is another configuration
        String centred = load(ULA + "grid { tau = 0.01 }\n").tasks().get(0).configId();
        assertEquals(centred, load(ULA + "grid { tau = 0.01, mu = 0 }\n").tasks().get(0).configId());
        TaskSpec shifted = load(ULA + "grid { tau = 0.01, mu = 0.5 }\n").tasks().get(0);
        assertNotEquals(centred, shifted.configId());
        assertTrue(shifted.canonical().endsWith(";mu=0.5"), shifted.canonical());
        assertMentions(problem(ULA.replace("d = 4", "d = 40") + "grid { tau = 0.01, mu = 1 }\n"), "'mu' = 1.0",
                "d <= 32");
        assertMentions(problem(OK + "grid { sampler = em, steps = 3, mu = 1 }\n"), "'mu'",
                "does not apply to sampler 'em'");
    }

    private static final String SGD = "experiment = x\nparams { sampler = sgd, d = 3, zeta = 1, sigma = 0.5, "
            + "n_train = 100, sgd_steps = 5000 }\n";

    @Test
    void sgdConfigurationIsSimulatedWithoutParticles() throws IOException {
        Experiment e = load(SGD + "grid { tau = [0.01, 0.02], seeds = 64 }\n");
        TaskSpec t = e.tasks().get(0);
        assertTrue(t.sgdOnly() && t.simulated() && !t.continuous());
        assertNull(t.particles());
        assertNull(t.langevin().gamma());
        assertEquals(64, t.seeds());
        assertNotEquals(t.configId(), e.tasks().get(1).configId());
        // the same keys under sampler ula are another configuration
        assertNotEquals(t.configId(), load(ULA + "grid { tau = 0.01, particles = 64 }\n").tasks().get(0).configId());
    }

    @Test
    void sgdRejectsTheKeysOfLangevinAndAnAveragedIterate() throws IOException {
        for (String key : List.of("gamma = 0.05", "steps = 10", "particles = 100", "kernel_points = 3")) {
            assertMentions(problem(SGD + "grid { tau = 0.01, " + key + " }\n"), "'" + key.split(" ")[0] + "'",
                    "does not apply to sampler 'sgd'");
        }
        assertMentions(problem(SGD + "grid { tau = 0.01, sgd_iterate = average }\n"), "'sgd_iterate' = 'average'",
                "allowed 'final'");
        assertMentions(problem(SGD + "grid { tau = 0.01, seeds = 1 }\n"), "'seeds' = 1", "allowed seeds >= 2");
        assertMentions(problem(SGD + "grid { tau = 1.7 }\n"), "'tau' = 1.7", "= 1.6");
        assertMentions(problem("experiment = x\ngrid { sampler = sgd, sigma = 0.5, n_train = 5, sgd_steps = 100 }\n"),
                "sampler 'sgd' needs key 'tau'");
    }

    // the process, grid, churn and score keys of the diffusion samplers

    @Test
    void newKeysAtTheirDefaultsKeepTheIdsOfEarlierConfigurations() throws IOException {
        TaskSpec before = load(OK + "grid { sampler = heun, steps = 7 }\n").tasks().get(0);
        TaskSpec explicit = load(OK + "grid { sampler = heun, steps = 7, grid = uniform, process = vp, "
                + "score = exact }\n").tasks().get(0);
        assertEquals(before.configId(), explicit.configId());
        assertEquals(before.canonical(), explicit.canonical());
        for (String key : List.of("grid", "process", "score", "rho", "ratio", "delta", "s_churn", "sigma_min")) {
            assertTrue(!before.canonical().contains(key + "="), key + " in " + before.canonical());
        }
    }

    @Test
    void newKeysEnterTheIdWhereTheyApply() throws IOException {
        Experiment e = load(OK + "grid = [\n{ sampler = heun, steps = 7, grid = exponential, ratio = [0.9, 0.8] }\n"
                + "{ sampler = heun, steps = 7, score = perturbed, delta = [0.1, 0.2] }\n"
                + "{ sampler = edm_stochastic, steps = 7, s_churn = [1, 2] }\n"
                + "{ sampler = heun, steps = 7, process = ve, sigma_max = [40, 50] }\n]\n");
        assertEquals(8, e.tasks().stream().map(TaskSpec::configId).distinct().count());
    }

    @Test
    void noiseLevelSamplersLoadWithTheirEvaluations() throws IOException {
        Experiment e = load(OK + "grid { sampler = [dpm_solver_1, dpm_solver_2, dpm_solver_3, edm_heun], nfe = 10, "
                + "eps = 1e-3 }\n");
        assertEquals(List.of("dpm_solver_1:10:10", "dpm_solver_2:5:10", "dpm_solver_3:3:9", "edm_heun:5:10"),
                e.tasks().stream().map(t -> t.sampler() + ":" + t.steps() + ":" + t.nfe()).toList());
    }

    @Test
    void nfeBudgetCountsEdmsLastStepToZeroNoiseAsOneEvaluation() throws IOException {
        // at eps = 0 the last step of EDM ends at noise level 0 and makes one evaluation: 2N - 1 <= 9 gives N = 5
        TaskSpec t = load(OK + "grid { sampler = edm_heun, nfe = 9, eps = 0 }\n").tasks().get(0);
        assertEquals(5, t.steps());
        assertEquals(9, t.nfe());
        TaskSpec churned = load(OK + "grid { sampler = edm_stochastic, s_churn = 5, steps = 5, eps = 0 }\n").tasks()
                .get(0);
        assertEquals(9, churned.nfe());
        TaskSpec truncated = load(OK + "grid { sampler = edm_heun, nfe = 9, eps = 1e-3 }\n").tasks().get(0);
        assertEquals(4, truncated.steps());
        assertEquals(8, truncated.nfe());
    }

    @Test
    void unknownGridProcessOrScore() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, grid = cosine }\n"), "'grid'", "cosine",
                "uniform", "exponential", "edm");
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, process = subvp }\n"), "'process'", "subvp",
                "vp", "ve");
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, score = oracle }\n"), "'score'", "oracle",
                "exact", "perturbed", "learned");
    }

    @Test
    void exponentialGridNeedsARatio() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, grid = exponential }\n"), "'ratio'",
                "is required", "0 < r <= 1");
    }

    @Test
    void ratioOutOfRange() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, grid = exponential, ratio = 1.5 }\n"),
                "c.conf:3", "'ratio'", "1.5", "1.0]");
    }

    @Test
    void ratioOnAnotherGridIsRejected() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, ratio = 0.9 }\n"), "c.conf:3",
                "'ratio' = 0.9 does not apply", "grid 'exponential' only", "grid is 'uniform'");
    }

    @Test
    void rhoOnAnotherGridIsRejected() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, grid = exponential, ratio = 0.9, rho = 3 }\n"),
                "'rho' = 3.0 does not apply", "grid 'edm' only", "grid is 'exponential'");
    }

    @Test
    void gridTooFineForDoublePrecisionIsRejected() throws IOException {
        assertMentions(problem(OK + "grid { sampler = euler, steps = 2000, grid = exponential, ratio = 0.5 }\n"),
                "'grid' = 'exponential'", "steps = 2000", "decrease strictly");
    }

    @Test
    void samplersOfTheVpDriftAreRejectedOnVe() throws IOException {
        assertMentions(problem(OK + "grid { sampler = ei, steps = 3, process = ve }\n"), "c.conf:3",
                "'process' = 've' with sampler 'ei'", "VP drift", "allowed process 'vp'");
        assertMentions(problem(OK + "grid { sampler = ddpm, steps = 3, process = ve }\n"),
                "'process' = 've' with sampler 'ddpm'", "allowed process 'vp'");
    }

    @Test
    void keysOfTheOtherProcessAreRejected() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, sigma_max = 80 }\n"),
                "'sigma_max' = 80.0 does not apply", "process 've' only", "process is 'vp'");
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, process = ve, beta_max = 20 }\n"),
                "'beta_max' = 20.0 does not apply", "process 'vp' only", "process is 've'");
    }

    @Test
    void veSigmaMinBelowSigmaMax() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, process = ve, sigma_min = 60 }\n"),
                "'sigma_min' = 60.0", "sigma_min < sigma_max", "sigma_max = 50.0");
    }

    @Test
    void churnKeysOfAnotherSamplerAreRejected() throws IOException {
        assertMentions(problem(OK + "grid { sampler = edm_heun, steps = 3, s_churn = 10 }\n"),
                "'s_churn' = 10.0 does not apply", "sampler 'edm_stochastic' only", "sampler is 'edm_heun'");
    }

    @Test
    void edmStochasticNeedsSChurn() throws IOException {
        assertMentions(problem(OK + "grid { sampler = edm_stochastic, steps = 3 }\n"), "'s_churn' is required",
                "S_churn");
    }

    @Test
    void sTminAboveSTmax() throws IOException {
        assertMentions(problem(OK + "grid { sampler = edm_stochastic, steps = 3, s_churn = 5, s_tmin = 2, "
                + "s_tmax = 1 }\n"), "'s_tmin' = 2.0", "s_tmin <= s_tmax", "s_tmax = 1.0");
    }

    @Test
    void perturbedScoreNeedsDelta() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, score = perturbed }\n"), "'delta' is required",
                "[0.0, 1000.0]");
    }

    private static final String LEARNED = OK + "params { sampler = ei, steps = 10, score = learned, n_train = 100, "
            + "sgd_steps = 3000 }\n";

    @Test
    void learnedScoreRunsItsSeedsWithOrWithoutParticles() throws IOException {
        Experiment e = load(LEARNED + "grid { tau = [0.01, 0.02], particles = [0, 64] }\n");
        TaskSpec t = e.tasks().get(0);
        assertTrue(t.simulated() && t.diffusion().learned());
        assertNull(t.particles());
        assertEquals(8, t.seeds());
        assertEquals(new org.w2lab.score.NoiseLevelTraining(0.01, 3000, 1), t.diffusion().training());
        assertEquals(100, t.diffusion().nTrain());
        assertEquals(64, e.tasks().get(1).particles());
        assertMentions(t.canonical(), ";score=learned;n_train=100;tau=0.01;sgd_steps=3000;batch=1");
        assertEquals(4, e.tasks().stream().map(TaskSpec::configId).distinct().count());
    }

    @Test
    void trainingKeysWithoutALearnedScoreAreRejected() throws IOException {
        for (String key : List.of("tau = 0.01", "n_train = 10", "sgd_steps = 100", "batch = 2")) {
            assertMentions(problem(OK + "grid { sampler = heun, steps = 3, score = perturbed, delta = 0.1, " + key
                    + " }\n"), "'" + key.split(" ")[0] + "'", "does not apply to sampler 'heun'",
                    "with score = learned");
        }
    }

    @Test
    void learnedScoreWithoutSeedsIsThePredictionAlone() throws IOException {
        TaskSpec t = load(LEARNED + "grid { tau = 0.01, seeds = 0 }\n").tasks().get(0);
        assertTrue(t.diffusion().learned());
        assertFalse(t.simulated());
        assertNull(t.seeds());
        assertMentions(problem(LEARNED + "grid { tau = 0.01, seeds = 0, particles = 64 }\n"), "c.conf:4",
                "'seeds' = 0", "no particles");
    }

    @Test
    void learnedScoreNeedsItsKeys() throws IOException {
        assertMentions(problem(OK + "grid { sampler = ei, steps = 3, score = learned, tau = 0.01, sgd_steps = 3000 }\n"),
                "score 'learned' needs key 'n_train'");
    }

    @Test
    void learnedTauBelowTheStabilityBoundOfEveryLevel() throws IOException {
        // lambda_max = 1 for the power law: 2 / max(lambda_max, 1) = 2
        assertMentions(problem(LEARNED + "grid { tau = 2.5 }\n"), "c.conf:4", "'tau' = 2.5",
                "allowed 0 < tau < 2 / max(lambda_max, 1) = 2.0");
    }

    @Test
    void learnedNeedsEnoughSgdStepsAtEveryLevel() throws IOException {
        // lambda_min = 1/5 at the least noisy level EI evaluates; the message's least K is the least: K - 1 fails
        String problem = problem(LEARNED + "grid { tau = 0.01, sgd_steps = 300 }\n");
        assertMentions(problem, "'sgd_steps' = 300", "at lambda = 0.2", "the least noisy level the sampler evaluates");
        int least = leastSgdSteps(problem);
        assertTrue(least > 300, problem);
        problem(LEARNED + "grid { tau = 0.01, sgd_steps = " + (least - 1) + " }\n");
        load(LEARNED + "grid { tau = 0.01, sgd_steps = " + least + " }\n");
    }

    private static int leastSgdSteps(String problem) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("allowed sgd_steps >= (\\d+)").matcher(problem);
        assertTrue(m.find(), problem);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void learnedStepsIgnoreEigenvaluesFarBelowTheSmallestNoiseLevel() throws IOException {
        // an eigenvalue 0 or 1e-9 has its optimum (lambda / (lambda + sigma^2) <= 1e-5 at sigma(1e-3)^2 ~ 1e-4) where
        // SGD starts (Heun evaluates at eps): only 0.25 needs steps, about (1 - 0.01 * 0.25)^K <= 0.01, K ~ 1840 (the rule
        // tau lambda_min K >= 4.6 would ask for 4.6e11)
        write("s.txt", "1\n0.25\n0\n1e-9\n");
        String config = "experiment = x\ngrid { sampler = heun, steps = 10, eps = 1e-3, spectrum = s.txt, "
                + "score = learned, n_train = 100, seeds = 0, tau = 0.01, sgd_steps = ";
        String problem = problem(config + "1000 }\n");
        assertMentions(problem, "'sgd_steps' = 1000", "at lambda = 0.25");
        int least = leastSgdSteps(problem);
        assertTrue(least > 1700 && least < 1900, problem);
        load(config + least + " }\n");
    }

    @Test
    void learnedMultistepSamplersStopAtTheirCost() throws IOException {
        // 10 steps, only the end recorded: 3 x 10 + 10 / 10 = 31 pair-steps a pair, so 1e8 from d (d - 1) / 2 >
        // 3.23e6, d = 2541; recording every step adds (10 + 55) / 10 - 1 = 5.5 a pair, and d = 2400 passes the bound
        // only without it
        String config = OK + "grid { d = 2541, steps = 10, record_every = 0, score = learned, n_train = 100, seeds = 0, "
                + "tau = 0.01, sgd_steps = 2000000, sampler = ";
        assertMentions(problem(config + "lms }\n"), "sampler 'lms' with score 'learned', d = 2541, 10 steps and "
                + "record_every = 0", "= 1.000e+08 pair-steps", "allowed <= 1e+08");
        load(config + "heun }\n");
        load(config.replace("d = 2541", "d = 2540") + "lms }\n");
        load(config.replace("d = 2541", "d = 2400") + "lms }\n");
        assertMentions(problem(config.replace("d = 2541", "d = 2400").replace("record_every = 0", "record_every = 1")
                + "lms }\n"), "record_every = 1", "= 1.051e+08 pair-steps");
    }

    @Test
    void deltaWithTheExactScoreIsRejected() throws IOException {
        assertMentions(problem(OK + "grid { sampler = heun, steps = 3, delta = 0.1 }\n"),
                "'delta' = 0.1 does not apply", "score 'perturbed' only");
    }

    @Test
    void continuousProcessesTakeNoGridAndNoScoreError() throws IOException {
        assertMentions(problem(OK + "grid { sampler = sde, grid = edm }\n"), "'grid' = edm does not apply",
                "continuous process");
        assertMentions(problem(OK + "grid { sampler = ode, score = perturbed, delta = 0.1 }\n"),
                "'score' = perturbed does not apply", "continuous process");
    }

    @Test
    void diffusionKeysAreRejectedForLangevin() throws IOException {
        for (String key : List.of("grid = edm", "process = ve", "score = exact", "s_noise = 1")) {
            assertMentions(problem(ULA + "grid { tau = 0.01, " + key + " }\n"), "'" + key.split(" ")[0] + "'",
                    "does not apply to sampler 'ula'");
        }
    }
}
