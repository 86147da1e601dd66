package org.w2lab.sampler;

/**
 * What a multistep sampler keeps from one step to the next besides its iterate (earlier denoised values, their
 * noise levels, their joint law with the iterate), held by the engine's state ({@link SpectralState},
 * {@link GaussianLaw}, {@link ParticleBlock}) and read only by the scheme that wrote it ({@link MultistepScheme}).
 */
public interface Carry {
}
