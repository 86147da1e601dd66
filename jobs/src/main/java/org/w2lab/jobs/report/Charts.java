package org.w2lab.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The house style of the report's charts (white, grid, serif-free labels with the math symbols, legend inside) and
 * the few kinds of series the figures draw. On a logarithmic axis, points that are not positive are left out.
 */
final class Charts {
    static final int WIDTH = 820;
    static final int HEIGHT = 560;

    /** A solid line with a marker at each point. */
    static final BasicStroke SOLID = SeriesLines.SOLID;
    /** A dashed line: a prediction, a reference. */
    static final BasicStroke DASHED = SeriesLines.DASH_DASH;

    private Charts() {
    }

    static XYChart xy(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    /**
     * Labels on logarithmic axes where a reader needs them: XChart labels the powers of ten only, which leaves an
     * axis spanning less than two decades with one label or none (NFE from 40 to 250: "100"); such an axis is
     * labelled at every tick (1 to 9 times each power of ten) instead. Called once the series are added.
     */
    static void label(XYChart chart) {
        double[] x = range(chart, true);
        double[] y = range(chart, false);
        AxesChartStyler s = chart.getStyler();
        if (s.isXAxisLogarithmic() && x[1] / x[0] < 100) {
            ((org.knowm.xchart.style.XYStyler) s).setXAxisLogarithmicDecadeOnly(false);
        }
        if (s.isYAxisLogarithmic() && y[1] / y[0] < 100) {
            ((org.knowm.xchart.style.XYStyler) s).setYAxisLogarithmicDecadeOnly(false);
        }
    }

    /** The smallest and largest positive finite value of the chart's series along one axis. */
    private static double[] range(XYChart chart, boolean x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double v : x ? series.getXData() : series.getYData()) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return new double[] {lo, hi};
    }

    /** Whether values spread over more than a decade: a logarithmic axis reads them, a linear one not. */
    static boolean spansDecades(List<double[]> points, int coordinate) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double[] p : points) {
            if (p[coordinate] > 0 && Double.isFinite(p[coordinate])) {
                lo = Math.min(lo, p[coordinate]);
                hi = Math.max(hi, p[coordinate]);
            }
        }
        return hi / lo > 10;
    }

    static HeatMapChart heatMap(String title, String xTitle, String yTitle) {
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        // Viridis in ten steps: perceptually uniform, readable in grey; the legend gives each step's range
        Color[] viridis = {new Color(0x440154), new Color(0x482878), new Color(0x3E4A89), new Color(0x31688E),
            new Color(0x26828E), new Color(0x1F9E89), new Color(0x35B779), new Color(0x6DCD59), new Color(0xB4DE2C),
            new Color(0xFDE725)};
        chart.getStyler().setShowValue(false).setDrawBorder(false).setPiecewise(true).setPiecewiseRanged(true)
                .setSplitNumber(viridis.length).setRangeColors(viridis);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setHeatMapDecimalValueFormatter(v -> String.format(java.util.Locale.ROOT, "%.3g", v));
        return chart;
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.DARK_GRAY);
        s.setPlotGridLinesColor(new Color(0xDDDDDD));
        s.setChartTitleBoxVisible(false);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAntiAlias(true);
    }

    /** A line through the points, with markers; {@code null} (and no series) when no point can be shown. */
    static XYSeries line(XYChart chart, String name, List<double[]> points, Color colour, Marker marker,
                         BasicStroke stroke) {
        double[][] xy = positive(chart, points);
        if (xy[0].length == 0) {
            return null;
        }
        XYSeries s = chart.addSeries(name, xy[0], xy[1]);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(colour);
        s.setLineStyle(stroke);
        s.setMarker(marker);
        s.setMarkerColor(colour);
        return s;
    }

    /**
     * A translucent band between {@code {x, low, high}} triples (a confidence interval), drawn as one closed polygon:
     * along the lower edge, back along the upper. The values are errors, never negative: a lower edge below zero is
     * clipped to zero, and on a logarithmic axis to the smallest positive lower edge.
     */
    static XYSeries band(XYChart chart, String name, List<double[]> xLowHigh, Color colour) {
        boolean logY = chart.getStyler().isYAxisLogarithmic();
        double floor = Double.POSITIVE_INFINITY;
        for (double[] p : xLowHigh) {
            if (p[1] > 0) {
                floor = Math.min(floor, p[1]);
            }
        }
        List<double[]> polygon = new ArrayList<>();
        for (double[] p : xLowHigh) {
            polygon.add(new double[] {p[0], p[1] > 0 ? p[1] : logY ? floor : 0});
        }
        for (int k = xLowHigh.size() - 1; k >= 0; k--) {
            polygon.add(new double[] {xLowHigh.get(k)[0], xLowHigh.get(k)[2]});
        }
        double[][] xy = positive(chart, polygon);
        if (xy[0].length < 3) {
            return null;
        }
        XYSeries s = chart.addSeries(name, xy[0], xy[1]);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setFillColor(Palette.band(colour));
        s.setLineColor(Palette.band(colour));
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /**
     * The legend entry of where two bands drawn by {@link #band} overlap: their translucent fills over white mix into
     * a colour that neither entry shows, so it gets one of its own (a legend-only series at a point of a band).
     * Nothing when either band was not drawn.
     */
    static void overlap(XYChart chart, XYSeries first, XYSeries second, String name) {
        if (first == null || second == null) {
            return;
        }
        Color mixed = over(Palette.band(second.getFillColor()), over(Palette.band(first.getFillColor()), Color.WHITE));
        XYSeries s = chart.addSeries(name, new double[] {first.getXData()[0]}, new double[] {first.getYData()[0]});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setFillColor(mixed);
        s.setLineColor(mixed);
        s.setMarker(SeriesMarkers.NONE);
    }

    /** A translucent colour drawn over an opaque one ("source over"). */
    private static Color over(Color top, Color below) {
        double a = top.getAlpha() / 255.0;
        return new Color((int) Math.round(top.getRed() * a + below.getRed() * (1 - a)),
                (int) Math.round(top.getGreen() * a + below.getGreen() * (1 - a)),
                (int) Math.round(top.getBlue() * a + below.getBlue() * (1 - a)));
    }

    /** The points as {@code {xs, ys}}, without the non-finite ones and the ones a logarithmic axis cannot show. */
    private static double[][] positive(XYChart chart, List<double[]> points) {
        boolean logX = chart.getStyler().isXAxisLogarithmic();
        boolean logY = chart.getStyler().isYAxisLogarithmic();
        List<double[]> kept = points.stream().filter(p -> Double.isFinite(p[0]) && Double.isFinite(p[1])
                && (!logX || p[0] > 0) && (!logY || p[1] > 0)).toList();
        double[] x = new double[kept.size()];
        double[] y = new double[kept.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = kept.get(i)[0];
            y[i] = kept.get(i)[1];
        }
        return new double[][] {x, y};
    }
}
