package org.w2lab.jobs.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Pierret & Galerne, Figure 1: W2 along the trajectory, and W2 to the data against the truncation time. */
final class PierretFigures {
    static final String EXPERIMENT = "pierret_figure1";
    static final String CONFIG = "conf/pierret-figure1.conf";

    private PierretFigures() {
    }

    static List<Figure> figures(SparkSession spark) {
        List<Figure> figures = new ArrayList<>();
        Figure left = trajectories(spark);
        if (left != null) {
            figures.add(left);
        }
        Figure right = againstEps(spark);
        if (right != null) {
            figures.add(right);
        }
        return figures;
    }

    /** Left panel: {@code W2(law_k, p_{T - t_k})} against {@code T - t_k}, one curve per sampler, eps = 0. */
    private static Figure trajectories(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT s.sampler, s.T - t.t AS remaining, t.w2_theory FROM trajectories t "
                + "JOIN summary s USING (experiment, config_id) WHERE experiment = '" + EXPERIMENT + "' "
                + "AND t.seed IS NULL AND s.eps = 0 AND t.w2_theory IS NOT NULL ORDER BY s.sampler, t.t");
        if (rows.isEmpty()) {
            return null;
        }
        XYChart chart = Charts.xy("W₂ to p_t along the backward trajectory (ε = 0)", "T − t_k",
                "W₂(law of X_k, p_{T − t_k})", true, true);
        for (Map.Entry<String, List<Row>> e : bySampler(rows)) {
            Charts.line(chart, Palette.label(e.getKey()), Sql.points(e.getValue(), "remaining", "w2_theory"),
                    Palette.sampler(e.getKey()), SeriesMarkers.NONE,
                    e.getKey().equals("sde") || e.getKey().equals("ode") ? Charts.DASHED : Charts.SOLID);
        }
        return new Figure("pierret_figure1_trajectory", "Pierret & Galerne, Figure 1 (left): the error along the "
                + "trajectory",
                "Exact W₂ between the law of each scheme after k steps and the marginal p_{T − t_k} it tracks, from "
                + "N(0, I), CIFAR-10 spectrum, ε = 0; the continuous SDE and ODE (dashed) carry only the "
                + "initialization error. Time runs from right (t = 0, noise) to left (data).",
                CONFIG, List.of("trajectories.t", "trajectories.w2_theory", "summary.sampler", "summary.eps",
                        "summary.T"), chart);
    }

    /** Right panel: {@code W2(final law, p_data)} against eps. */
    private static Figure againstEps(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT sampler, eps, w2_theory FROM summary WHERE experiment = '"
                + EXPERIMENT + "' AND status = 'ok' AND eps > 0 ORDER BY sampler, eps");
        if (rows.isEmpty()) {
            return null;
        }
        XYChart chart = Charts.xy("W₂ to p_data against the truncation time", "ε", "W₂(law of X_N, p_data)", true,
                true);
        for (Map.Entry<String, List<Row>> e : bySampler(rows)) {
            Charts.line(chart, Palette.label(e.getKey()), Sql.points(e.getValue(), "eps", "w2_theory"),
                    Palette.sampler(e.getKey()), Palette.marker(e.getKey()),
                    e.getKey().equals("sde") || e.getKey().equals("ode") ? Charts.DASHED : Charts.SOLID);
        }
        return new Figure("pierret_figure1_eps", "Pierret & Galerne, Figure 1 (right): the error against ε",
                "Exact W₂ between each scheme's output (stopped at T − ε) and p_data, from N(0, I), CIFAR-10 "
                + "spectrum; small ε leaves the score's blow-up near t = 0 to the discretization, large ε leaves "
                + "the data unsharpened.", CONFIG, List.of("summary.sampler", "summary.eps", "summary.w2_theory",
                        "summary.status"), chart);
    }

    /** Rows by sampler, samplers in legend order. */
    static List<Map.Entry<String, List<Row>>> bySampler(List<Row> rows) {
        return Sql.groupBy(rows, r -> Sql.str(r, "sampler")).entrySet().stream()
                .sorted(Comparator.comparingInt(e -> Palette.rank(e.getKey()))).toList();
    }
}
