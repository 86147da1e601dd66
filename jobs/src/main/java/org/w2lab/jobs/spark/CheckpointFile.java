package org.w2lab.jobs.spark;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.w2lab.jobs.compute.RunMetrics;
import org.w2lab.theory.TheoryResult;

/**
 * The binary format of a checkpoint file: plain typed fields, no Java deserialization, every part under a CRC32C
 * that is checked on every read (docs/faults.md).
 *
 * <pre>
 * header:  magic "W2LABCKP", version (int), n (int), n keys (modified UTF-8), CRC32C of all the header's bytes before it
 * n times: length (int), CRC32C of the payload (int), payload
 * payload: key, config id, the seed's {@link RunMetrics}, its runs row, its trajectory rows (by their schemas)
 * </pre>
 *
 * The file must end right after its n-th record. Anything else (another magic or version, a wrong CRC, a record
 * whose key is not the header's, a truncation, trailing bytes) is a {@link Corrupt} naming what is wrong.
 */
public final class CheckpointFile {
    private static final byte[] MAGIC = "W2LABCKP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    /** A record longer than this is not one this code wrote (a seed's trajectory at every step of 10^6 steps fits). */
    private static final int MAX_RECORD = 1 << 30;

    /** What is wrong with a file that is not a whole checkpoint of this version. */
    static final class Corrupt extends IOException {
        private static final long serialVersionUID = 1L;

        Corrupt(String reason) {
            super(reason);
        }
    }

    private CheckpointFile() {
    }

    static void write(OutputStream stream, List<SeedRows> seeds) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(header);
        h.write(MAGIC);
        h.writeInt(VERSION);
        h.writeInt(seeds.size());
        for (SeedRows s : seeds) {
            h.writeUTF(s.key());
        }
        h.flush();
        out.write(header.toByteArray());
        out.writeInt(crc(header.toByteArray()));
        for (SeedRows s : seeds) {
            byte[] payload = payload(s);
            out.writeInt(payload.length);
            out.writeInt(crc(payload));
            out.write(payload);
        }
        out.flush();
    }

    /** The keys of the file's seeds, from its header alone (checked against its CRC). */
    public static List<String> keys(InputStream stream) throws IOException {
        return header(new DataInputStream(stream));
    }

    /** Every seed of the file, each checked against its CRC and its key in the header. */
    static List<SeedRows> read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        List<String> keys = header(in);
        List<SeedRows> seeds = new ArrayList<>(keys.size());
        for (String key : keys) {
            int length = in.readInt();
            int expected = in.readInt();
            if (length < 0 || length > MAX_RECORD) {
                throw new Corrupt("a record of " + length + " bytes");
            }
            byte[] payload = in.readNBytes(length);
            if (payload.length < length) {
                throw new Corrupt("truncated in the record of " + key);
            }
            if (crc(payload) != expected) {
                throw new Corrupt("the record of " + key + " does not match its CRC32C");
            }
            SeedRows s = parse(payload);
            if (!s.key().equals(key)) {
                throw new Corrupt("a record of " + s.key() + " where the header says " + key);
            }
            seeds.add(s);
        }
        if (in.read() != -1) {
            throw new Corrupt("bytes after its last record");
        }
        return seeds;
    }

    private static List<String> header(DataInputStream in) throws IOException {
        try {
            CRC32C crc = new CRC32C();
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new Corrupt("not a w2lab checkpoint (no W2LABCKP header)");
            }
            crc.update(magic);
            int version = in.readInt();
            if (version != VERSION) {
                throw new Corrupt("checkpoint format version " + version + ", this w2lab reads " + VERSION);
            }
            int n = in.readInt();
            if (n < 0) {
                throw new Corrupt("a count of " + n + " seeds");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(bytes);
            h.writeInt(version);
            h.writeInt(n);
            List<String> keys = new ArrayList<>(Math.min(n, 1 << 16));
            for (int i = 0; i < n; i++) {
                String key = in.readUTF();
                h.writeUTF(key);
                keys.add(key);
            }
            h.flush();
            crc.update(bytes.toByteArray());
            if ((int) crc.getValue() != in.readInt()) {
                throw new Corrupt("its header does not match its CRC32C");
            }
            return keys;
        } catch (EOFException e) {
            throw new Corrupt("truncated in its header");
        }
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private static byte[] payload(SeedRows s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(s.key());
        out.writeUTF(s.configId());
        RunMetrics m = s.metrics();
        out.writeInt(m.seed());
        out.writeUTF(m.status().name());
        for (double x : new double[] {m.w2Empirical(), m.w2sqEmpirical(), m.w2Fit(), m.w2Sliced(), m.w2Conditional(),
            m.w2Stationary(), m.w2Noise(), m.w2PlusDiscretization(), m.w2PlusOptimization()}) {
            out.writeDouble(x);
        }
        writeDoubles(out, m.sgdTheta());
        writeRow(out, Tables.RUNS_SCHEMA, s.run());
        out.writeInt(s.trajectory().size());
        for (Row r : s.trajectory()) {
            writeRow(out, Tables.TRAJECTORY_SCHEMA, r);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static SeedRows parse(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        try {
            String key = in.readUTF();
            String configId = in.readUTF();
            int seed = in.readInt();
            TheoryResult.Status status = TheoryResult.Status.valueOf(in.readUTF());
            double[] x = new double[9];
            for (int i = 0; i < x.length; i++) {
                x[i] = in.readDouble();
            }
            RunMetrics m = new RunMetrics(seed, status, x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8],
                    readDoubles(in));
            Row run = readRow(in, Tables.RUNS_SCHEMA);
            int n = in.readInt();
            if (n < 0) {
                throw new Corrupt("a record with " + n + " trajectory rows");
            }
            List<Row> trajectory = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                trajectory.add(readRow(in, Tables.TRAJECTORY_SCHEMA));
            }
            if (in.read() != -1) {
                throw new Corrupt("a record longer than its fields");
            }
            return new SeedRows(key, configId, m, run, trajectory);
        } catch (EOFException | IllegalArgumentException e) {
            throw new Corrupt("a record that does not parse (" + e + ")");
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (double v : values) {
                out.writeDouble(v);
            }
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < -1 || n > MAX_RECORD / 8) {
            throw new Corrupt("an array of " + n + " values");
        }
        if (n == -1) {
            return null;
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    /** A row by its schema: for each field a null flag, then its value (the types the tables use). */
    private static void writeRow(DataOutputStream out, StructType schema, Row row) throws IOException {
        var fields = schema.fields();
        if (row.length() != fields.length) {
            throw new IllegalArgumentException("a row of " + row.length() + " values for " + fields.length + " columns");
        }
        for (int i = 0; i < fields.length; i++) {
            Object v = row.get(i);
            out.writeBoolean(v == null);
            if (v == null) {
                continue;
            }
            DataType type = fields[i].dataType();
            if (type.equals(DataTypes.StringType)) {
                out.writeUTF((String) v);
            } else if (type.equals(DataTypes.IntegerType)) {
                out.writeInt((Integer) v);
            } else if (type.equals(DataTypes.LongType)) {
                out.writeLong((Long) v);
            } else if (type.equals(DataTypes.DoubleType)) {
                out.writeDouble((Double) v);
            } else if (type instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
                writeDoubles(out, (double[]) v);
            } else {
                throw new IllegalArgumentException("column " + fields[i].name() + " of type " + type);
            }
        }
    }

    private static Row readRow(DataInputStream in, StructType schema) throws IOException {
        var fields = schema.fields();
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            if (in.readBoolean()) {
                continue;
            }
            DataType type = fields[i].dataType();
            if (type.equals(DataTypes.StringType)) {
                values[i] = in.readUTF();
            } else if (type.equals(DataTypes.IntegerType)) {
                values[i] = in.readInt();
            } else if (type.equals(DataTypes.LongType)) {
                values[i] = in.readLong();
            } else if (type.equals(DataTypes.DoubleType)) {
                values[i] = in.readDouble();
            } else {
                values[i] = readDoubles(in);
            }
        }
        return RowFactory.create(values);
    }
}
