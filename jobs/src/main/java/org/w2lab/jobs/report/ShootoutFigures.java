package org.w2lab.jobs.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;

/**
 * The sampler shoot-out (conf/sampler-shootout.conf): for each score (exact, with error delta, or learned from N
 * samples with step tau), every sampler's exact (learned: predicted) W2 against its budget of score evaluations, on the time grid that serves it best at that budget, so the
 * ranking at equal NFE reads off vertically.
 */
final class ShootoutFigures {
    static final String EXPERIMENT = "sampler_shootout";

    private ShootoutFigures() {
    }

    static List<Figure> figures(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT score, coalesce(delta, 0) AS delta, coalesce(n_train, 0) AS n, "
                + "coalesce(tau, 0) AS tau, sampler, budget, min(w2_theory) AS w2 FROM (SELECT *, round(nfe, -1) AS "
                + "budget FROM summary WHERE experiment = '" + EXPERIMENT + "' AND status = 'ok') GROUP BY score, "
                + "coalesce(delta, 0), coalesce(n_train, 0), coalesce(tau, 0), sampler, budget "
                + "ORDER BY score, delta, n, tau, sampler, budget");
        List<Figure> figures = new ArrayList<>();
        for (List<Row> panel : Sql.groupBy(rows, r -> List.of(Sql.str(r, "score"), Sql.num(r, "delta"),
                Sql.num(r, "n"), Sql.num(r, "tau"))).values()) {
            Row first = panel.get(0);
            String kind = Sql.str(first, "score");
            double delta = Sql.num(first, "delta");
            long n = Math.round(Sql.num(first, "n"));
            String tau = HuraultFigures.fmt(Sql.num(first, "tau"));
            String score = switch (kind) {
                case "learned" -> String.format(Locale.ROOT, "score learned from N = %d samples, τ = %s", n, tau);
                case "perturbed" -> "score error δ = " + HuraultFigures.fmt(delta);
                default -> "exact score";
            };
            XYChart chart = Charts.xy("Samplers at equal NFE, " + score, "NFE budget (score evaluations)",
                    "learned".equals(kind) ? "predicted W₂(output law, p_data), best grid"
                            : "W₂(output law, p_data), best grid", true, true);
            for (Map.Entry<String, List<Row>> e : PierretFigures.bySampler(panel)) {
                Charts.line(chart, Palette.label(e.getKey()), Sql.points(e.getValue(), "budget", "w2"),
                        Palette.sampler(e.getKey()), Palette.marker(e.getKey()), Charts.SOLID);
            }
            String name = switch (kind) {
                case "learned" -> String.format(Locale.ROOT, "sampler_shootout_learned_N%d_tau%s", n, tau);
                case "perturbed" -> "sampler_shootout_delta" + HuraultFigures.fmt(delta);
                default -> "sampler_shootout_exact";
            };
            String what = "learned".equals(kind)
                    ? "The error predicted from the configuration (docs/theory.md 15.3) of every sampler whose score "
                    + "is a linear denoiser learned at every noise level it meets, against its budget of score "
                    + "evaluations, each at the time grid (uniform, exponential, edm) that gives it the smallest "
                    + "error at that budget. Circles: stochastic samplers; diamonds: deterministic ones. The learned "
                    + "score's error, set mostly by N, dominates from a few tens of evaluations on."
                    : "Exact W₂ of every sampler against its budget of score evaluations, each at the time grid "
                    + "(uniform, exponential, edm) that gives it the smallest error at that budget. Circles: "
                    + "stochastic samplers; diamonds: deterministic ones. With a score error the stochastic samplers "
                    + "lose less than the deterministic ones.";
            figures.add(new Figure(name, "Sampler shoot-out: " + score, what, "conf/sampler-shootout.conf",
                    List.of("summary.sampler", "summary.grid", "summary.score", "summary.delta", "summary.n_train",
                            "summary.tau", "summary.nfe", "summary.w2_theory"), chart));
        }
        return figures;
    }
}
