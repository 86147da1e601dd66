package org.w2lab.jobs.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes rows of a table into one Parquet file of one experiment's partition, as Spark's writer would with
 * {@code partitionBy("experiment")}: the file's schema is the table's without {@code experiment} (which the folder
 * name carries), converted by Spark's own schema converter, with the footer metadata Spark reads the exact schema
 * from ({@code org.apache.spark.sql.parquet.row.metadata}), zstd-compressed. For runs that need no Spark job
 * ({@link DriverRun}); tables of scalar columns only (string, double, int, long, boolean).
 */
final class ParquetRows {
    /** The footer key under which Spark keeps a file's schema (ParquetReadSupport.SPARK_METADATA_KEY). */
    private static final String SPARK_METADATA = "org.apache.spark.sql.parquet.row.metadata";
    private static final String SPARK_VERSION = "org.apache.spark.version";

    private ParquetRows() {
    }

    /**
     * Writes {@code rows} (whole rows of {@code schema}, the partition column included) under
     * {@code table/experiment=NAME/}, then the {@code _SUCCESS} marker Spark's committer leaves in {@code table}.
     */
    static void write(Configuration hadoop, String table, String experiment, StructType schema, List<Row> rows)
            throws IOException {
        List<StructField> fields = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (StructField f : schema.fields()) {
            if (!f.name().equals("experiment")) {
                fields.add(f);
                positions.add(schema.fieldIndex(f.name()));
            }
        }
        StructType fileSchema = new StructType(fields.toArray(new StructField[0]));
        Path file = new Path(new Path(table, "experiment=" + experiment),
                "part-00000-" + UUID.randomUUID() + ".c000.zstd.parquet");
        try (ParquetWriter<Row> writer = new Builder(file, fileSchema, positions).withConf(hadoop)
                .withCompressionCodec(CompressionCodecName.ZSTD).withWriteMode(ParquetFileWriter.Mode.CREATE)
                .build()) {
            for (Row row : rows) {
                writer.write(row);
            }
        }
        file.getFileSystem(hadoop).create(new Path(table, "_SUCCESS"), false).close();
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private final StructType schema;
        private final List<Integer> positions;

        Builder(Path file, StructType schema, List<Integer> positions) {
            super(file);
            this.schema = schema;
            this.positions = positions;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(schema, positions);
        }
    }

    private static final class RowWriteSupport extends WriteSupport<Row> {
        private final StructType schema;
        private final int[] positions;
        private final DataType[] types;
        private final MessageType message;
        private RecordConsumer consumer;

        RowWriteSupport(StructType schema, List<Integer> positions) {
            this.schema = schema;
            this.positions = positions.stream().mapToInt(Integer::intValue).toArray();
            this.types = new DataType[schema.size()];
            for (int i = 0; i < types.length; i++) {
                types[i] = schema.fields()[i].dataType();
                if (!(types[i].equals(DataTypes.StringType) || types[i].equals(DataTypes.DoubleType)
                        || types[i].equals(DataTypes.IntegerType) || types[i].equals(DataTypes.LongType)
                        || types[i].equals(DataTypes.BooleanType))) {
                    throw new IllegalArgumentException("column " + schema.fields()[i].name() + " is of type "
                            + types[i].simpleString() + ": only scalar columns are written without Spark");
                }
            }
            this.message = new SparkToParquetSchemaConverter(new SQLConf()).convert(schema);
        }

        @Override
        public WriteContext init(Configuration configuration) {
            Map<String, String> metadata = new HashMap<>();
            metadata.put(SPARK_METADATA, schema.json());
            metadata.put(SPARK_VERSION, org.apache.spark.package$.MODULE$.SPARK_VERSION());
            return new WriteContext(message, metadata);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Row row) {
            consumer.startMessage();
            for (int i = 0; i < types.length; i++) {
                Object value = row.get(positions[i]);
                if (value == null) {
                    continue;
                }
                String name = schema.fields()[i].name();
                consumer.startField(name, i);
                DataType type = types[i];
                if (type.equals(DataTypes.StringType)) {
                    consumer.addBinary(Binary.fromString((String) value));
                } else if (type.equals(DataTypes.DoubleType)) {
                    consumer.addDouble((Double) value);
                } else if (type.equals(DataTypes.IntegerType)) {
                    consumer.addInteger((Integer) value);
                } else if (type.equals(DataTypes.LongType)) {
                    consumer.addLong((Long) value);
                } else {
                    consumer.addBoolean((Boolean) value);
                }
                consumer.endField(name, i);
            }
            consumer.endMessage();
        }
    }
}
