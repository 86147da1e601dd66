package org.w2lab.theory;

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
 * whole trajectory. No random numbers.
 */
public final class LearnedScorePrediction {
    /** The finite-difference step against the standard deviation of the direction it probes. */
    private static final double STEP = 1e-3;
    /**
     * The training set's direction's difference step against its standard deviation: with the {@code h^2} error
     * cancelled ({@code richardson}) the error is {@code O(h^4)} plus round-off {@code O(eps / h^2)}, about 1e-12
     * relative at 1e-2 (at 1e-3 without cancellation, round-off reached 5e-8).
     */
    private static final double DIRECTION_STEP = 5e-2;
    /** Round-off allowed when checking that a step is affine in its one score evaluation. */
    private static final double AFFINE = 1e-12;

    private final Spectrum spectrum;
    private final ForwardProcess process;
    private final NoiseLevelTraining training;
    private final int n;
    /** Whether the pairs of a one-evaluation sampler take the closed form of 15.3 (false: differences for all). */
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
         * For a sampler whose step evaluates the score once, at a level no other step uses, keeps nothing and adds
         * noise that does not pass through the score: the gain {@code gamma_k} of step {@code k}'s state map on
         * the denoiser ({@code M = M_0 + gamma_k dA}; docs/theory.md 15.3, the pairs in closed form); {@code null} otherwise.
         */
        private final double[] gain;
        /** The level step {@code k} evaluates, where {@link #gain} is set. */
        private final int[] levelAt;
        /** Made at the first pair in closed form. */
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
            this.levelAt = new int[steps];
            this.gain = closedForm && !carries ? gains() : null;
        }

        /**
         * {@link #gain}, found from the step on one coordinate with a constant score matrix {@code p}: the state's
         * factor is {@code alpha - beta p} and its added variance does not move with {@code p} (checked at three
         * values, else {@code null}); the denoiser moves {@code p} by {@code -dA / noise(t)}
         * ({@link PerturbedDenoiserScore}), so {@code gamma = beta / noise(t)}.
         */
        private double[] gains() {
            if (scheme.evaluationsPerStep() != 1 || levels.count() != steps) {
                return null;
            }
            for (int e = 0; e < levels.count(); e++) {
                if (levels.first(e) != levels.last(e)) {
                    return null;
                }
                levelAt[levels.first(e)] = e;
            }
            double[] gains = new double[steps];
            for (int k = 0; k < steps; k++) {
                double[] factor = new double[3];
                double[] added = new double[3];
                for (int p = 0; p < 3; p++) {
                    double constant = p;
                    LinearScore score = new LinearScore() {
                        @Override
                        public int dimension() {
                            return 1;
                        }

                        @Override
                        public void at(double t, double[] pOut, double[] c) {
                            pOut[0] = constant;
                            c[0] = 0;
                        }
                    };
                    GaussianLaw unit = new GaussianLaw(1, new double[] {1}, new double[1]);
                    GaussianLaw out = scheme.step(unit, score, process, grid.forward(k), grid.forward(k + 1));
                    factor[p] = out.mean()[0];
                    added[p] = out.cov()[0];
                }
                double scale = Math.abs(factor[0]) + Math.abs(factor[1]) + Math.abs(factor[2]);
                double noise = Math.abs(added[0]) + Math.abs(added[1]) + Math.abs(added[2]);
                if (!(Math.abs(factor[2] - 2 * factor[1] + factor[0]) <= AFFINE * scale)
                        || !(Math.abs(added[1] - added[0]) + Math.abs(added[2] - added[0]) <= AFFINE * noise)) {
                    return null;
                }
                gains[k] = (factor[0] - factor[1]) / process.noise(levels.time(levelAt[k]));
            }
            return gains;
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
                optimization(new int[] {i});
                bias(i);
                if (n > 0) {
                    generalization(new int[] {i});
                    sampleMean(i);
                }
                if (gain != null) {
                    pairsInClosedForm(i);
                    continue;
                }
                for (int j = i + 1; j < d; j++) {
                    optimization(new int[] {i, j});
                    if (n > 0) {
                        generalization(new int[] {i, j});
                    }
                }
            }
            for (int r = 0; r < points.length - 1; r++) {
                recorder.offer(points[r], grid.backward(points[r]), Math.sqrt(expected[r]));
            }
            return recorder.result(TheoryResult.Status.OK, Math.sqrt(expected[points.length - 1]));
        }

        /**
         * The pairs {@code (i, j > i)} of a sampler with a {@link #gain} (docs/theory.md 15.3, the pairs in closed form): what
         * {@link #optimization} and {@link #generalization} compute by differences, in closed form. Step {@code k}
         * maps the pair's covariance by {@code M = diag(a_i, a_j) + gamma_k dA}; with {@code S = S0 + S1 + S2}, the
         * entry {@code (i, j)} of one level's fluctuation adds {@code gamma a_j v_j dA_ij} to {@code S1_ij} and
         * {@code gamma^2 v_j dA_ij^2} to {@code S2_ii}; the training set's direction, the same at every level,
         * carries {@code S1} and {@code S2} from step to step.
         */
        private void pairsInClosedForm(int i) {
            if (columns == null) {
                columns = new Columns();
            }
            int count = d - i - 1;
            double[] opt1 = new double[count];
            double[] opt2i = new double[count];
            double[] opt2j = new double[count];
            double[] gen1 = new double[count];
            double[] gen2i = new double[count];
            double[] gen2j = new double[count];
            for (int k = 0; k < steps; k++) {
                double g = gain[k];
                double[] ak = columns.a[k];
                double[] vk = columns.v[k];
                double[] gav = columns.gainFactorVariance[k];
                double[] ggv = columns.gainSquaredVariance[k];
                double[] row = columns.row[k];
                double[] column = columns.column[k];
                double[] inverse = columns.inverseFeature[k];
                double[] reachedInverse = columns.reachedInverse[k];
                double ai = ak[i];
                double vi = vk[i];
                double gavI = gav[i];
                double ggvI = ggv[i];
                double rowI = row[i];
                double columnI = column[i];
                double s2 = columns.noise[k];
                // the direction's move of A_ij (10.4, 15.3): sigma_t^2 / (s_i s_j), reached as a column of j
                double moveI = s2 * inverse[i];
                double moveReachedI = moveI * columns.reached[k][i];
                for (int q = 0; q < count; q++) {
                    int j = i + 1 + q;
                    double aj = ak[j];
                    double vij = rowI * column[j];
                    double vji = row[j] * columnI;
                    double aij = ai * aj;
                    opt1[q] = opt1[q] * aij * aij + vij * gav[j] * gav[j] + vji * gavI * gavI;
                    opt2i[q] = opt2i[q] * ai * ai + vij * ggv[j];
                    opt2j[q] = opt2j[q] * aj * aj + vji * ggvI;
                    double mij = moveI * reachedInverse[j];
                    double mji = moveReachedI * inverse[j];
                    double gmij = g * mij;
                    double gmji = g * mji;
                    double before = gen1[q];
                    gen2i[q] = ai * ai * gen2i[q] + 2 * ai * gmij * before + gmij * gmij * vk[j];
                    gen2j[q] = aj * aj * gen2j[q] + 2 * aj * gmji * before + gmji * gmji * vi;
                    gen1[q] = aij * before + gmij * aj * vk[j] + gmji * ai * vi;
                }
                boolean last = k + 1 == steps;
                if (pointOf[k + 1] >= 0) {
                    addPairs(pointOf[k + 1], i, opt1, opt2i, opt2j, gen1, gen2i, gen2j);
                }
                if (last) {
                    addPairs(points.length - 1, i, opt1, opt2i, opt2j, gen1, gen2i, gen2j);
                }
            }
        }

        /**
         * Step by step, what {@link #pairsInClosedForm} reads for every coordinate: the exact-score factor and
         * variance, and at the step's level the settled and reached shares and {@code 1 / (lambda + sigma_t^2)}.
         */
        private final class Columns {
            final double[][] a = new double[steps][d];
            final double[][] v = new double[steps][d];
            /** {@code gamma_k a v} and {@code gamma_k^2 v}. */
            final double[][] gainFactorVariance = new double[steps][d];
            final double[][] gainSquaredVariance = new double[steps][d];
            /** {@code Var(A_ij) = row_i column_j}: {@code tau^2 r_i} and {@code W_jj} times the settled share. */
            final double[][] row = new double[steps][d];
            final double[][] column = new double[steps][d];
            final double[][] reached = new double[steps][d];
            /** {@code 1 / (lambda + sigma_t^2)}, and times the reached share. */
            final double[][] inverseFeature = new double[steps][d];
            final double[][] reachedInverse = new double[steps][d];
            /** {@code sigma_t^2} of the step's level. */
            final double[] noise = new double[steps];
            /** At every point: the square roots of the targets and of the exact-score variances, and {@code g}. */
            final double[][] rootTarget = new double[points.length][d];
            final double[][] rootVariance = new double[points.length][d];
            final double[][] g = new double[points.length][d];

            Columns() {
                for (int k = 0; k < steps; k++) {
                    int e = levelAt[k];
                    double s2 = square(process.noiseLevel(levels.time(e)));
                    noise[k] = s2;
                    for (int j = 0; j < d; j++) {
                        double lj = spectrum.lambda(j);
                        a[k][j] = Run.this.a[j][k];
                        v[k][j] = Run.this.v[j][k];
                        gainFactorVariance[k][j] = gain[k] * a[k][j] * v[k][j];
                        gainSquaredVariance[k][j] = gain[k] * gain[k] * v[k][j];
                        row[k][j] = laws[e].rowScale(j);
                        column[k][j] = laws[e].columnWeight(j) * settled(e, lj);
                        reached[k][j] = reached(e, lj);
                        inverseFeature[k][j] = 1 / (lj + s2);
                        reachedInverse[k][j] = reached[k][j] * inverseFeature[k][j];
                    }
                }
                for (int r = 0; r < points.length; r++) {
                    int k = points[r];
                    for (int j = 0; j < d; j++) {
                        double x = target(j, r);
                        rootTarget[r][j] = Math.sqrt(x);
                        rootVariance[r][j] = Math.sqrt(Run.this.v[j][k]);
                        g[r][j] = BuresExpansion.g(x, Run.this.v[j][k]);
                    }
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
            GaussianLaw base = window(start, c, from, to, null);
            int off = m == 2 ? m : 0;
            for (int row = 0; row < m; row++) {
                for (int col = 0; col < m; col++) {
                    double var = laws[e].varianceA(c[row], c[col]) * settled(e, spectrum.lambda(c[col]));
                    if ((m == 2 && row == col) || !(var > 0)) {
                        continue;
                    }
                    // an off-diagonal entry is nilpotent: the law is quadratic in it, and a whole step has no truncation
                    double h = (m == 2 ? 1 : STEP) * Math.sqrt(var);
                    int entry = col * m + row;
                    GaussianLaw plus = window(start, c, from, to, (t, da, db) -> atLevel(t, e, () -> da[entry] = h));
                    GaussianLaw minus = window(start, c, from, to, (t, da, db) -> atLevel(t, e, () -> da[entry] = -h));
                    moments[0] += var * square((plus.cov()[off] - minus.cov()[off]) / (2 * h));
                    for (int q = 0; q < m; q++) {
                        int qq = q * m + q;
                        moments[2 + q] += var * (plus.cov()[qq] + minus.cov()[qq] - 2 * base.cov()[qq]) / (2 * h * h);
                    }
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
