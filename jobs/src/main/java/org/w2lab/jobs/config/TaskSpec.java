package org.w2lab.jobs.config;

import java.io.Serializable;
import java.lang.ref.SoftReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;
import org.w2lab.score.DataMean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;

/**
 * One fully resolved configuration of a grid: what an executor computes. Immutable and serializable; its
 * {@link #configId()} is a stable hash of the parameters that determine the result.
 *
 * @param experiment       the experiment name
 * @param sampler          a scheme id or {@code sde}/{@code ode}
 * @param steps            integration steps; {@code null} for the continuous processes
 * @param nfe              score evaluations actually made ({@code DiscreteScheme.evaluations} on the grid);
 *                         {@code null} for the continuous processes
 * @param eps              truncation time
 * @param init             {@code p_T} or {@code normal}
 * @param spectrum         the spectrum label: {@code power_law} or the file name
 * @param spectrumKey      where the executors find the spectrum: {@code power_law} or the file's content hash
 * @param d                the dimension
 * @param zeta             the power-law exponent; {@code null} for a file spectrum
 * @param betaMin          schedule
 * @param betaMax          schedule
 * @param horizon          {@code T}
 * @param recordEvery      trajectory recording period (0: none)
 * @param continuousPoints trajectory grid of {@code sde}/{@code ode}; {@code null} for discrete samplers
 * @param particles        particles per seed of the simulation; {@code null} when the configuration is not
 *                         simulated (theory only, or a continuous process) or is {@code sgd} (no particles)
 * @param seeds            how many seeds to simulate; {@code null} when not simulated. Not part of the
 *                         {@link #configId()}: each (configuration, seed) result is the same whatever the count
 * @param basis            {@code identity} or {@code random}: the data's eigenbasis in the simulation
 * @param langevin         the score matching and Langevin parameters of samplers {@code ula} and {@code sgd};
 *                         {@code null} for the diffusion samplers
 * @param diffusion        the process, grid, churn and score of the diffusion samplers; {@code null} for
 *                         {@code ula} and {@code sgd}
 */
public record TaskSpec(String experiment, String sampler, Integer steps, Integer nfe, double eps, String init,
                       String spectrum, String spectrumKey, int d, Double zeta, double betaMin, double betaMax,
                       double horizon, int recordEvery, Integer continuousPoints, Integer particles, Integer seeds,
                       String basis, LangevinSpec langevin, DiffusionSpec diffusion) implements Serializable {

    /** Whether the sampler is a continuous process rather than a scheme. */
    public boolean continuous() {
        return steps == null && langevin == null;
    }

    /** Whether the configuration is simulated (by particles, or by SGD runs for {@code sgd}) beside its theory. */
    public boolean simulated() {
        return seeds != null;
    }

    /** Whether this is sampler {@code sgd}: the SGD iterates alone, against their predicted law. */
    public boolean sgdOnly() {
        return "sgd".equals(sampler);
    }

    /**
     * The canonical form of the parameters that determine the result (not the experiment name): {@code key=value}
     * pairs in a fixed order, doubles in Java's shortest round-trip form. The simulation's parameters are appended
     * only when it is simulated, so a theory-only configuration keeps its id.
     */
    public String canonical() {
        return "sampler=" + sampler + ";steps=" + steps + ";eps=" + eps + ";init=" + init + ";spectrum="
                + spectrumKey + ";d=" + d + ";zeta=" + zeta + ";beta_min=" + betaMin + ";beta_max=" + betaMax
                + ";T=" + horizon + ";record_every=" + recordEvery + ";continuous_points=" + continuousPoints
                + (simulated() ? ";particles=" + particles + ";basis=" + basis : "")
                + (langevin == null ? "" : langevin.canonical()) + (diffusion == null ? "" : diffusion.canonical(sampler));
    }

    /** The forward process of a diffusion sampler. */
    public ForwardProcess forwardProcess() {
        return diffusion.forwardProcess(betaMin, betaMax, horizon);
    }

    /** The time grid of a discrete diffusion sampler. */
    public TimeGrid timeGrid() {
        return diffusion.timeGrid(forwardProcess(), eps, steps);
    }

    /** The scheme of a discrete diffusion sampler. */
    public DiscreteScheme scheme() {
        return diffusion.scheme(sampler, steps);
    }

    /**
     * The data the simulation samples from, which a random basis is drawn for: the spectrum alone, so that every
     * sampler of an experiment meets the same rotated data.
     */
    public String dataKey() {
        return dataKey(spectrumKey, d, zeta);
    }

    static String dataKey(String spectrumKey, int d, Double zeta) {
        return "spectrum=" + spectrumKey + ";d=" + d + ";zeta=" + zeta;
    }

    /**
     * The data's eigenbasis: {@code null} (identity), or a Haar rotation drawn from a stream of the data alone
     * ({@link #dataKey()}), the same for every sampler and seed of the same spectrum. Shared: callers must not
     * modify it.
     */
    public double[] dataBasis() {
        return dataBasis(basis, dataKey(), d);
    }

    /**
     * The rotations drawn in this JVM, by data key: drawn once per executor, not once per seed (a draw is {@code d^2}
     * normals and a QR factorization, {@code O(d^3)}: a third of a random-basis seed's time at {@code d = 3072}).
     * Softly held, so a JVM short of memory drops them and draws them again, with the same bits.
     */
    private static final Map<String, SoftReference<double[]>> BASES = new ConcurrentHashMap<>();

    static double[] dataBasis(String basis, String dataKey, int d) {
        if (!"random".equals(basis)) {
            return null;
        }
        SoftReference<double[]> held = BASES.get(dataKey);
        double[] u = held == null ? null : held.get();
        if (u == null) {
            u = HaarRotation.draw(d, RandomStreams.forTask("basis;" + dataKey, 0));
            BASES.put(dataKey, new SoftReference<>(u));
        }
        return u;
    }

    /** The data mean of a {@code ula} or {@code sgd} configuration in the eigenbasis, {@code U^T m} (10.10). */
    public double[] dataMeanInEigenbasis() {
        double[] m = langevin.dataMean(d);
        return m == null ? new double[d] : DataMean.inEigenbasis(dataBasis(), m);
    }

    /**
     * What this configuration shares with the others of its batch: every parameter but {@code init}. The laws from
     * both starts follow the same step coefficients, so a batch is computed in one pass (same bits as alone).
     */
    public String batchKey() {
        return canonical().replace(";init=" + init + ";", ";");
    }

    /** The first 16 hex digits of the SHA-256 of {@link #canonical()}. */
    public String configId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
