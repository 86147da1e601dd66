package org.w2lab.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.w2lab.jobs.spark.QueryJob;
import org.w2lab.jobs.spark.SharedSpark;

/**
 * The notebooks' SQL, run against tables that the shipped configs write ({@link SmallResults}): every code cell
 * tagged {@code sql} holds one statement in the triple-quoted string it passes to {@code spark.sql}, and every
 * statement must run and return rows, so a renamed table or column, or a misspelt experiment, breaks the build.
 */
class NotebookSqlTest {
    private static final Path NOTEBOOKS = Path.of("..", "notebooks");
    private static final String QUOTES = "\"\"\"";

    /** A tagged cell's statement, where it comes from. */
    record Statement(String where, String sql) {
    }

    private static List<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    private static String source(JsonNode cell) {
        JsonNode source = cell.get("source");
        if (source.isTextual()) {
            return source.asText();
        }
        StringBuilder b = new StringBuilder();
        source.forEach(line -> b.append(line.asText()));
        return b.toString();
    }

    private static boolean tagged(JsonNode cell) {
        for (JsonNode tag : cell.path("metadata").path("tags")) {
            if (tag.asText().equals("sql")) {
                return true;
            }
        }
        return false;
    }

    /** Every tagged statement of every notebook; fails on a notebook whose SQL would escape the test. */
    static List<Statement> statements() throws IOException {
        List<Statement> statements = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (Path nb : notebooks()) {
            JsonNode root = json.readTree(nb.toFile());
            assertEquals(4, root.get("nbformat").asInt(), nb + ": nbformat");
            // nbformat 4.5 gives every cell an id: 1 to 64 of [a-zA-Z0-9-_], unique in its notebook
            assertEquals(5, root.get("nbformat_minor").asInt(), nb + ": nbformat_minor");
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (JsonNode cell : root.get("cells")) {
                String id = cell.has("id") ? cell.get("id").asText() : "";
                assertTrue(id.matches("[a-zA-Z0-9_-]{1,64}") && ids.add(id), nb + ": cell id '" + id + "'");
            }
            int tagged = 0;
            int markdown = 0;
            int k = 0;
            for (JsonNode cell : root.get("cells")) {
                k++;
                String text = source(cell);
                String where = nb.getFileName() + ", cell " + k;
                if (cell.get("cell_type").asText().equals("markdown")) {
                    markdown++;
                } else if (tagged(cell)) {
                    tagged++;
                    int open = text.indexOf(QUOTES);
                    int close = text.indexOf(QUOTES, open + 3);
                    assertTrue(open >= 0 && close > open && text.indexOf(QUOTES, close + 3) < 0,
                            where + ": a cell tagged sql holds exactly one triple-quoted statement");
                    assertTrue(text.substring(0, open).endsWith("spark.sql("), where + ": the statement goes to spark.sql");
                    statements.add(new Statement(where, text.substring(open + 3, close).strip()));
                } else {
                    assertFalse(text.contains("spark.sql("), where + ": SQL outside a cell tagged sql is not tested");
                }
            }
            assertTrue(tagged > 0 && markdown > 0, nb + ": prose and SQL");
        }
        return statements;
    }

    @Test
    void everyNotebookStatementRunsOnTheTablesOfTheShippedConfigs() throws IOException {
        List<Statement> statements = statements();
        assertTrue(notebooks().size() >= 3 && statements.size() >= 10, statements.size() + " statements");
        SparkSession spark = SharedSpark.session();
        QueryJob.register(spark, SmallResults.folder().toString());
        for (Statement s : statements) {
            long rows;
            try {
                rows = spark.sql(s.sql()).count();
            } catch (Exception e) {
                // Spark's AnalysisException (unknown table or column) is a Scala exception, checked in Java's terms
                throw new AssertionError(s.where() + ": " + e.getMessage(), e);
            }
            assertTrue(rows > 0, s.where() + " returns no row:\n" + s.sql());
        }
    }
}
