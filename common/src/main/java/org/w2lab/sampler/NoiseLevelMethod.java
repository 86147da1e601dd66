package org.w2lab.sampler;

import org.w2lab.schedule.ForwardProcess;

/**
 * The deterministic samplers written in the scaled state {@code xhat = x / alpha_t} and the noise level
 * {@code sigma = sigma(t) = e^{-lambda_t}} ({@link ForwardProcess#noiseLevel}), in which the probability-flow ODE is
 * {@code d xhat / d sigma = epsilon(xhat; t(sigma))} (Karras et al. 2022, eq. 4 with {@code s = 1}; docs/theory.md,
 * 12.1). One step goes from forward time {@code tFrom} to {@code tTo}; {@code s} and {@code t} below are the noise
 * levels at its ends, {@code h = log(s / t)} its length in Lu et al.'s {@code lambda}.
 */
enum NoiseLevelMethod {
    /**
     * DPM-Solver-1 (Lu et al. 2022, eq. 3.7): {@code xhat + (t - s) epsilon(xhat; s)}; the same step as DDIM
     * (Song et al. 2021, eq. 12 with {@code sigma = 0}) and as Euler in {@code sigma} (docs/theory.md, 12.2).
     */
    DPM_SOLVER_1(1) {
        @Override
        <V> V advance(ScaledIterate<V> it, ForwardProcess schedule, V x, double tFrom, double tTo) {
            double s = schedule.noiseLevel(tFrom);
            double t = schedule.noiseLevel(tTo);
            return it.plus(x, t - s, it.epsilon(x, tFrom));
        }
    },
    /**
     * Karras et al.'s second-order sampler (2022, Algorithm 1, lines 5-8, {@code s(t) = 1}, {@code sigma(t) = t}):
     * Heun's method in {@code sigma}; the last step to {@code sigma = 0} is Euler's (line 7).
     */
    EDM_HEUN(2) {
        @Override
        <V> V advance(ScaledIterate<V> it, ForwardProcess schedule, V x, double tFrom, double tTo) {
            double s = schedule.noiseLevel(tFrom);
            double t = schedule.noiseLevel(tTo);
            V d = it.epsilon(x, tFrom);
            V euler = it.plus(x, t - s, d);
            if (t == 0) {
                return euler;
            }
            return it.plus(it.plus(x, (t - s) / 2, d), (t - s) / 2, it.epsilon(euler, tTo));
        }

        @Override
        int evaluations(double sigmaTo) {
            return sigmaTo == 0 ? 1 : 2;
        }
    },
    /**
     * DPM-Solver-2, the singlestep second-order solver (Lu et al. 2022, Algorithm 1 with {@code r_1 = 1/2}):
     * the intermediate point at {@code lambda_s + h / 2}, i.e. {@code sigma = sqrt(s t)}; divided by
     * {@code alpha} its update is {@code xhat - (s - t) epsilon(u; sqrt(s t))} (docs/theory.md, 12.3).
     */
    DPM_SOLVER_2(2) {
        @Override
        <V> V advance(ScaledIterate<V> it, ForwardProcess schedule, V x, double tFrom, double tTo) {
            double s = schedule.noiseLevel(tFrom);
            double t = schedule.noiseLevel(tTo);
            double r1 = 0.5;
            double mid = intermediate(s, t, r1);
            V e0 = it.epsilon(x, tFrom);
            V u = it.plus(x, -(s - mid), e0);
            V d = it.plus(it.epsilon(u, schedule.timeOfNoiseLevel(mid)), -1, e0);
            return it.plus(it.plus(x, -(s - t), e0), -(s - t) / (2 * r1), d);
        }
    },
    /**
     * DPM-Solver-3, the singlestep third-order solver (Lu et al. 2022, Algorithm 2 with {@code r_1 = 1/3},
     * {@code r_2 = 2/3}), divided by {@code alpha} (docs/theory.md, 12.3).
     */
    DPM_SOLVER_3(3) {
        @Override
        <V> V advance(ScaledIterate<V> it, ForwardProcess schedule, V x, double tFrom, double tTo) {
            double s = schedule.noiseLevel(tFrom);
            double t = schedule.noiseLevel(tTo);
            double r1 = 1.0 / 3;
            double r2 = 2.0 / 3;
            double h = Math.log(s / t);
            double sigma1 = intermediate(s, t, r1);
            double sigma2 = intermediate(s, t, r2);
            V e0 = it.epsilon(x, tFrom);
            V u1 = it.plus(x, -(s - sigma1), e0);
            V d1 = it.plus(it.epsilon(u1, schedule.timeOfNoiseLevel(sigma1)), -1, e0);
            V u2 = it.plus(it.plus(x, -(s - sigma2), e0), -(r2 / r1) * phiMinusOne(sigma2, r2 * h), d1);
            V d2 = it.plus(it.epsilon(u2, schedule.timeOfNoiseLevel(sigma2)), -1, e0);
            return it.plus(it.plus(x, -(s - t), e0), -phiMinusOne(t, h) / r2, d2);
        }
    };

    private final int order;

    NoiseLevelMethod(int order) {
        this.order = order;
    }

    /** The classical order. */
    int order() {
        return order;
    }

    /** One step from {@code tFrom} to {@code tTo} on {@code xhat}. */
    abstract <V> V advance(ScaledIterate<V> it, ForwardProcess schedule, V x, double tFrom, double tTo);

    /** Score evaluations of a step that ends at noise level {@code sigmaTo}. */
    int evaluations(double sigmaTo) {
        return order;
    }

    /**
     * The noise level at {@code lambda_s + r h}: {@code s^(1 - r) t^r} (0 when {@code t = 0}, where {@code h} is
     * infinite).
     */
    static double intermediate(double s, double t, double r) {
        return t == 0 ? 0 : Math.exp((1 - r) * Math.log(s) + r * Math.log(t));
    }

    /**
     * {@code sigma_u ((e^z - 1) / z - 1)} with {@code sigma_u = sigma_s e^{-z}}: Lu et al.'s second-order weight
     * {@code sigma_u (phi_1(z) - 1)} divided by {@code alpha_u}; 0 in the limit {@code sigma_u -> 0}, {@code z -> inf}.
     */
    static double phiMinusOne(double sigmaU, double z) {
        return sigmaU == 0 ? 0 : sigmaU * (Math.expm1(z) / z - 1);
    }
}
