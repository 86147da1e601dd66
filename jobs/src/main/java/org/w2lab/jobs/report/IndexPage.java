package org.w2lab.jobs.report;

import java.util.List;
import java.util.Map;

/** {@code index.html}: every figure with its caption (the config and columns that made it), and the tables. */
final class IndexPage {
    private static final String STYLE = "body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:1800px;"
            + "margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;"
            + "border-bottom:1px solid #ccc}.grid{display:flex;flex-wrap:wrap;gap:1.5em}figure{margin:0;"
            + "flex:1 1 560px;max-width:820px}figure img{width:100%;border:1px solid #eee}figcaption{font-size:.9em;line-height:1.4}"
            + "code{font-size:.9em;background:#f4f4f4;padding:0 .2em}table.ablation{border-collapse:collapse;"
            + "font-size:.85em}table.ablation th,table.ablation td{padding:.15em .6em;text-align:right;"
            + "border-bottom:1px solid #eee}table.ablation td:nth-child(-n+3){text-align:left}"
            + "td.na{color:#999;font-style:italic}.note{font-size:.9em;color:#555}";

    private IndexPage() {
    }

    static String html(ReportJob.Report report) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>w2lab report</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n<h1>w2lab report</h1>\n");
        b.append("<p>").append(report.figures().size()).append(" figures (PNG; each also as SVG beside it)")
                .append(report.ablation() != null ? " and the ablation table" : "").append(".</p>\n");
        for (Map.Entry<Section, List<Figure>> e : report.sections().entrySet()) {
            Section s = e.getKey();
            b.append("<h2 id=\"").append(s.experiment()).append("\">").append(Html.escape(s.heading()))
                    .append("</h2>\n<p class=\"note\">Experiment <code>").append(s.experiment())
                    .append("</code>, made by <code>").append(s.config()).append("</code>.</p>\n");
            if (s.experiment().equals(AblationTable.EXPERIMENT) && report.ablation() != null) {
                b.append("<p class=\"note\">Also as <a href=\"").append(AblationTable.EXPERIMENT)
                        .append(".md\">Markdown</a> and <a href=\"").append(AblationTable.EXPERIMENT)
                        .append(".tex\">LaTeX (booktabs)</a>; from <code>summary.w2_theory</code> and "
                                + "<code>summary.status</code> by <code>sampler</code>, <code>init</code>, "
                                + "<code>eps</code> and <code>nfe</code>.</p>\n")
                        .append(report.ablation().html());
            }
            b.append("<div class=\"grid\">\n");
            for (Figure f : e.getValue()) {
                b.append(figure(f));
            }
            b.append("</div>\n");
        }
        if (!report.notes().isEmpty()) {
            b.append("<h2 id=\"not-shown\">Not shown</h2>\n<ul>\n");
            report.notes().forEach(n -> b.append("<li>").append(Html.escape(n)).append("</li>\n"));
            b.append("</ul>\n");
        }
        return b.append("</body>\n</html>\n").toString();
    }

    private static String figure(Figure f) {
        StringBuilder columns = new StringBuilder();
        for (String c : f.columns()) {
            columns.append(columns.length() == 0 ? "" : ", ").append("<code>").append(Html.escape(c)).append("</code>");
        }
        return "<figure id=\"" + f.name() + "\">\n<a href=\"" + f.name() + ".svg\"><img src=\"" + f.name()
                + ".png\" alt=\"" + Html.escape(f.title()) + "\"></a>\n<figcaption><b>" + Html.escape(f.title())
                + ".</b> " + Html.escape(f.caption()) + "<br>Made by <code>" + f.config() + "</code> from "
                + columns + ".</figcaption>\n</figure>\n";
    }
}
