package org.w2lab.jobs.config;

import java.io.Serializable;
import org.w2lab.score.DenoisingSgd;

/**
 * The parameters of the {@code ula} pipeline (Hurault et al.): score matching by SGD on a training set, then ULA;
 * and of {@code sgd}, the score matching alone.
 *
 * @param sigma        noise level of denoising score matching
 * @param gamma        ULA step; {@code null} for {@code sgd}
 * @param tau          SGD step
 * @param nTrain       training samples {@code N}
 * @param sgdSteps     SGD steps {@code K}
 * @param batch        samples per SGD step
 * @param iterate      {@code final} or {@code average}
 * @param kernelPoints grid points per axis of the kernel table; 0 for none
 * @param mu           the data mean's norm, {@code m = mu 1_d / sqrt(d)} in the data's basis (docs/theory.md, 10.10)
 */
public record LangevinSpec(double sigma, Double gamma, double tau, int nTrain, int sgdSteps, int batch,
                           String iterate, int kernelPoints, double mu) implements Serializable {
    /** The SGD this configuration runs. */
    public DenoisingSgd sgd() {
        return new DenoisingSgd(sigma, tau, sgdSteps, batch, DenoisingSgd.Iterate.byId(iterate));
    }

    /**
     * The data mean {@code m} in the data's basis; {@code null} for centred data, which every computation then
     * treats exactly as before the key existed.
     */
    public double[] dataMean(int d) {
        return mu == 0 ? null : org.w2lab.score.DataMean.vector(d, mu);
    }

    /**
     * The canonical form (see {@link TaskSpec#canonical()}); {@code mu} only when it is not zero, so that a
     * configuration of centred data keeps the id it had before the key existed.
     */
    String canonical() {
        return ";sigma=" + sigma + ";gamma=" + gamma + ";tau=" + tau + ";n_train=" + nTrain + ";sgd_steps="
                + sgdSteps + ";batch=" + batch + ";sgd_iterate=" + iterate + ";kernel_points=" + kernelPoints
                + (mu == 0 ? "" : ";mu=" + mu);
    }
}
