package org.w2lab.jobs.report;

import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * One figure of the report, before encoding.
 *
 * @param name    the file stem ({@code NAME.png}, {@code NAME.svg})
 * @param title   what it shows, one line
 * @param caption how to read it
 * @param config  the config that makes its experiment ({@code conf/...})
 * @param columns the table columns it plots, {@code table.column}
 * @param chart   the chart, its series in place
 */
public record Figure(String name, String title, String caption, String config, List<String> columns,
                     Chart<?, ?> chart) {
    /** The number of series drawn, confidence bands included. */
    public int seriesCount() {
        return chart.getSeriesMap().size();
    }
}
