package org.w2lab.jobs.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reading query results into the shapes the charts take. */
final class Sql {
    private Sql() {
    }

    static List<Row> rows(SparkSession spark, String sql) {
        return spark.sql(sql).collectAsList();
    }

    /** A numeric column as a double; NaN when null. */
    static double num(Row r, String column) {
        Object v = r.getAs(column);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    static String str(Row r, String column) {
        Object v = r.getAs(column);
        return v == null ? null : v.toString();
    }

    /** Rows grouped by a key, groups in the order of their first row. */
    static <K> Map<K, List<Row>> groupBy(List<Row> rows, Function<Row, K> key) {
        return rows.stream().collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toList()));
    }

    /** {@code {x, y}} points of two columns. */
    static List<double[]> points(List<Row> rows, String x, String y) {
        return rows.stream().map(r -> new double[] {num(r, x), num(r, y)}).toList();
    }

    /** {@code {x, y - h, y + h}} triples: a mean {@code y} with the half width {@code h} of its interval. */
    static List<double[]> interval(List<Row> rows, String x, String y, String halfWidth) {
        return rows.stream().filter(r -> Double.isFinite(num(r, y)) && Double.isFinite(num(r, halfWidth)))
                .map(r -> new double[] {num(r, x), num(r, y) - num(r, halfWidth), num(r, y) + num(r, halfWidth)})
                .toList();
    }
}
