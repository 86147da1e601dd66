package org.w2lab.jobs.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;

/**
 * The sampler shoot-out (conf/sampler-shootout.conf): for each score (exact, or with error delta), every sampler's
 * exact W2 against its budget of score evaluations, on the time grid that serves it best at that budget, so the
 * ranking at equal NFE reads off vertically.
 */
final class ShootoutFigures {
    static final String EXPERIMENT = "sampler_shootout";

    private ShootoutFigures() {
    }

    static List<Figure> figures(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT score, coalesce(delta, 0) AS delta, sampler, budget, "
                + "min(w2_theory) AS w2 FROM (SELECT *, round(nfe, -1) AS budget FROM summary WHERE experiment = '"
                + EXPERIMENT + "' AND status = 'ok') GROUP BY score, coalesce(delta, 0), sampler, budget "
                + "ORDER BY delta, sampler, budget");
        List<Figure> figures = new ArrayList<>();
        for (Map.Entry<Double, List<Row>> byDelta : Sql.groupBy(rows, r -> Sql.num(r, "delta")).entrySet()) {
            double delta = byDelta.getKey();
            String score = delta == 0 ? "exact score" : "score error δ = " + HuraultFigures.fmt(delta);
            XYChart chart = Charts.xy("Samplers at equal NFE, " + score, "NFE budget (score evaluations)",
                    "W₂(output law, p_data), best grid", true, true);
            for (Map.Entry<String, List<Row>> e : PierretFigures.bySampler(byDelta.getValue())) {
                Charts.line(chart, Palette.label(e.getKey()), Sql.points(e.getValue(), "budget", "w2"),
                        Palette.sampler(e.getKey()), Palette.marker(e.getKey()), Charts.SOLID);
            }
            String name = delta == 0 ? "sampler_shootout_exact"
                    : String.format(Locale.ROOT, "sampler_shootout_delta%s", HuraultFigures.fmt(delta));
            figures.add(new Figure(name, "Sampler shoot-out: " + score,
                    "Exact W₂ of every sampler against its budget of score evaluations, each at the time grid "
                    + "(uniform, exponential, edm) that gives it the smallest error at that budget. Circles: "
                    + "stochastic samplers; diamonds: deterministic ones. With a score error the stochastic samplers "
                    + "lose less than the deterministic ones.", "conf/sampler-shootout.conf",
                    List.of("summary.sampler", "summary.grid", "summary.score", "summary.delta", "summary.nfe",
                            "summary.w2_theory"), chart));
        }
        return figures;
    }
}
