package org.w2lab.jobs.report;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The central check (conf/verify-samplers.conf): each scheme's exact error against its particles'. */
final class VerificationFigures {
    private VerificationFigures() {
    }

    static List<Figure> figures(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT sampler, steps, basis, w2_theory, w2_empirical_mean, "
                + "w2_empirical_ci95 FROM summary WHERE experiment = 'verify_samplers' AND status = 'ok' "
                + "AND w2_empirical_mean IS NOT NULL AND w2_empirical_ci95 IS NOT NULL ORDER BY sampler, w2_theory");
        if (rows.isEmpty()) {
            return List.of();
        }
        // error bars are symmetric: a logarithmic axis only when every bar stays above zero
        boolean log = rows.stream().allMatch(r -> Sql.num(r, "w2_empirical_mean") > Sql.num(r, "w2_empirical_ci95"))
                && Charts.spansDecades(Sql.points(rows, "w2_theory", "w2_theory"), 1);
        XYChart chart = Charts.xy("Exact theory against particles", "exact W₂ (summary.w2_theory)",
                "empirical W₂, mean over seeds ± 95% interval", log, log);
        double lo = rows.stream().mapToDouble(r -> Sql.num(r, "w2_theory")).min().orElseThrow();
        double hi = rows.stream().mapToDouble(r -> Sql.num(r, "w2_theory")).max().orElseThrow();
        Charts.line(chart, "empirical = theory", List.of(new double[] {lo / 1.2, lo / 1.2},
                new double[] {hi * 1.2, hi * 1.2}), Color.GRAY, SeriesMarkers.NONE, Charts.DASHED);
        for (Map.Entry<String, List<Row>> e : PierretFigures.bySampler(rows)) {
            List<Row> r = e.getValue();
            scatter(chart, e.getKey(), column(r, "w2_theory"), column(r, "w2_empirical_mean"),
                    column(r, "w2_empirical_ci95"));
        }
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        return List.of(new Figure("verify_samplers", "Verification: exact W₂ against the particles",
                "Each point is one (scheme, steps, basis) configuration: its exact W₂ against the mean over seeds of "
                + "the bias-corrected Gaussian-fit W₂ of its particles, with the 95% Student interval as an error "
                + "bar; every point should sit on the dashed diagonal within its bar (about 1 in 20 may miss).",
                "conf/verify-samplers.conf", List.of("summary.sampler", "summary.w2_theory",
                        "summary.w2_empirical_mean", "summary.w2_empirical_ci95", "summary.status"), chart),
                deviations(rows, lo, hi));
    }

    /**
     * The same comparison as a calibration: each mean's distance from the exact value in half widths of its 95%
     * interval. Inside the interval is between the dashed lines; about 5% of the points fall outside by chance.
     */
    private static Figure deviations(List<Row> rows, double lo, double hi) {
        XYChart chart = Charts.xy("Distance to the theory in half widths of the 95% interval",
                "exact W₂ (summary.w2_theory)", "(empirical − exact) / half width", true, false);
        Charts.line(chart, "±1: the interval's edges", List.of(new double[] {lo, 1}, new double[] {hi, 1}),
                Color.GRAY, SeriesMarkers.NONE, Charts.DASHED);
        Charts.line(chart, "−1", List.of(new double[] {lo, -1}, new double[] {hi, -1}), Color.GRAY,
                SeriesMarkers.NONE, Charts.DASHED).setShowInLegend(false);
        for (Map.Entry<String, List<Row>> e : PierretFigures.bySampler(rows)) {
            List<Row> r = e.getValue();
            double[] deviation = r.stream().mapToDouble(v -> (Sql.num(v, "w2_empirical_mean")
                    - Sql.num(v, "w2_theory")) / Sql.num(v, "w2_empirical_ci95")).toArray();
            scatter(chart, e.getKey(), column(r, "w2_theory"), deviation, null);
        }
        return new Figure("verify_samplers_deviation", "Verification: the distance to the theory in half widths",
                "For each configuration, (mean of the empirical W₂ − exact W₂) / half width of its 95% interval: "
                + "the interval holds the exact value when the point lies between the dashed lines at ±1, which "
                + "about 19 points in 20 should.", "conf/verify-samplers.conf", List.of("summary.sampler",
                        "summary.w2_theory", "summary.w2_empirical_mean", "summary.w2_empirical_ci95"), chart);
    }

    /** One sampler's points, in its colour and marker, with symmetric error bars unless {@code bars} is null. */
    private static void scatter(XYChart chart, String sampler, double[] x, double[] y, double[] bars) {
        XYSeries s = bars == null ? chart.addSeries(Palette.label(sampler), x, y)
                : chart.addSeries(Palette.label(sampler), x, y, bars);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(Palette.marker(sampler));
        s.setMarkerColor(Palette.sampler(sampler));
        s.setLineColor(Palette.sampler(sampler));
    }

    private static double[] column(List<Row> rows, String column) {
        return rows.stream().mapToDouble(r -> Sql.num(r, column)).toArray();
    }
}
