package org.w2lab.jobs.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Pierret & Galerne, Table 1 (conf/pierret-table.conf): W2 to p_data for each (init, eps, sampler) row and NFE
 * budget column, the continuous SDE and ODE in a column of their own. A configuration with no number (its
 * {@code status} is not {@code ok}) shows as unavailable with its status, an absent one as blank.
 *
 * @param budgets the NFE budgets, rounded to tens (RK4's 48 evaluations fall under 50)
 * @param rows    the body: init, eps, sampler, then one cell per budget, then the continuous column
 * @param notes   the statuses that made cells unavailable, with what they mean
 */
public record AblationTable(List<Integer> budgets, List<List<String>> rows, Map<String, String> notes) {
    static final String EXPERIMENT = "pierret_table";
    static final String CONFIG = "conf/pierret-table.conf";
    /** The mark of an unavailable cell in the text formats; the status follows it. */
    static final String UNAVAILABLE = "n/a";

    private static final Map<String, String> MEANINGS = Map.of("score_undefined",
            "the scheme evaluates the score at t = 0, where the data (with zero eigenvalues) has none",
            "diverged", "the recursion overflowed");

    static AblationTable of(SparkSession spark) {
        List<Row> rows = Sql.rows(spark, "SELECT sampler, init, eps, CAST(round(nfe, -1) AS INT) AS budget, "
                + "w2_theory, status FROM summary WHERE experiment = '" + EXPERIMENT + "'");
        if (rows.isEmpty()) {
            return null;
        }
        List<Integer> budgets = new ArrayList<>(new TreeSet<>(rows.stream().filter(r -> r.getAs("budget") != null)
                .map(r -> (Integer) r.getAs("budget")).toList()));
        Map<List<Object>, String[]> body = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        List<Row> sorted = rows.stream().sorted(Comparator.<Row, String>comparing(r -> Sql.str(r, "init"))
                .reversed().thenComparingDouble(r -> Sql.num(r, "eps"))
                .thenComparingInt(r -> Palette.rank(Sql.str(r, "sampler")))).toList();
        for (Row r : sorted) {
            List<Object> key = List.of(Sql.str(r, "init"), Sql.num(r, "eps"), Sql.str(r, "sampler"));
            String[] cells = body.computeIfAbsent(key, k -> new String[budgets.size() + 1]);
            Integer budget = r.getAs("budget");
            int column = budget == null ? budgets.size() : budgets.indexOf(budget);
            String status = Sql.str(r, "status");
            if ("ok".equals(status)) {
                cells[column] = String.format(Locale.ROOT, "%.2f", Sql.num(r, "w2_theory"));
            } else {
                cells[column] = UNAVAILABLE + " (" + status + ")";
                notes.put(status, MEANINGS.getOrDefault(status, "no number"));
            }
        }
        List<List<String>> lines = new ArrayList<>();
        body.forEach((key, cells) -> {
            List<String> line = new ArrayList<>(List.of((String) key.get(0), HuraultFigures.fmt((Double) key.get(1)),
                    Palette.label((String) key.get(2))));
            for (String c : cells) {
                line.add(c == null ? "" : c);
            }
            lines.add(line);
        });
        return new AblationTable(budgets, lines, notes);
    }

    List<String> header() {
        List<String> h = new ArrayList<>(List.of("init", "ε", "sampler"));
        budgets.forEach(b -> h.add("NFE " + b));
        h.add("continuous");
        return h;
    }

    String markdown() {
        StringBuilder b = new StringBuilder("W₂ to p_data, CIFAR-10 spectrum (" + CONFIG + ", summary.w2_theory)\n\n");
        b.append("| ").append(String.join(" | ", header())).append(" |\n");
        b.append("|").append(" --- |".repeat(header().size())).append('\n');
        for (List<String> r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        appendNotes(b, "\n", "- ");
        return b.toString();
    }

    String html() {
        StringBuilder b = new StringBuilder("<table class=\"ablation\">\n<thead><tr>");
        header().forEach(h -> b.append("<th>").append(Html.escape(h)).append("</th>"));
        b.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows) {
            b.append("<tr>");
            for (String c : r) {
                if (c.startsWith(UNAVAILABLE)) {
                    b.append("<td class=\"na\" title=\"").append(Html.escape(c)).append("\">").append(UNAVAILABLE)
                            .append("</td>");
                } else {
                    b.append("<td>").append(Html.escape(c)).append("</td>");
                }
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        notes.forEach((status, meaning) -> b.append("<p class=\"note\">").append(UNAVAILABLE).append(" (")
                .append(Html.escape(status)).append("): ").append(Html.escape(meaning)).append(".</p>\n"));
        return b.toString();
    }

    /** A booktabs table; unavailable cells are an em dash with a dagger, explained below the rule. */
    String latex() {
        StringBuilder b = new StringBuilder("% W2 to p_data, CIFAR-10 spectrum (" + CONFIG + ", summary.w2_theory)\n"
                + "% needs \\usepackage{booktabs}\n\\begin{tabular}{ll" + "l" + "r".repeat(budgets.size() + 1)
                + "}\n\\toprule\n");
        List<String> h = new ArrayList<>(List.of("init", "$\\varepsilon$", "sampler"));
        budgets.forEach(x -> h.add("NFE " + x));
        h.add("continuous");
        b.append(String.join(" & ", h)).append(" \\\\\n\\midrule\n");
        String previousInit = null;
        for (List<String> r : rows) {
            if (previousInit != null && !previousInit.equals(r.get(0))) {
                b.append("\\midrule\n");
            }
            previousInit = r.get(0);
            List<String> cells = new ArrayList<>();
            for (int k = 0; k < r.size(); k++) {
                String c = r.get(k);
                cells.add(c.startsWith(UNAVAILABLE) ? "---$^\\dagger$" : k == 0 ? latexInit(c) : c);
            }
            b.append(String.join(" & ", cells)).append(" \\\\\n");
        }
        b.append("\\bottomrule\n");
        int width = budgets.size() + 4;
        notes.forEach((status, meaning) -> b.append("\\multicolumn{").append(width).append("}{l}{\\footnotesize "
                + "$^\\dagger$ ").append(status.replace("_", "\\_")).append(": ").append(meaning).append(".} \\\\\n"));
        b.append("\\end{tabular}\n");
        return b.toString();
    }

    private static String latexInit(String init) {
        return init.equals("p_T") ? "$p_T$" : init.equals("normal") ? "$\\mathcal{N}(0, I)$" : init;
    }

    private void appendNotes(StringBuilder b, String before, String bullet) {
        if (!notes.isEmpty()) {
            b.append(before);
            notes.forEach((status, meaning) -> b.append(bullet).append(UNAVAILABLE).append(" (").append(status)
                    .append("): ").append(meaning).append('\n'));
        }
    }
}
