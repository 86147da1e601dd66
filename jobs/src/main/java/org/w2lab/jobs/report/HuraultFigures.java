package org.w2lab.jobs.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.w2lab.stats.SeedStatistics;

/**
 * Hurault et al.: Figure 1 (the SGD stationary law), Figure 2 (W2 against sigma), Figure 3 (diffusion with learned
 * scores along the trajectory), Figure 4 (spectra), Figure 5 (the kernel), the validity sweep.
 */
final class HuraultFigures {
    private HuraultFigures() {
    }

    /**
     * Figure 1: W2 between the predicted Gaussian law of the SGD iterates and the fit of the seeds' final iterates,
     * exact and first-order second moments, beside the range a perfect prediction would show; against tau (at the
     * largest group of equal N) and against N (at the largest group of equal tau).
     */
    static List<Figure> figure1(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT tau, n_train, w2_sgd_law_exact, w2_sgd_law_first_order, "
                + "w2_sgd_law_perfect_median, w2_sgd_law_perfect_q95 FROM summary "
                + "WHERE experiment = 'hurault_figure1' ORDER BY tau, n_train");
        return sweeps(rows, "hurault_figure1", HuraultFigures::figure1);
    }

    /** A figure of one sweep: its rows in order of {@code x}, the symbol, the file name, the parameter held fixed. */
    private interface SweepFigure {
        Figure draw(List<Row> rows, String x, String symbol, String name, String fixed);
    }

    /**
     * The sweep against tau (the largest group of rows with equal N) and the sweep against N (the largest group with
     * equal tau), each drawn when it has two points or more, as {@code PREFIX_tau} and {@code PREFIX_N}.
     */
    private static List<Figure> sweeps(List<Row> rows, String prefix, SweepFigure figure) {
        List<Figure> figures = new ArrayList<>();
        List<Row> tauSweep = largest(Sql.groupBy(rows, r -> Sql.num(r, "n_train")));
        List<Row> nSweep = largest(Sql.groupBy(rows, r -> Sql.num(r, "tau")));
        if (tauSweep.size() > 1) {
            figures.add(figure.draw(tauSweep, "tau", "τ", prefix + "_tau",
                    "N = " + Math.round(Sql.num(tauSweep.get(0), "n_train"))));
        }
        if (nSweep.size() > 1) {
            figures.add(figure.draw(nSweep.stream().sorted(Comparator.comparingDouble(r -> Sql.num(r, "n_train")))
                    .toList(), "n_train", "N", prefix + "_N", "τ = " + fmt(Sql.num(nSweep.get(0), "tau"))));
        }
        return figures;
    }

    private static Figure figure1(List<Row> rows, String x, String symbol, String name, String fixed) {
        XYChart chart = Charts.xy("The SGD stationary law, " + fixed, symbol, "W₂(predicted law, fit of the iterates)",
                true, Charts.spansDecades(Sql.points(rows, x, "w2_sgd_law_first_order"), 1));
        List<double[]> perfect = new ArrayList<>();
        for (Row r : rows) {
            Double median = (Double) r.getAs("w2_sgd_law_perfect_median");
            Double q95 = (Double) r.getAs("w2_sgd_law_perfect_q95");
            if (median != null && q95 != null) {
                perfect.add(new double[] {Sql.num(r, x), median, q95});
            }
        }
        Charts.band(chart, "a perfect prediction: median to 95th percentile", perfect, Palette.CONDITIONAL);
        Charts.line(chart, "exact second moments", Sql.points(rows, x, "w2_sgd_law_exact"), Palette.PREDICTED,
                SeriesMarkers.CIRCLE, Charts.SOLID);
        Charts.line(chart, "first order (Theorem 1)", Sql.points(rows, x, "w2_sgd_law_first_order"),
                Palette.FIRST_ORDER, SeriesMarkers.SQUARE, Charts.DASHED);
        return new Figure(name, "Hurault et al., Figure 1: the SGD stationary law against " + symbol + " ("
                + fixed + ")",
                "W₂ between the predicted Gaussian law of the SGD iterates (A, b) and the Gaussian fit of the seeds' "
                + "final iterates, with the exact stationary second moments and to first order, beside the range of "
                + "the W₂ a perfect prediction would show with as many seeds (the fit's sampling error). A point "
                + "above the band is a prediction off by more than that error (docs/theory.md, 10.9).",
                "conf/hurault-figure1.conf", List.of("summary.tau", "summary.n_train", "summary.w2_sgd_law_exact",
                        "summary.w2_sgd_law_first_order", "summary.w2_sgd_law_perfect_median",
                        "summary.w2_sgd_law_perfect_q95"), chart);
    }

    /**
     * Figure 2, one panel per (tau, N): the predicted error, the mean over seeds of the conditional (exact law of
     * each seed's learned chain) and of the empirical (particles) errors with their 95% Student intervals.
     */
    static List<Figure> figure2(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT config_id, tau, n_train, sigma, w2_plus_generalization_predicted, "
                + "w2_empirical_mean, w2_empirical_ci95, n_ok, n_seeds FROM summary "
                + "WHERE experiment = 'hurault_figure2' ORDER BY tau, n_train, sigma");
        Map<String, SeedStatistics> conditional = conditional(spark, "hurault_figure2");
        List<Figure> figures = new ArrayList<>();
        for (List<Row> panel : Sql.groupBy(rows, r -> List.of(Sql.num(r, "tau"), Sql.num(r, "n_train"))).values()) {
            double tau = Sql.num(panel.get(0), "tau");
            long n = Math.round(Sql.num(panel.get(0), "n_train"));
            XYChart chart = Charts.xy(String.format(Locale.ROOT, "Langevin with a learned score: τ = %s, N = %d",
                    fmt(tau), n), "σ", "W₂(sampled law, p_data)", true,
                    Charts.spansDecades(Sql.points(panel, "sigma", "w2_empirical_mean"), 1));
            List<double[]> cond = new ArrayList<>();
            List<double[]> condBand = new ArrayList<>();
            for (Row r : panel) {
                SeedStatistics c = conditional.get(Sql.str(r, "config_id"));
                if (c != null) {
                    meanWithBand(Sql.num(r, "sigma"), c, cond, condBand);
                }
            }
            XYSeries empiricalBand = Charts.band(chart, "empirical, 95% interval",
                    Sql.interval(panel, "sigma", "w2_empirical_mean", "w2_empirical_ci95"), Palette.EMPIRICAL);
            Charts.overlap(chart, empiricalBand, Charts.band(chart, "conditional, 95% interval", condBand,
                    Palette.CONDITIONAL), "both 95% intervals");
            Charts.line(chart, "predicted (from the configuration)",
                    Sql.points(panel, "sigma", "w2_plus_generalization_predicted"), Palette.PREDICTED,
                    SeriesMarkers.NONE, Charts.DASHED);
            // the particles sample the conditional law, so the two lines nearly coincide: the conditional on top
            Charts.line(chart, "empirical (particles)", Sql.points(panel, "sigma", "w2_empirical_mean"),
                    Palette.EMPIRICAL, SeriesMarkers.SQUARE, Charts.SOLID);
            Charts.line(chart, "conditional (exact law of the learned chain)", cond, Palette.CONDITIONAL,
                    SeriesMarkers.CIRCLE, Charts.SOLID);
            figures.add(new Figure(String.format(Locale.ROOT, "hurault_figure2_tau%s_N%d", fmt(tau), n),
                    String.format(Locale.ROOT, "Hurault et al., Figure 2: W₂ against σ at τ = %s, N = %d", fmt(tau),
                            n),
                    "The error of the whole pipeline (N samples, denoiser learned by SGD with step τ, ULA with its "
                    + "score) against the noise level σ: predicted from the configuration alone (dashed), the mean "
                    + "over seeds of the exact W₂ of each seed's learned chain (conditional) and of the particles' "
                    + "bias-corrected Gaussian fit (empirical), with 95% Student intervals over the ok seeds (a band reaching zero is cut at the bottom of the axis). "
                    + "Seeds that diverged are left out of the means (summary.n_diverged).",
                    "conf/hurault-figure2.conf", List.of("summary.sigma", "summary.tau", "summary.n_train",
                            "summary.w2_plus_generalization_predicted", "runs.w2_theory_conditional",
                            "summary.w2_empirical_mean", "summary.w2_empirical_ci95"), chart));
        }
        return figures;
    }

    /** Mean and 95% interval over the ok seeds of {@code runs.w2_theory_conditional}, by configuration. */
    private static Map<String, SeedStatistics> conditional(SparkSession spark, String experiment) {
        List<Row> rows = Sql.rows(spark, "SELECT config_id, w2_theory_conditional FROM runs WHERE experiment = '"
                + experiment + "' AND status = 'ok' AND w2_theory_conditional IS NOT NULL");
        Map<String, SeedStatistics> stats = new HashMap<>();
        Sql.groupBy(rows, r -> Sql.str(r, "config_id")).forEach((id, seeds) -> stats.put(id, SeedStatistics.of(
                seeds.stream().mapToDouble(r -> Sql.num(r, "w2_theory_conditional")).toArray())));
        return stats;
    }

    /**
     * Figure 3, one panel per configuration: along the backward trajectory of a diffusion sampler with a score
     * learned at every noise level, the predicted error (the theory's rows of {@code trajectories}), and the means
     * over seeds of the exact error of each seed's learned denoisers (the seeds' {@code w2_theory}) and of its
     * particles ({@code w2_empirical}), with their 95% Student intervals.
     */
    static List<Figure> figure3(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT s.config_id, s.sampler, s.grid, s.ratio, s.tau, s.n_train, t.seed, "
                + "s.T - t.t AS remaining, t.w2_theory, t.w2_empirical FROM trajectories t JOIN summary s "
                + "USING (experiment, config_id) WHERE experiment = 'hurault_figure3' AND t.step > 0 "
                + "ORDER BY s.config_id, t.step, t.seed");
        List<Figure> figures = new ArrayList<>();
        for (List<Row> panel : Sql.groupBy(rows, r -> Sql.str(r, "config_id")).values()) {
            Row first = panel.get(0);
            String grid = Sql.str(first, "grid");
            Object ratio = first.getAs("ratio");
            String steps = ratio == null ? grid + " steps" : "exponential steps, ratio " + fmt((Double) ratio);
            double tau = Sql.num(first, "tau");
            long n = Math.round(Sql.num(first, "n_train"));
            List<double[]> predicted = new ArrayList<>();
            List<double[]> conditional = new ArrayList<>();
            List<double[]> conditionalBand = new ArrayList<>();
            List<double[]> empirical = new ArrayList<>();
            List<double[]> empiricalBand = new ArrayList<>();
            for (List<Row> step : Sql.groupBy(panel, r -> Sql.num(r, "remaining")).values()) {
                double x = Sql.num(step.get(0), "remaining");
                List<Double> cond = new ArrayList<>();
                List<Double> emp = new ArrayList<>();
                for (Row r : step) {
                    Double theory = (Double) r.getAs("w2_theory");
                    if (r.isNullAt(r.fieldIndex("seed"))) {
                        if (theory != null) {
                            predicted.add(new double[] {x, theory});
                        }
                    } else {
                        if (theory != null) {
                            cond.add(theory);
                        }
                        Double particles = (Double) r.getAs("w2_empirical");
                        if (particles != null) {
                            emp.add(particles);
                        }
                    }
                }
                meanWithBand(x, cond, conditional, conditionalBand);
                meanWithBand(x, emp, empirical, empiricalBand);
            }
            XYChart chart = Charts.xy(String.format(Locale.ROOT, "%s%s, τ = %s, N = %d",
                    steps.substring(0, 1).toUpperCase(Locale.ROOT), steps.substring(1), fmt(tau), n), "T − t_k",
                    "W₂(law of X_k, p_{T − t_k})", true, Charts.spansDecades(conditional, 1));
            Charts.overlap(chart, Charts.band(chart, "empirical, 95% interval", empiricalBand, Palette.EMPIRICAL),
                    Charts.band(chart, "conditional, 95% interval", conditionalBand, Palette.CONDITIONAL),
                    "both 95% intervals");
            Charts.line(chart, "empirical (particles)", empirical, Palette.EMPIRICAL, SeriesMarkers.SQUARE,
                    Charts.SOLID);
            Charts.line(chart, "conditional (exact law given the learned scores)", conditional, Palette.CONDITIONAL,
                    SeriesMarkers.CIRCLE, Charts.SOLID);
            // on top: the prediction runs inside the conditional band where it holds
            Charts.line(chart, "predicted (from the configuration)", predicted, Palette.PREDICTED, SeriesMarkers.NONE,
                    Charts.DASHED);
            String sampler = Palette.label(Sql.str(first, "sampler"));
            figures.add(new Figure(String.format(Locale.ROOT, "hurault_figure3_%s_tau%s_N%d", grid, fmt(tau), n),
                    String.format(Locale.ROOT, "Hurault et al., Figure 3: the error along the trajectory, %s, %s",
                            sampler, steps),
                    "W₂ between the law after k steps and the marginal p_{T − t_k} it tracks, for " + sampler
                    + " with a linear denoiser learned by SGD at every noise level on one training set of N samples: "
                    + "predicted from the configuration alone to first order in τ and 1/N (dashed, docs/theory.md "
                    + "15.3), the mean over seeds of the exact W₂ given each seed's learned denoisers (conditional) "
                    + "and of its particles' bias-corrected Gaussian fit (empirical), with 95% Student intervals. Time "
                    + "runs from right (noise) to left (data).",
                    "conf/hurault-figure3.conf", List.of("trajectories.t", "trajectories.seed",
                            "trajectories.w2_theory", "trajectories.w2_empirical", "summary.grid", "summary.ratio",
                            "summary.tau", "summary.n_train", "summary.T"), chart));
        }
        return figures;
    }

    /** Appends the mean of {@code values} at {@code x}, and its 95% Student interval when there are two or more. */
    private static void meanWithBand(double x, List<Double> values, List<double[]> means, List<double[]> band) {
        if (!values.isEmpty()) {
            meanWithBand(x, SeedStatistics.of(values.stream().mapToDouble(Double::doubleValue).toArray()), means,
                    band);
        }
    }

    /** Appends a mean over seeds at {@code x}, and its 95% Student interval where it is finite. */
    private static void meanWithBand(double x, SeedStatistics stats, List<double[]> means, List<double[]> band) {
        means.add(new double[] {x, stats.mean()});
        if (Double.isFinite(stats.ci95())) {
            band.add(new double[] {x, stats.mean() - stats.ci95(), stats.mean() + stats.ci95()});
        }
    }

    /** Figure 4: the power spectra {@code lambda_i = i^(-zeta)}, log-log. */
    static List<Figure> figure4(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT zeta, i, lambda FROM spectra WHERE experiment = 'hurault_figure4' "
                + "ORDER BY zeta, i");
        if (rows.isEmpty()) {
            return List.of();
        }
        XYChart chart = Charts.xy("Power spectra λ_i = i^(−ζ)", "i", "λ_i", true, true);
        int k = 0;
        for (Map.Entry<Double, List<Row>> e : Sql.groupBy(rows, r -> Sql.num(r, "zeta")).entrySet()) {
            Charts.line(chart, "ζ = " + fmt(e.getKey()), Sql.points(e.getValue(), "i", "lambda"),
                    Palette.sequence(k++), SeriesMarkers.NONE, Charts.SOLID);
        }
        return List.of(new Figure("hurault_figure4_spectra", "Hurault et al., Figure 4: the power spectra",
                "The eigenvalues of the data covariance for each decay ζ: ζ = 0 is white noise, larger ζ puts the "
                + "energy in fewer directions. The predicted error on each is summary.w2_theory.",
                "conf/hurault-figure4.conf", List.of("spectra.zeta", "spectra.i", "spectra.lambda"), chart));
    }

    /**
     * Figure 5: the optimization part of the pair kernel divided by tau (the paper's {@code k^tau}) over
     * {@code [0, 1]^2}, one heat map per sigma.
     */
    static List<Figure> figure5(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT sigma, lambda_i, lambda_j, value_optimization / tau AS k_tau "
                + "FROM kernels WHERE experiment = 'hurault_figure5' ORDER BY sigma, lambda_i, lambda_j");
        List<Figure> figures = new ArrayList<>();
        for (Map.Entry<Double, List<Row>> e : Sql.groupBy(rows, r -> Sql.num(r, "sigma")).entrySet()) {
            List<Row> grid = e.getValue();
            List<Double> xs = new ArrayList<>(new TreeSet<>(grid.stream().map(r -> Sql.num(r, "lambda_i")).toList()));
            List<Double> ys = new ArrayList<>(new TreeSet<>(grid.stream().map(r -> Sql.num(r, "lambda_j")).toList()));
            List<Number[]> cells = new ArrayList<>();
            for (Row r : grid) {
                cells.add(new Number[] {xs.indexOf(Sql.num(r, "lambda_i")), ys.indexOf(Sql.num(r, "lambda_j")),
                        Sql.num(r, "k_tau")});
            }
            HeatMapChart chart = Charts.heatMap("Pair kernel k^τ(λ_i, λ_j), σ = " + fmt(e.getKey()), "λ_i", "λ_j");
            chart.addSeries("k^τ", ticks(xs), ticks(ys), cells);
            figures.add(new Figure("hurault_figure5_sigma" + fmt(e.getKey()),
                    "Hurault et al., Figure 5: the kernel at σ = " + fmt(e.getKey()),
                    "What a pair of eigenvalues (λ_i, λ_j) of the data adds to the predicted E W₂², optimization "
                    + "part divided by τ (first order in τ), on a grid of [0, 1]²; cells where the exact-score chain "
                    + "is unstable are left out.", "conf/hurault-figure5.conf", List.of("kernels.sigma",
                            "kernels.lambda_i", "kernels.lambda_j", "kernels.value_optimization", "kernels.tau"),
                    chart));
        }
        return figures;
    }

    /** Category labels of a heat map axis: every fifth value printed, the others blank but distinct. */
    private static List<String> ticks(List<Double> values) {
        List<String> labels = new ArrayList<>();
        int every = Math.max(1, values.size() / 8);
        for (int k = 0; k < values.size(); k++) {
            labels.add(k % every == 0 || k == values.size() - 1 ? fmt(values.get(k)) : " ".repeat(k + 1));
        }
        return labels;
    }

    /**
     * The validity sweep: predicted {@code E W2^2} (exact SGD second moments and first order) against the mean over
     * seeds of the conditional stationary {@code W2^2} with its 95% interval, against tau and against N.
     */
    static List<Figure> validity(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT tau, n_train, pow(w2_plus_generalization_predicted, 2) AS predicted, "
                + "pow(w2_predicted_first_order, 2) AS first_order, w2sq_conditional_stationary_mean AS measured, "
                + "w2sq_conditional_stationary_ci95 AS ci95 FROM summary WHERE experiment = 'hurault_validity' "
                + "ORDER BY tau, n_train");
        return sweeps(rows, "hurault_validity", HuraultFigures::validityFigure);
    }

    private static List<Row> largest(Map<?, List<Row>> groups) {
        return groups.values().stream().max(Comparator.comparingInt(List::size)).orElse(List.of());
    }

    private static Figure validityFigure(List<Row> rows, String x, String symbol, String name, String fixed) {
        XYChart chart = Charts.xy("Predicted E W₂² against the pipeline, " + fixed, symbol, "E W₂²", true,
                Charts.spansDecades(Sql.points(rows, x, "measured"), 1));
        Charts.band(chart, "measured, 95% interval", Sql.interval(rows, x, "measured", "ci95"), Palette.CONDITIONAL);
        Charts.line(chart, "predicted (exact SGD moments)", Sql.points(rows, x, "predicted"), Palette.PREDICTED,
                SeriesMarkers.NONE, Charts.DASHED);
        Charts.line(chart, "predicted (first order)", Sql.points(rows, x, "first_order"), Palette.FIRST_ORDER,
                SeriesMarkers.NONE, Charts.DASHED);
        Charts.line(chart, "measured (conditional, stationary)", Sql.points(rows, x, "measured"),
                Palette.CONDITIONAL, SeriesMarkers.CIRCLE, Charts.SOLID);
        return new Figure(name, "Where the prediction holds: E W₂² against " + symbol + " (" + fixed + ")",
                "The predicted E W₂² of the pipeline, with the exact stationary second moments of SGD and to first "
                + "order, against the mean over the ok seeds of the exact stationary W₂² of each seed's learned "
                + "chain, with its 95% interval. Past about a tenth of the variance bound on τ the error turns "
                + "heavy-tailed and seeds diverge (summary.n_diverged).", "conf/hurault-validity.conf",
                List.of("summary.tau", "summary.n_train", "summary.w2_plus_generalization_predicted",
                        "summary.w2_predicted_first_order", "summary.w2sq_conditional_stationary_mean",
                        "summary.w2sq_conditional_stationary_ci95"), chart);
    }

    /** A parameter value as short as it reads: 0.01, 1000, 0.5, 1e-5. */
    static String fmt(double v) {
        if (v != 0 && Math.abs(v) < 1e-3) {
            int e = (int) Math.floor(Math.log10(Math.abs(v)));
            return fmt(v / Math.pow(10, e)) + "e" + e;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? Long.toString((long) v)
                : new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
