package org.w2lab.jobs.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.XYChart;

/** The quickstart (conf/quickstart.conf): the exact error of each scheme against its budget, per initialization. */
final class QuickstartFigures {
    private QuickstartFigures() {
    }

    /** One figure per init: W2 against NFE for each scheme, the continuous processes as flat dashed references. */
    static List<Figure> figures(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT sampler, init, nfe, w2_theory FROM summary "
                + "WHERE experiment = 'quickstart' AND status = 'ok' ORDER BY init DESC, sampler, nfe");
        List<Row> schemes = rows.stream().filter(r -> r.getAs("nfe") != null).toList();
        if (schemes.isEmpty()) {
            return List.of();
        }
        double lo = schemes.stream().mapToDouble(r -> Sql.num(r, "nfe")).min().orElseThrow();
        double hi = schemes.stream().mapToDouble(r -> Sql.num(r, "nfe")).max().orElseThrow();
        List<Figure> figures = new ArrayList<>();
        for (Map.Entry<String, List<Row>> byInit : Sql.groupBy(rows, r -> Sql.str(r, "init")).entrySet()) {
            String init = byInit.getKey();
            XYChart chart = Charts.xy("W₂ to p_data against the budget, start " + (init.equals("p_T") ? "p_T"
                    : "N(0, I)"), "NFE (score evaluations)", "W₂(law of X_N, p_data)", true, true);
            for (Map.Entry<String, List<Row>> e : PierretFigures.bySampler(byInit.getValue())) {
                List<Row> r = e.getValue();
                boolean continuous = r.get(0).getAs("nfe") == null;
                List<double[]> points = continuous ? List.of(new double[] {lo, Sql.num(r.get(0), "w2_theory")},
                        new double[] {hi, Sql.num(r.get(0), "w2_theory")}) : Sql.points(r, "nfe", "w2_theory");
                Charts.line(chart, Palette.label(e.getKey()), points, Palette.sampler(e.getKey()),
                        Palette.marker(e.getKey()), continuous ? Charts.DASHED : Charts.SOLID);
            }
            figures.add(new Figure("quickstart_nfe_" + init, "Quickstart: the error against the budget, start "
                    + init, "Exact W₂ between each scheme's output and p_data against its number of score "
                    + "evaluations, on a power-law spectrum; the continuous SDE and ODE (dashed, flat: they have no "
                    + "budget) are what the schemes tend to as the budget grows.", "conf/quickstart.conf",
                    List.of("summary.sampler", "summary.init", "summary.nfe", "summary.w2_theory", "summary.status"),
                    chart));
        }
        return figures;
    }
}
