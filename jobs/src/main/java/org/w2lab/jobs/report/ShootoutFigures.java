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
                + "budget FROM summary WHERE experiment = '" + EXPERIMENT + "' AND status = 'ok' AND process = 'vp') "
                + "GROUP BY score, "
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
                    "learned".equals(kind) ? "predicted W₂(output law, p_data), best grid and schedule"
                            : "W₂(output law, p_data), best grid and schedule", true, true);
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
                    + "evaluations, each at the time grid (uniform, exponential, edm) and VP schedule (linear, cosine, "
                    + "scaled_linear) that give it the smallest error at that budget. Circles: stochastic samplers; diamonds: deterministic ones. The learned "
                    + "score's error, set mostly by N, dominates from a few tens of evaluations on."
                    : "Exact W₂ of every sampler against its budget of score evaluations, each at the time grid "
                    + "(uniform, exponential, edm) and VP schedule (linear, cosine, scaled_linear) that give it the "
                    + "smallest error at that budget. Circles: "
                    + "stochastic samplers; diamonds: deterministic ones. With a score error the stochastic samplers "
                    + "lose less than the deterministic ones.";
            figures.add(new Figure(name, "Sampler shoot-out: " + score, what, "conf/sampler-shootout.conf",
                    List.of("summary.sampler", "summary.grid", "summary.score", "summary.delta", "summary.n_train",
                            "summary.tau", "summary.nfe", "summary.w2_theory"), chart));
        }
        figures.addAll(diffusersDefaults(spark));
        return figures;
    }

    /**
     * The samplers of diffusers at their default settings, as a Stable Diffusion pipeline runs them: the
     * scaled-linear schedule, timesteps uniform in the training index ({@code grid = uniform}), DDIM at
     * {@code eta = 0}; the exact score and the score error {@code delta = 0.05}.
     */
    static final List<String> DIFFUSERS = List.of("ddpm", "ddim", "euler_ancestral", "edm_heun", "lms", "dpmpp_2m",
            "dpmpp_2m_sde", "dpmpp_3m_sde", "unipc");

    private static List<Figure> diffusersDefaults(SparkSession spark) {
        String samplers = String.join("', '", DIFFUSERS);
        List<Row> rows = Sql.rows(spark, "SELECT score, coalesce(delta, 0) AS delta, sampler, round(nfe, -1) AS budget, "
                + "w2_theory AS w2 FROM summary WHERE experiment = '" + EXPERIMENT + "' AND status = 'ok' AND "
                + "process = 'vp' AND schedule = 'scaled_linear' AND grid = 'uniform' AND sampler IN ('" + samplers
                + "') AND (score = 'exact' OR (score = 'perturbed' AND delta = 0.05)) ORDER BY score, sampler, budget");
        List<Figure> figures = new ArrayList<>();
        for (List<Row> panel : Sql.groupBy(rows, r -> List.of(Sql.str(r, "score"))).values()) {
            boolean exact = "exact".equals(Sql.str(panel.get(0), "score"));
            String score = exact ? "exact score" : "score error δ = 0.05";
            XYChart chart = Charts.xy("diffusers' samplers at their defaults, " + score,
                    "NFE budget (score evaluations)", "W₂(output law, p_data)", true, true);
            for (Map.Entry<String, List<Row>> e : PierretFigures.bySampler(panel)) {
                Charts.line(chart, Palette.label(e.getKey()), Sql.points(e.getValue(), "budget", "w2"),
                        Palette.sampler(e.getKey()), Palette.marker(e.getKey()), Charts.SOLID);
            }
            figures.add(new Figure(exact ? "sampler_shootout_diffusers_exact" : "sampler_shootout_diffusers_delta0.05",
                    "diffusers' samplers at their defaults: " + score,
                    "Exact W₂ of the samplers of diffusers as a Stable Diffusion pipeline runs them (the scaled-linear "
                    + "schedule, timesteps uniform in the training index, DDIM with eta = 0), against the budget of "
                    + "score evaluations; VP from N(0, I) to eps = 1e-3, d = 32.", "conf/sampler-shootout.conf",
                    List.of("summary.sampler", "summary.schedule", "summary.grid", "summary.score", "summary.delta",
                            "summary.nfe", "summary.w2_theory"), chart));
        }
        return figures;
    }
}
