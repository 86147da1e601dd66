package org.w2lab.jobs.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@code faulty://}, with one fault set by {@link #FAULT} in the Hadoop
 * configuration, {@code KIND:TABLE}:
 * <ul>
 *   <li>{@code full:TABLE}: writing any file of a run's TABLE fails as a full local disk does
 *       ({@code FSError: No space left on device}, what {@link RawLocalFileSystem} throws);</li>
 *   <li>{@code kill:TABLE}: the JVM halts at once (as SIGKILL ends a driver) when the first file of a run's TABLE is
 *       created;</li>
 *   <li>{@code kill-promote:TABLE}: the JVM halts when a published run's TABLE is moved into the table folder.</li>
 * </ul>
 * Register it with {@code fs.faulty.impl} and {@code fs.faulty.impl.disable.cache=true}.
 */
public class FaultyFileSystem extends RawLocalFileSystem {
    public static final String FAULT = "w2lab.test.fault";
    private static final URI NAME = URI.create("faulty:///");

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public String getScheme() {
        return "faulty";
    }

    /** Whether {@code path} is in a run's folder of {@code table}: {@code .../_w2lab/NAME/RUN/TABLE/...}. */
    private static boolean inRunTable(Path path, String table) {
        String p = path.toUri().getPath();
        return p.contains("/" + ResultsStore.FOLDER + "/") && p.contains("/" + table + "/");
    }

    private String[] fault() {
        String f = getConf() == null ? null : getConf().get(FAULT);
        return f == null ? null : f.split(":", 2);
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        return faulty(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        return faulty(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    /** The stream of a new file, or the fault set for it. */
    private FSDataOutputStream faulty(Path f, FSDataOutputStream real) throws IOException {
        String[] fault = fault();
        if (fault == null || !inRunTable(f, fault[1])) {
            return real;
        }
        if (fault[0].equals("kill")) {
            Runtime.getRuntime().halt(137);
        }
        if (!fault[0].equals("full")) {
            return real;
        }
        return new FSDataOutputStream(new OutputStream() {
            @Override
            public void write(int b) {
                throw diskFull();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw diskFull();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        }, statistics);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        String[] fault = fault();
        if (fault != null && fault[0].equals("kill-promote") && inRunTable(src, fault[1])
                && !dst.toUri().getPath().contains("/" + ResultsStore.FOLDER + "/")) {
            Runtime.getRuntime().halt(137);
        }
        return super.rename(src, dst);
    }

    /** What RawLocalFileSystem's streams throw on ENOSPC: an FSError around the IOException (its constructor is not public). */
    private static FSError diskFull() {
        try {
            var c = FSError.class.getDeclaredConstructor(Throwable.class);
            c.setAccessible(true);
            return c.newInstance(new IOException("No space left on device"));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
        super.initialize(uri, conf);
        setConf(conf);
    }
}
