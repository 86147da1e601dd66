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
 */
public record LangevinSpec(double sigma, Double gamma, double tau, int nTrain, int sgdSteps, int batch,
                           String iterate, int kernelPoints) implements Serializable {
    /** The SGD this configuration runs. */
    public DenoisingSgd sgd() {
        return new DenoisingSgd(sigma, tau, sgdSteps, batch, DenoisingSgd.Iterate.byId(iterate));
    }

    /** The canonical form (see {@link TaskSpec#canonical()}). */
    String canonical() {
        return ";sigma=" + sigma + ";gamma=" + gamma + ";tau=" + tau + ";n_train=" + nTrain + ";sgd_steps="
                + sgdSteps + ";batch=" + batch + ";sgd_iterate=" + iterate + ";kernel_points=" + kernelPoints;
    }
}
