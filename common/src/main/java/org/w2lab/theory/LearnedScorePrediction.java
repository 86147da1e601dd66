package org.w2lab.theory;

import static org.w2lab.theory.LaneMaps.dot;
import static org.w2lab.theory.LaneMaps.quadratic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.ExactVpScore;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.MultistepScheme;
import org.w2lab.sampler.ScoreUndefinedException;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.score.NoiseLevelTraining;
import org.w2lab.score.SgdStationaryLaw;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.wasserstein.BuresExpansion;

/**
 * The expected squared W2 error along the trajectory of a diffusion sampler whose score is learned at every noise
 * level (a linear denoiser per level, trained by DSM-SGD on one training set of {@code N} samples), predicted from
 * the configuration alone to first order in {@code tau} and {@code 1 / N} (docs/theory.md, 15.3; Hurault et al.,
 * Theorem 3 and Corollary 2). The denoiser of level {@code t} is the optimum plus the first-order fluctuations of
 * 10.2 and 10.4 at {@code (sigma_t, tau_t)}: an optimization part independent from level to level, and a
 * generalization part driven by the one training set's covariance error {@code E} and sample mean, so correlated
 * across levels, plus the dataset optimum's bias. {@code E W2^2} is expanded to second order around the exact-score
 * law (10.6). With that law diagonal, the expansion splits into one-dimensional problems (the diagonal entries of
 * the denoisers and {@code b}) and two-dimensional ones (each pair {@code i < j} of eigenvalues, its two
 * off-diagonal entries): no cross term between different pairs survives the average. Each problem's first and second
 * derivatives are taken by central differences of the full-matrix step (so every sampler is covered as it is
 * run), the fluctuations of one level over the one or two steps that use it, the generalization directions over the
 * whole trajectory. The pairs and each coordinate's own levels take a closed form instead where a step can be read
 * off: as a polynomial in its evaluations for a sampler that keeps nothing between steps ({@link StepPolynomial},
 * {@link StepTerms}), as a matrix on the carried values affine in its one evaluation for a multistep sampler
 * ({@link LaneMaps}, read back through the adjoint from each recorded step; {@link SavedValueDirection}); both
 * {@code O(d^2 N)}. No random numbers.
 */
public final class LearnedScorePrediction {
    /**
     * The difference step of a diagonal entry where a sampler that keeps nothing between steps has no
     * {@link StepPolynomial} (and in the differences' reference), against the entry's standard deviation: the law over
     * the level's window is a polynomial in the entry, so central differences at {@code h} and {@code 2h} with their
     * {@code h^2} error cancelled ({@code richardson}) leave {@code O(h^4)} and round-off {@code O(eps / h^2)}; at 0.1
     * and 0.2 they agree with the closed form ({@link Run#diagonalMove}) within 5.2e-11 relative
     * (LearnedScoreClosedFormTest); at 0.025 round-off reached 2e-10 there, a plain difference at 1e-3 4.1e-6 in the
     * shoot-out.
     */
    private static final double STEP = 1e-1;
    /**
     * The training set's direction's difference step against its standard deviation: with the {@code h^2} error
     * cancelled ({@code richardson}) the error is {@code O(h^4)} plus round-off {@code O(eps / h^2)}; at 0.05 the
     * closed form agrees within 4e-11 (at 1e-3 without cancellation, round-off reached 5e-8).
     */
    private static final double DIRECTION_STEP = 5e-2;

    private final Spectrum spectrum;
    private final ForwardProcess process;
    private final NoiseLevelTraining training;
    private final int n;
    /**
     * Whether the pairs take their closed form where a sampler's steps can be read off (docs/theory.md 15.3); false:
     * differences for every sampler (the tests' reference).
     */
    private final boolean closedForm;

    /**
     * @param n training samples; 0 for fresh samples at every SGD step ({@code N = infinity})
     */
    public LearnedScorePrediction(Spectrum spectrum, ForwardProcess process, NoiseLevelTraining training, int n) {
        this(spectrum, process, training, n, true);
    }

    LearnedScorePrediction(Spectrum spectrum, ForwardProcess process, NoiseLevelTraining training, int n,
                           boolean closedForm) {
        this.spectrum = spectrum;
        this.process = process;
        this.training = training;
        this.n = n;
        this.closedForm = closedForm;
    }

    /**
     * The smallest noise level {@code sigma(t)} at which the sampler evaluates its score on {@code grid}: the least
     * noisy level a learned score is trained at (docs/theory.md 15.1).
     */
    public static double smallestNoiseLevel(DiscreteScheme scheme, TimeGrid grid, ForwardProcess process) {
        EvaluationLevels levels = EvaluationLevels.of(scheme, grid, process);
        double smallest = Double.POSITIVE_INFINITY;
        for (int e = 0; e < levels.count(); e++) {
            smallest = Math.min(smallest, process.noiseLevel(levels.time(e)));
        }
        return smallest;
    }

    /**
     * The work of a prediction with a sampler that keeps values between steps, in pair-steps of about a microsecond
     * on one core (docs/theory.md 16.5): for each of the {@code d (d - 1) / 2} pairs, the training set's direction
     * carried over the {@code N} steps and the levels' exact-score laws (about 3 units a step, measured 1.1-1.9 and
     * 0.5-0.6 microseconds), and the adjoint from every recorded step {@code k} back over its {@code k} steps (0.1
     * each).
     */
    public static double pairSteps(int d, int steps, int recordEvery) {
        Recorder recorder = new Recorder(steps, recordEvery);
        double read = steps;
        for (int k = 0; k <= steps; k++) {
            if (recorder.wants(k)) {
                read += k;
            }
        }
        return (double) d * (d - 1) / 2 * (3.0 * steps + read / 10);
    }

    /**
     * The predicted {@code sqrt(E W2^2)} of the sampler's law at the recorded steps (against
     * {@code p_{T - s_k}}) and at the end (against {@code p_data}).
     */
    public TheoryResult discrete(DiscreteScheme scheme, TimeGrid grid, Init init, int recordEvery) {
        EvaluationLevels levels = EvaluationLevels.of(scheme, grid, process);
        Recorder empty = new Recorder(grid.steps(), 0);
        for (int e = 0; e < levels.count(); e++) {
            if (!(process.noise(levels.time(e)) > 0)) {
                return empty.result(TheoryResult.Status.SCORE_UNDEFINED, Double.NaN);
            }
        }
        Run run;
        try {
            run = new Run(scheme, grid, levels, new SpectralTheory(spectrum, process).initialVariances(init),
                    recordEvery);
        } catch (ScoreUndefinedException ex) {
            return empty.result(TheoryResult.Status.SCORE_UNDEFINED, Double.NaN);
        }
        if (!run.finite()) {
            return empty.result(TheoryResult.Status.DIVERGED, Double.NaN);
        }
        return run.predict();
    }

    /**
     * Whether the pairs of {@link #discrete} take their closed form for this sampler and grid (with the
     * {@code closedForm} flag set), rather than falling back to the differences where a step is not of the form.
     */
    boolean takesClosedForm(DiscreteScheme scheme, TimeGrid grid) {
        Run run = new Run(scheme, grid, EvaluationLevels.of(scheme, grid, process),
                new SpectralTheory(spectrum, process).initialVariances(Init.NORMAL), 0);
        return run.polynomials != null || run.lanes != null;
    }

    /** One prediction: the exact-score reference, the recorded points and the sums over the sub-problems. */
    private final class Run {
        private final DiscreteScheme scheme;
        private final TimeGrid grid;
        private final EvaluationLevels levels;
        private final int steps;
        private final int d;
        /** The exact-score variances {@code v[i][k]} and the factors {@code a[i][k]} of the means over step k. */
        private final double[][] v;
        private final double[][] a;
        /** The SGD law of each level, first order (10.2, 10.4), with the steps of {@code A} ... */
        private final SgdStationaryLaw[] laws;
        /** ... and each level's steps and start (on the flow, the velocity's SGD: 18.4). */
        private final NoiseLevelTraining.Level[] sgd;
        private final Map<Long, Integer> levelOf = new HashMap<>();
        private final List<List<Integer>> endingAt = new ArrayList<>();
        /** The levels whose window has begun but not ended at each step. */
        private final List<List<Integer>> openAt = new ArrayList<>();
        /** The recorded steps, then {@code steps} again for the error to {@code p_data}. */
        private final int[] points;
        /** Which point step {@code k} feeds, or -1; the last point is the one against {@code p_data}. */
        private final int[] pointOf;
        private final double[] expected;
        private final Recorder recorder;
        /**
         * Whether the sampler saves values for later steps: then a level's window starts from the exact law of the
         * sub-problem with those values (its exact trajectory), not from the diagonal variances alone.
         */
        private final boolean carries;
        /**
         * For a sampler that keeps nothing between steps, each step as a polynomial in its evaluations
         * ({@link StepPolynomial}), so the pairs take the closed form; {@code null} otherwise.
         */
        private final StepPolynomial[] polynomials;
        /** The level of each evaluation of each step, where {@link #polynomials} is set. */
        private final int[][] levelOfEvaluation;
        /** The level evaluated by both step {@code k} and step {@code k + 1}, or -1. */
        private final int[] openAfter;
        /** For a sampler that keeps values between steps, its lane maps; {@code null} otherwise. */
        private final LaneMaps lanes;
        /** Made at first use ({@link #columns()}). */
        private Columns columns;

        Run(DiscreteScheme scheme, TimeGrid grid, EvaluationLevels levels, double[] initial, int recordEvery) {
            this.scheme = scheme;
            this.grid = grid;
            this.levels = levels;
            this.steps = grid.steps();
            this.d = spectrum.dimension();
            this.v = new double[d][steps + 1];
            this.a = new double[d][steps];
            this.carries = scheme instanceof MultistepScheme multistep && multistep.multistep();
            for (int i = 0; i < d; i++) {
                reference(i, initial[i]);
            }
            this.laws = new SgdStationaryLaw[levels.count()];
            this.sgd = new NoiseLevelTraining.Level[levels.count()];
            for (int k = 0; k < steps; k++) {
                endingAt.add(new ArrayList<>());
                openAt.add(new ArrayList<>());
            }
            for (int e = 0; e < levels.count(); e++) {
                sgd[e] = training.level(process, levels.time(e));
                laws[e] = new SgdStationaryLaw(spectrum.lambda(), sgd[e].sigma(), sgd[e].tauA(), training.batch(), n,
                        SgdStationaryLaw.Order.FIRST);
                levelOf.put(Double.doubleToLongBits(levels.time(e)), e);
                endingAt.get(levels.last(e)).add(e);
                for (int k = levels.first(e); k < levels.last(e); k++) {
                    openAt.get(k).add(e);
                }
            }
            this.recorder = new Recorder(steps, recordEvery);
            List<Integer> kept = new ArrayList<>();
            for (int k = 0; k <= steps; k++) {
                if (recorder.wants(k)) {
                    kept.add(k);
                }
            }
            kept.add(steps);
            this.points = kept.stream().mapToInt(Integer::intValue).toArray();
            this.pointOf = new int[steps + 1];
            Arrays.fill(pointOf, -1);
            for (int r = 0; r < points.length - 1; r++) {
                pointOf[points[r]] = r;
            }
            this.expected = new double[points.length];
            this.levelOfEvaluation = new int[steps][];
            this.openAfter = new int[steps];
            this.polynomials = closedForm && !carries ? polynomials() : null;
            this.lanes = closedForm && carries ? lanes(initial) : null;
        }

        private Columns columns() {
            if (columns == null) {
                columns = new Columns();
            }
            return columns;
        }

        /** {@link #lanes}, or {@code null} where the sampler's steps are not of that form. */
        private LaneMaps lanes(double[] initial) {
            try {
                return new LaneMaps((MultistepScheme) scheme, process, grid, levels, spectrum, initial);
            } catch (IllegalStateException ex) {
                return null;
            }
        }

        /**
         * {@link #polynomials}: every step of that form, each level's window the one or two consecutive steps that
         * evaluate it, and at most one window open across a step's end; {@code null} otherwise.
         */
        private StepPolynomial[] polynomials() {
            StepPolynomial[] all = new StepPolynomial[steps];
            for (int k = 0; k < steps; k++) {
                all[k] = StepPolynomial.of(scheme, process, grid.forward(k), grid.forward(k + 1));
                if (all[k] == null) {
                    return null;
                }
                levelOfEvaluation[k] = new int[all[k].evaluations()];
                for (int s = 0; s < all[k].evaluations(); s++) {
                    levelOfEvaluation[k][s] = levelOf.get(Double.doubleToLongBits(all[k].times[s]));
                }
            }
            Arrays.fill(openAfter, -1);
            for (int e = 0; e < levels.count(); e++) {
                int first = levels.first(e);
                if (levels.last(e) > first + 1 || (levels.last(e) == first + 1 && openAfter[first] >= 0)) {
                    return null;
                }
                if (levels.last(e) == first + 1) {
                    openAfter[first] = e;
                }
            }
            return all;
        }

        /**
         * The exact-score law of eigenvalue {@code i} along the grid: its variance and its mean's factor; for a
         * sampler that saves values, the variance of the law that carries them, step after step (no factor: its
         * windows run to the end).
         */
        private void reference(int i, double initial) {
            ExactVpScore score = new ExactVpScore(process, new double[] {spectrum.lambda(i)}, null, new double[1]);
            v[i][0] = initial;
            if (carries) {
                GaussianLaw law = new GaussianLaw(1, new double[1], new double[] {initial});
                for (int k = 0; k < steps; k++) {
                    law = scheme.step(law, score, process, grid.forward(k), grid.forward(k + 1));
                    a[i][k] = Double.NaN;
                    v[i][k + 1] = law.cov()[0];
                }
                return;
            }
            for (int k = 0; k < steps; k++) {
                GaussianLaw next = scheme.step(new GaussianLaw(1, new double[] {1}, new double[] {v[i][k]}), score,
                        process, grid.forward(k), grid.forward(k + 1));
                a[i][k] = next.mean()[0];
                v[i][k + 1] = next.cov()[0];
            }
        }

        boolean finite() {
            for (double[] row : v) {
                for (double x : row) {
                    if (!Double.isFinite(x)) {
                        return false;
                    }
                }
            }
            return true;
        }

        TheoryResult predict() {
            for (int r = 0; r < points.length; r++) {
                int k = points[r];
                for (int i = 0; i < d; i++) {
                    expected[r] += square(Math.sqrt(v[i][k]) - Math.sqrt(target(i, r)));
                }
            }
            for (int i = 0; i < d; i++) {
                if (lanes == null) {
                    // with lane maps, levelsAtPoint reads each level's fluctuations of one coordinate too
                    optimization(new int[] {i});
                }
                bias(i);
                if (n > 0) {
                    generalization(new int[] {i});
                    sampleMean(i);
                }
                if (polynomials != null) {
                    pairsInClosedForm(i);
                    continue;
                }
                if (lanes != null) {
                    pairsWithSavedValues(i);
                    continue;
                }
                for (int j = i + 1; j < d; j++) {
                    optimization(new int[] {i, j});
                    if (n > 0) {
                        generalization(new int[] {i, j});
                    }
                }
            }
            if (lanes != null) {
                for (int r = 0; r < points.length; r++) {
                    levelsAtPoint(r);
                }
            }
            for (double sum : expected) {
                if (sum < 0) {
                    return new Recorder(steps, 0).result(TheoryResult.Status.EXPANSION_NEGATIVE, Double.NaN);
                }
            }
            for (int r = 0; r < points.length - 1; r++) {
                recorder.offer(points[r], grid.backward(points[r]), Math.sqrt(expected[r]));
            }
            return recorder.result(TheoryResult.Status.OK, Math.sqrt(expected[points.length - 1]));
        }

        /**
         * The pairs {@code (i, j > i)} of a sampler with {@link #polynomials} (docs/theory.md 15.3, "the pairs in
         * closed form"): what {@link #optimization} and {@link #generalization} compute by differences, in closed
         * form. A move {@code dA} of the denoisers moves step {@code k}'s map to {@code M = diag(a) + N1 + N2}: the
         * off-diagonal first order {@code N1_ij = sum_s N_s(i, j) dA_ij(s)}, {@code N_s(i, j) = -(1 / noise_s)
         * sum_{S ∋ s} c_S prod_{S after s} p(i) prod_{S before s} p(j)}, and, where both entries move, the diagonal
         * second order {@code N2_ii} of the paths {@code i -> j -> i}. With {@code S = diag(v^) + S1 + S2} ({@code v^}
         * the variance after any noise added before the evaluations), {@code M S M^T} gives
         * {@code S1_ij <- a_i a_j S1_ij + N1_ij a_j v^_j + N1_ji a_i v^_i} and {@code S2_ii <- a_i^2 S2_ii + 2 a_i
         * N1_ij S1_ij + N1_ij^2 v^_j + 2 a_i N2_ii v^_i}. One level's entry moves alone over its window (one or two
         * steps), then its moments are carried; the training set's direction moves both entries at every level.
         */
        private void pairsInClosedForm(int i) {
            columns();
            int count = d - i - 1;
            int from = i + 1;
            // carried optimization moments: E S1^2, E S2_ii, E S2_jj
            double[] opt1 = new double[count];
            double[] opt2i = new double[count];
            double[] opt2j = new double[count];
            // the level whose window is open across a step's end: S1 and S2 of its entry (i, j), then of (j, i)
            double[][] open = new double[4][count];
            double[][] level = new double[4][count];
            // the training set's direction, per unit E_ij
            double[] gen1 = new double[count];
            double[] gen2i = new double[count];
            double[] gen2j = new double[count];
            double[] gij = new double[count];
            double[] gji = new double[count];
            double[] mi = new double[count];
            double[] mj = new double[count];
            double[][] nij = new double[StepPolynomial.MAX_EVALUATIONS][count];
            double[][] nji = new double[StepPolynomial.MAX_EVALUATIONS][count];
            double[] levelIj = new double[count];
            double[] levelJi = new double[count];
            for (int k = 0; k < steps; k++) {
                StepTerms c = columns.steps[k];
                int evaluations = c.mu.length;
                double ai = c.a[i];
                double vi = c.v[i];
                double[] a = c.a;
                double[] v = c.v;
                for (int s = 0; s < evaluations; s++) {
                    Arrays.fill(nij[s], 0);
                    Arrays.fill(nji[s], 0);
                }
                for (int t = 0; t < c.left.length; t++) {
                    double[] left = c.left[t];
                    double[] right = c.right[t];
                    double[] toIj = nij[c.evaluation[t]];
                    double[] toJi = nji[c.evaluation[t]];
                    double li = left[i];
                    double ri = right[i];
                    for (int q = 0; q < count; q++) {
                        toIj[q] += li * right[from + q];
                        toJi[q] += left[from + q] * ri;
                    }
                }
                boolean carried = false;
                for (int l = 0; l < c.levels.length; l++) {
                    int e = c.levels[l];
                    double[] nLij = nij[c.firstEvaluation[l]];
                    double[] nLji = nji[c.firstEvaluation[l]];
                    if (c.evaluationsAt[l] > 1) {
                        nLij = levelIj;
                        nLji = levelJi;
                        Arrays.fill(nLij, 0);
                        Arrays.fill(nLji, 0);
                        for (int s = 0; s < evaluations; s++) {
                            if (levelOfEvaluation[k][s] == e) {
                                for (int q = 0; q < count; q++) {
                                    nLij[q] += nij[s][q];
                                    nLji[q] += nji[s][q];
                                }
                            }
                        }
                    }
                    boolean continues = k > 0 && openAfter[k - 1] == e;
                    double[][] state = openAfter[k] == e ? open : level;
                    double[] s1ij = state[0];
                    double[] s2i = state[1];
                    double[] s1ji = state[2];
                    double[] s2j = state[3];
                    for (int q = 0; q < count; q++) {
                        double aj = a[from + q];
                        double vj = v[from + q];
                        double x1ij = continues ? open[0][q] : 0;
                        double x2i = continues ? open[1][q] : 0;
                        double x1ji = continues ? open[2][q] : 0;
                        double x2j = continues ? open[3][q] : 0;
                        s2i[q] = ai * ai * x2i + 2 * ai * nLij[q] * x1ij + nLij[q] * nLij[q] * vj;
                        s1ij[q] = ai * aj * x1ij + nLij[q] * aj * vj;
                        s2j[q] = aj * aj * x2j + 2 * aj * nLji[q] * x1ji + nLji[q] * nLji[q] * vi;
                        s1ji[q] = ai * aj * x1ji + nLji[q] * ai * vi;
                    }
                    if (openAfter[k] != e) {
                        fold(e, i, state, opt1, opt2i, opt2j, carried ? null : a);
                        carried = true;
                    }
                }
                if (!carried) {
                    for (int q = 0; q < count; q++) {
                        double aij = ai * a[from + q];
                        opt1[q] *= aij * aij;
                        opt2i[q] *= ai * ai;
                        opt2j[q] *= a[from + q] * a[from + q];
                    }
                }
                if (n > 0) {
                    Arrays.fill(gij, 0);
                    Arrays.fill(gji, 0);
                    for (int s = 0; s < evaluations; s++) {
                        double[] mu = c.mu[s];
                        double[] rho = c.rho[s];
                        double muI = mu[i];
                        double rhoI = rho[i];
                        double[] toIj = nij[s];
                        double[] toJi = nji[s];
                        for (int q = 0; q < count; q++) {
                            gij[q] += muI * rho[from + q] * toIj[q];
                            gji[q] += mu[from + q] * rhoI * toJi[q];
                        }
                    }
                    Arrays.fill(mi, 0);
                    Arrays.fill(mj, 0);
                    for (int u = 0; u < c.pathLeft.length; u++) {
                        double[] left = c.pathLeft[u];
                        double[] right = c.pathRight[u];
                        double li = left[i];
                        double ri = right[i];
                        for (int q = 0; q < count; q++) {
                            mi[q] += li * right[from + q];
                            mj[q] += left[from + q] * ri;
                        }
                    }
                    for (int q = 0; q < count; q++) {
                        double aj = a[from + q];
                        double vj = v[from + q];
                        double before = gen1[q];
                        gen2i[q] = ai * ai * gen2i[q] + 2 * ai * gij[q] * before + gij[q] * gij[q] * vj
                                + 2 * ai * mi[q] * vi;
                        gen2j[q] = aj * aj * gen2j[q] + 2 * aj * gji[q] * before + gji[q] * gji[q] * vi
                                + 2 * aj * mj[q] * vj;
                        gen1[q] = ai * aj * before + gij[q] * aj * vj + gji[q] * ai * vi;
                    }
                }
                boolean last = k + 1 == steps;
                if (pointOf[k + 1] >= 0 || last) {
                    double[] seen1 = opt1;
                    double[] seen2i = opt2i;
                    double[] seen2j = opt2j;
                    if (openAfter[k] >= 0) {
                        // a recorded step inside a window sees that level's injection so far
                        seen1 = opt1.clone();
                        seen2i = opt2i.clone();
                        seen2j = opt2j.clone();
                        fold(openAfter[k], i, open, seen1, seen2i, seen2j, null);
                    }
                    if (pointOf[k + 1] >= 0) {
                        addPairs(pointOf[k + 1], i, seen1, seen2i, seen2j, gen1, gen2i, gen2j);
                    }
                    if (last) {
                        addPairs(points.length - 1, i, seen1, seen2i, seen2j, gen1, gen2i, gen2j);
                    }
                }
            }
        }

        /**
         * Adds level {@code e}'s window state to the optimization moments, each entry's moments times its variance
         * {@code Var(A_ij) = row_i column_j}; with the step's factors {@code a}, carries the moments over the step
         * first ({@code E S1^2 -> (a_i a_j)^2 E S1^2}, {@code E S2_ii -> a_i^2 E S2_ii}).
         */
        private void fold(int e, int i, double[][] state, double[] opt1, double[] opt2i, double[] opt2j, double[] a) {
            double[] row = variances().row[e];
            double[] column = variances().column[e];
            double rowI = row[i];
            double columnI = column[i];
            int from = i + 1;
            double ai = a == null ? 1 : a[i];
            for (int q = 0; q < opt1.length; q++) {
                double aj = a == null ? 1 : a[from + q];
                double aij = ai * aj;
                double varIj = rowI * column[from + q];
                double varJi = row[from + q] * columnI;
                opt1[q] = opt1[q] * aij * aij + varIj * state[0][q] * state[0][q] + varJi * state[2][q] * state[2][q];
                opt2i[q] = opt2i[q] * ai * ai + varIj * state[1][q];
                opt2j[q] = opt2j[q] * aj * aj + varJi * state[3][q];
            }
        }

        /** Made at the first pair in closed form. */
        private LevelVariances levelVariances;

        /** {@link LevelVariances}, made once. */
        private LevelVariances variances() {
            if (levelVariances == null) {
                levelVariances = new LevelVariances();
            }
            return levelVariances;
        }

        /**
         * Each level's fluctuation, {@code Var(A_ij) = row_i column_j} in the settled share: {@code tau^2 r_i}, and
         * {@code W_jj} times the share of its stationary variance column {@code j} has reached.
         */
        private final class LevelVariances {
            final double[][] row = new double[levels.count()][d];
            final double[][] column = new double[levels.count()][d];

            LevelVariances() {
                for (int e = 0; e < levels.count(); e++) {
                    for (int j = 0; j < d; j++) {
                        row[e][j] = laws[e].rowScale(j);
                        column[e][j] = laws[e].columnWeight(j) * settled(e, spectrum.lambda(j));
                    }
                }
            }
        }

        /**
         * What {@link #pairsInClosedForm} reads for every coordinate: per step, its terms; per point, the expansion's
         * factors.
         */
        private final class Columns {
            final StepTerms[] steps = new StepTerms[Run.this.steps];
            /** At every point: the square roots of the targets and of the exact-score variances, and {@code g}. */
            final double[][] rootTarget = new double[points.length][d];
            final double[][] rootVariance = new double[points.length][d];
            final double[][] g = new double[points.length][d];

            Columns() {
                double[] lambda = spectrum.lambda();
                ExactVpScore exact = new ExactVpScore(process, lambda, null, new double[d]);
                for (int k = 0; k < Run.this.steps; k++) {
                    double[] a = new double[d];
                    double[] v = new double[d];
                    for (int j = 0; j < d; j++) {
                        a[j] = Run.this.a[j][k];
                        v[j] = Run.this.v[j][k];
                    }
                    steps[k] = new StepTerms(polynomials[k], a, v, levelOfEvaluation[k], k > 0 ? openAfter[k - 1] : -1,
                            lambda, exact, process, Run.this::reached);
                }
                for (int r = 0; r < points.length; r++) {
                    int k = points[r];
                    for (int j = 0; j < d; j++) {
                        double x = target(j, r);
                        rootTarget[r][j] = Math.sqrt(x);
                        rootVariance[r][j] = Math.sqrt(v[j][k]);
                        g[r][j] = BuresExpansion.g(x, v[j][k]);
                    }
                }
            }
        }

        /**
         * For a multistep sampler, the training set's direction on its pairs in closed form (docs/theory.md 15.3,
         * "with saved values"; {@link SavedValueDirection}): the direction moves both entries at every step, so its
         * {@code C} and {@code S2} are carried forward; each level's own entries move at one step only, and
         * {@link #levelsAtPoint} reads them through the adjoint.
         */
        private void pairsWithSavedValues(int i) {
            if (n == 0) {
                return;
            }
            if (direction == null) {
                double[][] reached = new double[levels.count()][d];
                for (int e = 0; e < levels.count(); e++) {
                    for (int j = 0; j < d; j++) {
                        reached[e][j] = reached(e, spectrum.lambda(j));
                    }
                }
                direction = new SavedValueDirection(lanes, reached, spectrum.lambda());
                reported = new boolean[steps];
                for (int k = 0; k < steps; k++) {
                    reported[k] = pointOf[k + 1] >= 0 || k + 1 == steps;
                }
            }
            double li = spectrum.lambda(i);
            int[] pair = {i, 0};
            double[] s2s = new double[2];
            direction.run(i, reported, (k, c, s2i, s2j) -> {
                for (int j = i + 1; j < d; j++) {
                    double varE = li * spectrum.lambda(j) / n;
                    double s1sq = varE * square(c[j]);
                    s2s[0] = varE * s2i[j];
                    s2s[1] = varE * s2j[j];
                    pair[1] = j;
                    if (pointOf[k + 1] >= 0) {
                        addExpansion(pointOf[k + 1], pair, s2s, s1sq);
                    }
                    if (k + 1 == steps) {
                        addExpansion(points.length - 1, pair, s2s, s1sq);
                    }
                }
            });
        }

        /** The steps after which the direction is read: each recorded one and the last. */
        private boolean[] reported;

        /** Made at the first pair with a training set, for a multistep sampler. */
        private SavedValueDirection direction;

        /**
         * The levels' own moments at point {@code r} for every pair of a multistep sampler, through the adjoint: a
         * level's entry {@code dP_ij} moves at its one step {@code k} (docs/theory.md 15.3, "with saved values"), and
         * what it adds there to {@code C = Cov(z_i, z_j)} and to {@code S2_i} reaches the point as {@code u_i^T C u_j}
         * and {@code u_i^T S2_i u_i}, {@code u_i} the state's row carried back, {@code u_i(k) = G_i(k)^T u_i(k + 1)}
         * from the point ({@code G} the map on the carried values, without the noise's column). So with
         * {@code alpha = F1^T u}, {@code beta = F^T u} after step {@code k}, the entry {@code (i, j)} gives
         * {@code S1 = dP alpha_i^T S~_j beta_j} and {@code S2_i = dP^2 alpha_i^T S~_j alpha_i}, and {@code (j, i)}
         * {@code S1 = dP beta_i^T S~_i alpha_j} and {@code S2_j = dP^2 alpha_j^T S~_i alpha_j}: {@code O(d^2 N)} a
         * point, where carrying each level's moments would be {@code O(d^2 N^2)}. One coordinate's level moves its
         * own entry: {@code d S_ii = 2 dP alpha_i^T S~_i beta_i}, {@code (1/2) d^2 S_ii = dP^2 alpha_i^T S~_i
         * alpha_i}, and its offset moves the mean by {@code u_i^T o}, {@code o} the step's {@link LaneMaps#offset}:
         * what {@link #optimization} computes by differences, {@code O(d N)} a point.
         */
        private void levelsAtPoint(int r) {
            LevelVariances variances = variances();
            int end = points[r];
            double[][][] alpha = new double[end][d][];
            double[][][] gamma = new double[end][d][];
            for (int i = 0; i < d; i++) {
                double s1sq = 0;
                double s2 = 0;
                double meanSq = 0;
                double[] u = new double[lanes.cov[i][end].length];
                u[0] = 1;
                for (int k = end - 1; k >= 0; k--) {
                    double[][] f = lanes.map[i][k];
                    double[][] f1 = lanes.f1[k];
                    int sources = f[0].length;
                    double[] a = new double[sources];
                    double[] b = new double[sources];
                    for (int q = 0; q < sources; q++) {
                        for (int row = 0; row < u.length; row++) {
                            a[q] += f1[row][q] * u[row];
                            b[q] += f[row][q] * u[row];
                        }
                    }
                    double[][] cov = lanes.noisy[i][k];
                    double[] g = new double[sources];
                    for (int q = 0; q < sources; q++) {
                        for (int p = 0; p < sources; p++) {
                            g[q] += cov[q][p] * b[p];
                        }
                    }
                    alpha[k][i] = a;
                    gamma[k][i] = g;
                    int e = lanes.level[k];
                    double t = levels.time(e);
                    double unit = lanes.unit[k];
                    double var = variances.row[e][i] * variances.column[e][i];
                    double first = 2 * unit * dot(a, g);
                    s1sq += var * first * first;
                    s2 += var * unit * unit * quadratic(a, cov);
                    // PerturbedDenoiserScore: a unit move of b adds alpha_t / noise(t) to the score's offset
                    double response = dot(u, lanes.offset[k]) * process.scale(t) / process.noise(t);
                    // the first-order Var(b) is proportional to b's own step (10.2)
                    meanSq += laws[e].varianceB(i) * (sgd[e].tauOffset() / sgd[e].tauA()) * settled(e, Double.NaN)
                            * response * response;
                    u = Arrays.copyOf(b, sources - 1);
                }
                addExpansion(r, new int[] {i}, new double[] {s2}, s1sq);
                expected[r] += meanSq;
            }
            int[] pair = new int[2];
            double[] s2 = new double[2];
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    double s1sq = 0;
                    double s2i = 0;
                    double s2j = 0;
                    for (int k = 0; k < end; k++) {
                        int e = lanes.level[k];
                        double unit = lanes.unit[k];
                        double ij = unit * dot(alpha[k][i], gamma[k][j]);
                        double ji = unit * dot(gamma[k][i], alpha[k][j]);
                        double weightIj = variances.row[e][i] * variances.column[e][j];
                        double weightJi = variances.row[e][j] * variances.column[e][i];
                        s1sq += weightIj * ij * ij + weightJi * ji * ji;
                        s2i += weightIj * unit * unit * quadratic(alpha[k][i], lanes.noisy[j][k]);
                        s2j += weightJi * unit * unit * quadratic(alpha[k][j], lanes.noisy[i][k]);
                    }
                    pair[0] = i;
                    pair[1] = j;
                    s2[0] = s2i;
                    s2[1] = s2j;
                    addExpansion(r, pair, s2, s1sq);
                }
            }
        }

        /**
         * Adds the pairs' second-order terms (10.6) at point {@code r}, the training set's direction with its
         * variance {@code lambda_i lambda_j / N}.
         */
        private void addPairs(int r, int i, double[] opt1, double[] opt2i, double[] opt2j, double[] gen1,
                              double[] gen2i, double[] gen2j) {
            double[] rootTarget = columns.rootTarget[r];
            double[] rootVariance = columns.rootVariance[r];
            double[] g = columns.g[r];
            double li = spectrum.lambda(i);
            double xi = rootTarget[i];
            double si = rootVariance[i];
            double sum = 0;
            for (int q = 0; q < opt1.length; q++) {
                int j = i + 1 + q;
                double var = n > 0 ? li * spectrum.lambda(j) / n : 0;
                double s1 = opt1[q] + var * gen1[q] * gen1[q];
                double xj = rootTarget[j];
                double sj = rootVariance[j];
                // BuresExpansion.h from the square roots
                double h = xi * xj == 0 ? 0 : xi * xj / (2 * si * sj * (xi * si + xj * sj));
                sum += g[i] * (opt2i[q] + var * gen2i[q]) + g[j] * (opt2j[q] + var * gen2j[q]) + 2 * h * s1;
            }
            expected[r] += sum;
        }

        /** The variance of eigenvalue {@code i} in the reference of point {@code r}. */
        private double target(int i, int r) {
            return r == points.length - 1 ? spectrum.lambda(i) : process.variance(spectrum.lambda(i),
                    grid.forward(points[r]));
        }

        /**
         * Adds {@code sum_q g_q S2_qq + sum_{q, q'} h S1^2} at point {@code r} for the coordinates {@code c}: the
         * second-order W2 terms (10.6) from {@code E S2} on the diagonal and {@code E S1^2} off it ({@code v1}, the
         * entry (0, 1) for a pair, counted twice; the diagonal entry alone for one coordinate).
         */
        private void addExpansion(int r, int[] c, double[] s2, double v1) {
            int k = points[r];
            double sum = 0;
            for (int q = 0; q < c.length; q++) {
                sum += BuresExpansion.g(target(c[q], r), v[c[q]][k]) * s2[q];
            }
            int i = c[0];
            int j = c[c.length - 1];
            double h = BuresExpansion.h(target(i, r), v[i][k], target(j, r), v[j][k]);
            expected[r] += sum + (c.length == 2 ? 2 : 1) * h * v1;
        }

        /**
         * The SGD fluctuations of each level (10.2, first order), independent across levels: each level's
         * injection into {@code S1} and {@code S2} over its window of steps, then carried by the exact-score
         * linear map, {@code S_ij -> a_i a_j S_ij}. A recorded step inside a level's window (between the two steps
         * that share it) sees that level's injection so far. The moments are kept in one array: {@code E S1^2}
         * (the entry (0, 1) for a pair, (0, 0) for one coordinate), {@code E |m|^2}, then {@code E S2} on the
         * diagonal.
         */
        private void optimization(int[] c) {
            int m = c.length;
            GaussianLaw[] exact = carries ? trajectory(c, null) : null;
            double[] moments = new double[2 + m];
            for (int k = 0; k < steps; k++) {
                if (!carries) {
                    // with saved values every window runs to the end and nothing is carried here
                    double ai = a[c[0]][k];
                    double aj = a[c[m - 1]][k];
                    moments[0] *= square(ai * aj);
                    moments[1] *= ai * ai;
                    for (int q = 0; q < m; q++) {
                        moments[2 + q] *= square(a[c[q]][k]);
                    }
                }
                for (int e : endingAt.get(k)) {
                    inject(c, e, k, moments, exact);
                }
                boolean last = k + 1 == steps;
                if (pointOf[k + 1] >= 0 || last) {
                    double[] seen = moments.clone();
                    for (int e : openAt.get(k)) {
                        inject(c, e, k, seen, exact);
                    }
                    if (pointOf[k + 1] >= 0) {
                        addMoments(pointOf[k + 1], c, seen);
                    }
                    if (last) {
                        addMoments(points.length - 1, c, seen);
                    }
                }
            }
        }

        private void addMoments(int r, int[] c, double[] moments) {
            addExpansion(r, c, Arrays.copyOfRange(moments, 2, moments.length), moments[0]);
            expected[r] += moments[1];
        }

        /**
         * Adds to {@code moments} what level {@code e}'s fluctuations do over its steps up to {@code to}, by central
         * differences in each entry of its {@code A} (and, for one coordinate, the exact linear response to its
         * {@code b}): {@code var * (d S_01)^2}, {@code var * (1/2) d^2 S_qq}, {@code Var(b) * (d m)^2}.
         */
        private void inject(int[] c, int e, int to, double[] moments, GaussianLaw[] exact) {
            int m = c.length;
            int from = levels.first(e);
            GaussianLaw start = exact == null ? start(c, from) : exact[from];
            // one coordinate's entry with polynomials is in closed form (diagonalMove): no differences, no base
            boolean closed = m == 1 && polynomials != null;
            GaussianLaw base = closed ? null : window(start, c, from, to, null);
            int off = m == 2 ? m : 0;
            for (int row = 0; row < m; row++) {
                for (int col = 0; col < m; col++) {
                    double var = laws[e].varianceA(c[row], c[col]) * settled(e, spectrum.lambda(c[col]));
                    if ((m == 2 && row == col) || !(var > 0)) {
                        continue;
                    }
                    int entry = col * m + row;
                    if (m == 2 || carries) {
                        // an off-diagonal entry is nilpotent, and with saved values a level is evaluated at one step:
                        // the law is quadratic in the entry, and a whole step has no truncation
                        double h = Math.sqrt(var);
                        GaussianLaw plus = window(start, c, from, to,
                                (t, da, db) -> atLevel(t, e, () -> da[entry] = h));
                        GaussianLaw minus = window(start, c, from, to,
                                (t, da, db) -> atLevel(t, e, () -> da[entry] = -h));
                        moments[0] += var * square((plus.cov()[off] - minus.cov()[off]) / (2 * h));
                        for (int q = 0; q < m; q++) {
                            int qq = q * m + q;
                            moments[2 + q] += var * (plus.cov()[qq] + minus.cov()[qq] - 2 * base.cov()[qq])
                                    / (2 * h * h);
                        }
                        continue;
                    }
                    if (closed) {
                        double[] g = diagonalMove(c[0], e, from, to);
                        moments[0] += var * g[0] * g[0];
                        moments[2] += var * g[1];
                        continue;
                    }
                    double h = STEP * Math.sqrt(var);
                    double[] f = new double[4];
                    double[] at = {h, -h, 2 * h, -2 * h};
                    for (int q = 0; q < 4; q++) {
                        double x = at[q];
                        f[q] = window(start, c, from, to, (t, da, db) -> atLevel(t, e, () -> da[entry] = x)).cov()[0];
                    }
                    double b0 = base.cov()[0];
                    moments[0] += var * square(richardson((f[0] - f[1]) / (2 * h), (f[2] - f[3]) / (4 * h)));
                    moments[2] += var * richardson((f[0] + f[1] - 2 * b0) / (2 * h * h),
                            (f[2] + f[3] - 2 * b0) / (8 * h * h));
                }
            }
            if (m == 1) {
                double response = window(start, c, from, to, (t, da, db) -> atLevel(t, e, () -> db[0] = 1))
                        .mean()[0];
                // the first-order Var(b) is proportional to b's own step (10.2)
                moments[1] += laws[e].varianceB(c[0]) * (sgd[e].tauOffset() / sgd[e].tauA()) * settled(e, Double.NaN)
                        * response * response;
            }
        }

        /**
         * For a sampler with {@link #polynomials}, what a move {@code delta} of level {@code e}'s entry {@code A_ii}
         * does to coordinate {@code i}'s variance over steps {@code from..to} (docs/theory.md 15.3, "the pairs in
         * closed form", on one coordinate): each step is {@code M = a + m1 delta + m2 delta^2 + ...} on the variance
         * before its evaluations {@code v^}, so with {@code V = v + g1 delta + g2 delta^2}, {@code g1 <- a^2 g1 +
         * 2 a m1 v^} and {@code g2 <- a^2 g2 + 2 a m1 g1 + (m1^2 + 2 a m2) v^}: {@code {dV / d delta, (1/2) d^2 V /
         * d delta^2}}, what {@link #inject} takes by differences otherwise.
         */
        private double[] diagonalMove(int i, int e, int from, int to) {
            double g1 = 0;
            double g2 = 0;
            for (int k = from; k <= to; k++) {
                StepPolynomial polynomial = polynomials[k];
                StepTerms terms = columns().steps[k];
                int count = polynomial.evaluations();
                double[] p = new double[count];
                double[] u = new double[count];
                for (int s = 0; s < count; s++) {
                    p[s] = terms.p[s][i];
                    u[s] = levelOfEvaluation[k][s] == e ? -1 / process.noise(polynomial.times[s]) : 0;
                }
                double[] m = polynomial.derivatives(p, u);
                double a = Run.this.a[i][k];
                double vHat = v[i][k] + polynomial.before;
                g2 = a * a * g2 + 2 * a * m[0] * g1 + (m[0] * m[0] + 2 * a * m[1]) * vHat;
                g1 = a * a * g1 + 2 * a * m[0] * vHat;
            }
            return new double[] {g1, g2};
        }

        /**
         * The dataset's covariance error {@code E} (10.4) along one direction, the same at every level: the pair's
         * {@code E_ij} moves {@code A_ij = A_ji} by {@code sigma_t^2 E_ij / (s_i s_j)}, {@code Var E_ij =
         * lambda_i lambda_j / N}; one coordinate's {@code E_ii} moves {@code A_ii} by {@code sigma_t^2 E_ii / s_i^2},
         * {@code Var E_ii = 2 lambda_i^2 / N}.
         */
        private void generalization(int[] c) {
            int m = c.length;
            double li = spectrum.lambda(c[0]);
            double lj = spectrum.lambda(c[m - 1]);
            double var = li * lj * (m == 1 ? 2 : 1) / n;
            if (!(var > 0)) {
                return;
            }
            double h = DIRECTION_STEP * Math.sqrt(var);
            PerturbedDenoiserScore.Move unit = (t, da, db) -> {
                int e = levelOf.get(Double.doubleToLongBits(t));
                double s2 = square(process.noiseLevel(t));
                double move = s2 / ((li + s2) * (lj + s2));
                for (int row = 0; row < m; row++) {
                    for (int col = 0; col < m; col++) {
                        if (m == 1 || row != col) {
                            da[col * m + row] = move * reached(e, spectrum.lambda(c[col]));
                        }
                    }
                }
                return true;
            };
            GaussianLaw[] base = trajectory(c, null);
            GaussianLaw[][] moved = new GaussianLaw[4][];
            double[] at = {h, -h, 2 * h, -2 * h};
            for (int p = 0; p < at.length; p++) {
                moved[p] = trajectory(c, scaled(unit, at[p]));
            }
            int off = m == 2 ? m : 0;
            for (int r = 0; r < points.length; r++) {
                int k = points[r];
                double[] s2 = new double[m];
                for (int q = 0; q < m; q++) {
                    int qq = q * m + q;
                    double b = base[k].cov()[qq];
                    double near = (moved[0][k].cov()[qq] + moved[1][k].cov()[qq] - 2 * b) / (2 * h * h);
                    double far = (moved[2][k].cov()[qq] + moved[3][k].cov()[qq] - 2 * b) / (8 * h * h);
                    s2[q] = var * richardson(near, far);
                }
                double near = (moved[0][k].cov()[off] - moved[1][k].cov()[off]) / (2 * h);
                double far = (moved[2][k].cov()[off] - moved[3][k].cov()[off]) / (4 * h);
                addExpansion(r, c, s2, var * square(richardson(near, far)));
            }
        }

        /**
         * A central difference at {@code h} and at {@code 2h} combined so that their {@code h^2} error cancels:
         * the law is a polynomial in the direction of higher degree than 2 (it moves both entries at every level).
         */
        private static double richardson(double near, double far) {
            return (4 * near - far) / 3;
        }

        /**
         * The deterministic shift of {@code A_ii} at every level: the dataset optimum's bias (10.4, first order in
         * {@code 1/N}) and the part of the optimum SGD has not reached after {@code K} steps from 0 (15.3). Its
         * effect is taken whole, {@code W2^2(shifted) - W2^2(exact)}, not only its first-order part.
         */
        private void bias(int i) {
            int[] c = {i};
            double lambda = spectrum.lambda(i);
            PerturbedDenoiserScore.Move move = (t, da, db) -> {
                int e = levelOf.get(Double.doubleToLongBits(t));
                double s2 = square(process.noiseLevel(t));
                da[0] = laws[e].generalizationBias(i) - (lambda / (lambda + s2) - sgd[e].start())
                        * Math.pow(1 - sgd[e].tauA() * (lambda + s2), training.steps());
                return true;
            };
            GaussianLaw[] shifted = trajectory(c, move);
            for (int r = 0; r < points.length; r++) {
                int k = points[r];
                double target = target(i, r);
                expected[r] += square(Math.sqrt(shifted[k].cov()[0]) - Math.sqrt(target))
                        - square(Math.sqrt(v[i][k]) - Math.sqrt(target));
            }
        }

        /** Level {@code e}'s step on the feature of eigenvalue {@code lambda}: {@code A}'s, or {@code b}'s (NaN). */
        private double tauAt(int e, double lambda) {
            return Double.isNaN(lambda) ? sgd[e].tauOffset() : sgd[e].tauA();
        }

        /**
         * The share of its stationary variance an SGD fluctuation reaches after {@code K} steps from 0 (the Lyapunov
         * recursion of 10.2 on one feature, contraction {@code (1 - tau_e s)^2} per step):
         * {@code 1 - (1 - tau_e s)^{2K}} ({@link #feature}).
         */
        private double settled(int e, double lambda) {
            return 1 - Math.pow(1 - tauAt(e, lambda) * feature(e, lambda), 2.0 * training.steps());
        }

        /**
         * The share of the way from 0 to the dataset optimum the mean of SGD has gone after {@code K} steps, on the
         * column of a feature (10.1: {@code E Theta_K = Theta^ (I - (I - tau_e H)^K)}): {@code 1 - (1 - tau_e s)^K}.
         * It scales the training set's part of the denoiser (10.4), which SGD reaches only as fast as its mean.
         */
        private double reached(int e, double lambda) {
            return 1 - Math.pow(1 - tauAt(e, lambda) * feature(e, lambda), training.steps());
        }

        /** {@code s = lambda + sigma_e^2} for the feature of eigenvalue {@code lambda}, 1 for the offset's (NaN). */
        private double feature(int e, double lambda) {
            return Double.isNaN(lambda) ? 1 : lambda + square(process.noiseLevel(levels.time(e)));
        }

        /**
         * The sample mean {@code m^} of the training set, {@code Var m^_i = lambda_i / N}, which sets
         * {@code b^ = (I - A^) m^}, to first order {@code b_i = sigma_t^2 m^_i / s_i} at every level: the mean of
         * the output is linear in it and adds {@code Var m^_i} times its response squared.
         */
        private void sampleMean(int i) {
            double li = spectrum.lambda(i);
            GaussianLaw[] response = trajectory(new int[] {i}, (t, da, db) -> {
                double s2 = square(process.noiseLevel(t));
                db[0] = s2 / (li + s2) * reached(levelOf.get(Double.doubleToLongBits(t)), Double.NaN);
                return true;
            });
            for (int r = 0; r < points.length; r++) {
                expected[r] += li / n * square(response[points[r]].mean()[0]);
            }
        }

        /** Runs a move only at level {@code e}. */
        private boolean atLevel(double t, int e, Runnable add) {
            if (Double.doubleToLongBits(t) != Double.doubleToLongBits(levels.time(e))) {
                return false;
            }
            add.run();
            return true;
        }

        /**
         * The law after steps {@code from..to} of the sub-problem on coordinates {@code c}, from {@code start}, the
         * exact-score law before step {@code from} (with a multistep sampler's saved values), with the denoiser moved
         * by {@code move} ({@code null}: exact).
         */
        private GaussianLaw window(GaussianLaw start, int[] c, int from, int to, PerturbedDenoiserScore.Move move) {
            GaussianLaw law = start;
            LinearScore score = score(c, move);
            for (int k = from; k <= to; k++) {
                law = scheme.step(law, score, process, grid.forward(k), grid.forward(k + 1));
            }
            return law;
        }

        /** The laws at every step of the sub-problem from the start, with the denoiser moved by {@code move}. */
        private GaussianLaw[] trajectory(int[] c, PerturbedDenoiserScore.Move move) {
            GaussianLaw[] laws = new GaussianLaw[steps + 1];
            laws[0] = start(c, 0);
            LinearScore score = score(c, move);
            for (int k = 0; k < steps; k++) {
                laws[k + 1] = scheme.step(laws[k], score, process, grid.forward(k), grid.forward(k + 1));
            }
            return laws;
        }

        private GaussianLaw start(int[] c, int k) {
            int m = c.length;
            double[] cov = new double[m * m];
            for (int q = 0; q < m; q++) {
                cov[q * m + q] = v[c[q]][k];
            }
            return new GaussianLaw(m, new double[m], cov);
        }

        private LinearScore score(int[] c, PerturbedDenoiserScore.Move move) {
            double[] lambda = new double[c.length];
            for (int q = 0; q < c.length; q++) {
                lambda[q] = spectrum.lambda(c[q]);
            }
            ExactVpScore exact = new ExactVpScore(process, lambda, null, new double[c.length]);
            return move == null ? exact : new PerturbedDenoiserScore(exact, process, move);
        }
    }

    private static PerturbedDenoiserScore.Move scaled(PerturbedDenoiserScore.Move move, double factor) {
        return (t, da, db) -> {
            boolean moved = move.at(t, da, db);
            for (int i = 0; i < da.length; i++) {
                da[i] *= factor;
            }
            for (int i = 0; i < db.length; i++) {
                db[i] *= factor;
            }
            return moved;
        };
    }

    private static double square(double x) {
        return x * x;
    }
}
