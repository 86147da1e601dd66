package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VeSchedule;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;

/**
 * The samplers of k-diffusion and diffusers (docs/theory.md, section 16) against their reference implementations
 * transcribed line by line: each loop of k-diffusion's {@code sampling.py} run on one eigenvalue, every quantity a
 * vector of coefficients on all the run's sources ({@code xhat_T} and every step's noise), so the final variance is a
 * sum of squares, with no carried covariance and no window: an independent computation of what the spectral engine
 * propagates. Then the orders of convergence (16.6).
 */
class MultistepSchemeTest {
    private static final VpSchedule VP = VpSchedule.standard();
    private static final VeSchedule VE = new VeSchedule(0.01, 50, 1);
    private static final double[] LAMBDA = {4, 1, 0.3, 0.05, 0.002, 0};

    /** A random variable as its coefficients on the run's sources: index 0 is {@code xhat_T}, 1 + k step k's noise. */
    private record Rv(double[] c) {
        Rv plus(double a, Rv y) {
            double[] z = c.clone();
            for (int i = 0; i < z.length; i++) {
                z[i] += a * y.c[i];
            }
            return new Rv(z);
        }

        Rv times(double a) {
            return new Rv(new Rv(new double[c.length]).plus(a, this).c);
        }

        static Rv source(int sources, int p) {
            double[] c = new double[sources];
            c[p] = 1;
            return new Rv(c);
        }
    }

    /** The printed loop of one sampler on eigenvalue {@code lambda}: its final {@code xhat}. */
    private interface Printed {
        Rv run(double lambda, double[] sigmas);
    }

    /** k-diffusion's model: the exact denoiser of {@code N(0, lambda)} at noise level {@code sigma}. */
    private static Rv model(Rv x, double lambda, double sigma) {
        return x.times(lambda / (lambda + sigma * sigma));
    }

    /** {@code to_d}. */
    private static Rv toD(Rv x, double sigma, Rv denoised) {
        return x.plus(-1, denoised).times(1 / sigma);
    }

    private static Rv start(double[] sigmas) {
        return Rv.source(sigmas.length, 0);
    }

    /** {@code sample_euler_ancestral} with its {@code get_ancestral_step}. */
    static Rv eulerAncestral(double lambda, double[] sigmas, double eta) {
        Rv x = start(sigmas);
        for (int i = 0; i < sigmas.length - 1; i++) {
            Rv denoised = model(x, lambda, sigmas[i]);
            double sigmaUp = eta == 0 ? 0 : Math.min(sigmas[i + 1], eta * Math.sqrt(sigmas[i + 1] * sigmas[i + 1]
                    * (sigmas[i] * sigmas[i] - sigmas[i + 1] * sigmas[i + 1]) / (sigmas[i] * sigmas[i])));
            double sigmaDown = Math.sqrt(sigmas[i + 1] * sigmas[i + 1] - sigmaUp * sigmaUp);
            Rv d = toD(x, sigmas[i], denoised);
            x = x.plus(sigmaDown - sigmas[i], d);
            if (sigmas[i + 1] > 0) {
                x = x.plus(sigmaUp, Rv.source(sigmas.length, i + 1));
            }
        }
        return x;
    }

    /**
     * diffusers' DDIM step in {@code x_t}, {@code abar = 1 / (1 + sigma^2)} (VP), {@code std_dev_t = eta sqrt(variance)},
     * then divided by {@code sqrt(abar_prev)}: the same {@code xhat}.
     */
    static Rv ddimPrinted(double lambda, double[] sigmas, double eta) {
        double abar0 = 1 / (1 + sigmas[0] * sigmas[0]);
        Rv x = start(sigmas).times(Math.sqrt(abar0));
        for (int i = 0; i < sigmas.length - 1; i++) {
            double abar = 1 / (1 + sigmas[i] * sigmas[i]);
            double abarPrev = 1 / (1 + sigmas[i + 1] * sigmas[i + 1]);
            // the model sees x_t; its epsilon is (x_t / sqrt(abar) - D) / sigma
            Rv xhat = x.times(1 / Math.sqrt(abar));
            Rv eps = toD(xhat, sigmas[i], model(xhat, lambda, sigmas[i]));
            Rv x0 = x.plus(-Math.sqrt(1 - abar), eps).times(1 / Math.sqrt(abar));
            double variance = (1 - abarPrev) / (1 - abar) * (1 - abar / abarPrev);
            double std = eta * Math.sqrt(variance);
            Rv direction = eps.times(Math.sqrt(1 - abarPrev - std * std));
            x = x0.times(Math.sqrt(abarPrev)).plus(1, direction).plus(std, Rv.source(sigmas.length, i + 1));
        }
        return x.times(1 / Math.sqrt(1 / (1 + sigmas[sigmas.length - 1] * sigmas[sigmas.length - 1])));
    }

    /** {@code sample_dpmpp_2m}. */
    static Rv dpmpp2m(double lambda, double[] sigmas) {
        Rv x = start(sigmas);
        Rv oldDenoised = null;
        for (int i = 0; i < sigmas.length - 1; i++) {
            Rv denoised = model(x, lambda, sigmas[i]);
            double t = -Math.log(sigmas[i]);
            double tNext = -Math.log(sigmas[i + 1]);
            double h = tNext - t;
            if (oldDenoised == null || sigmas[i + 1] == 0) {
                x = x.times(Math.exp(-tNext) / Math.exp(-t)).plus(-Math.expm1(-h), denoised);
            } else {
                double hLast = t - -Math.log(sigmas[i - 1]);
                double r = hLast / h;
                Rv denoisedD = denoised.times(1 + 1 / (2 * r)).plus(-1 / (2 * r), oldDenoised);
                x = x.times(Math.exp(-tNext) / Math.exp(-t)).plus(-Math.expm1(-h), denoisedD);
            }
            oldDenoised = denoised;
        }
        return x;
    }

    /** {@code sample_dpmpp_2m_sde}, {@code s_noise = 1}, {@code solver_type = 'midpoint'}. */
    static Rv dpmpp2mSde(double lambda, double[] sigmas, double eta) {
        Rv x = start(sigmas);
        Rv oldDenoised = null;
        double hLast = Double.NaN;
        double h = Double.NaN;
        for (int i = 0; i < sigmas.length - 1; i++) {
            Rv denoised = model(x, lambda, sigmas[i]);
            if (sigmas[i + 1] == 0) {
                x = denoised;
            } else {
                double t = -Math.log(sigmas[i]);
                double s = -Math.log(sigmas[i + 1]);
                h = s - t;
                double etaH = eta * h;
                x = x.times(sigmas[i + 1] / sigmas[i] * Math.exp(-etaH)).plus(-Math.expm1(-h - etaH), denoised);
                if (oldDenoised != null) {
                    double r = hLast / h;
                    x = x.plus(0.5 * -Math.expm1(-h - etaH) * (1 / r), denoised.plus(-1, oldDenoised));
                }
                if (eta != 0) {
                    x = x.plus(sigmas[i + 1] * Math.sqrt(-Math.expm1(-2 * etaH)), Rv.source(sigmas.length, i + 1));
                }
            }
            oldDenoised = denoised;
            hLast = h;
        }
        return x;
    }

    /** {@code sample_dpmpp_3m_sde}, {@code s_noise = 1}. */
    static Rv dpmpp3mSde(double lambda, double[] sigmas, double eta) {
        Rv x = start(sigmas);
        Rv denoised1 = null;
        Rv denoised2 = null;
        Double h = null;
        Double h1 = null;
        Double h2 = null;
        for (int i = 0; i < sigmas.length - 1; i++) {
            Rv denoised = model(x, lambda, sigmas[i]);
            if (sigmas[i + 1] == 0) {
                x = denoised;
            } else {
                double t = -Math.log(sigmas[i]);
                double s = -Math.log(sigmas[i + 1]);
                h = s - t;
                double hEta = h * (eta + 1);
                x = x.times(Math.exp(-hEta)).plus(-Math.expm1(-hEta), denoised);
                if (h2 != null) {
                    double r0 = h1 / h;
                    double r1 = h2 / h;
                    Rv d10 = denoised.plus(-1, denoised1).times(1 / r0);
                    Rv d11 = denoised1.plus(-1, denoised2).times(1 / r1);
                    Rv d1 = d10.plus(r0 / (r0 + r1), d10.plus(-1, d11));
                    Rv d2 = d10.plus(-1, d11).times(1 / (r0 + r1));
                    double phi2 = Math.expm1(-hEta) / hEta + 1;
                    double phi3 = phi2 / hEta - 0.5;
                    x = x.plus(phi2, d1).plus(-phi3, d2);
                } else if (h1 != null) {
                    double r = h1 / h;
                    Rv d = denoised.plus(-1, denoised1).times(1 / r);
                    double phi2 = Math.expm1(-hEta) / hEta + 1;
                    x = x.plus(phi2, d);
                }
                if (eta != 0) {
                    x = x.plus(sigmas[i + 1] * Math.sqrt(-Math.expm1(-2 * h * eta)), Rv.source(sigmas.length, i + 1));
                }
            }
            denoised2 = denoised1;
            denoised1 = denoised;
            h2 = h1;
            h1 = h;
        }
        return x;
    }

    /**
     * {@code sample_lms} with {@code linear_multistep_coeff}'s integral of the Lagrange basis polynomial, here by
     * Simpson's rule on 64 panels (exact for cubics up to round-off), not by the engine's Gauss nodes.
     */
    static Rv lms(double lambda, double[] sigmas) {
        int order = 4;
        Rv x = start(sigmas);
        List<Rv> ds = new ArrayList<>();
        for (int i = 0; i < sigmas.length - 1; i++) {
            Rv denoised = model(x, lambda, sigmas[i]);
            ds.add(toD(x, sigmas[i], denoised));
            if (ds.size() > order) {
                ds.remove(0);
            }
            int curOrder = Math.min(i + 1, order);
            for (int j = 0; j < curOrder; j++) {
                x = x.plus(multistepCoeff(curOrder, sigmas, i, j), ds.get(ds.size() - 1 - j));
            }
        }
        return x;
    }

    static double multistepCoeff(int order, double[] t, int i, int j) {
        Function<Double, Double> fn = tau -> {
            double prod = 1;
            for (int k = 0; k < order; k++) {
                if (j != k) {
                    prod *= (tau - t[i - k]) / (t[i - j] - t[i - k]);
                }
            }
            return prod;
        };
        int panels = 64;
        double a = t[i];
        double step = (t[i + 1] - a) / panels;
        double sum = fn.apply(a) + fn.apply(t[i + 1]);
        for (int p = 1; p < panels; p++) {
            sum += (p % 2 == 1 ? 4 : 2) * fn.apply(a + p * step);
        }
        return sum * step / 3;
    }

    /**
     * diffusers' {@code UniPCMultistepScheduler.step} ({@code solver_order = 3}, {@code bh2}, {@code predict_x0},
     * {@code lower_order_final}) in {@code x_t} with VP's {@code alpha_t = 1 / sqrt(sigma^2 + 1)},
     * {@code sigma_t = sigma alpha_t} ({@code _sigma_to_alpha_sigma_t}), its state kept as the scheduler keeps it
     * ({@code model_outputs}, {@code last_sample}, {@code this_order}, {@code lower_order_nums}); returns {@code xhat}.
     */
    static Rv unipcPrinted(double lambda, double[] sigmas) {
        int solverOrder = 3;
        int n = sigmas.length - 1;
        Rv[] modelOutputs = new Rv[solverOrder];
        Rv lastSample = null;
        int thisOrder = 0;
        int lowerOrderNums = 0;
        Rv sample = start(sigmas).times(alphaOf(sigmas[0]));
        for (int stepIndex = 0; stepIndex < n; stepIndex++) {
            // convert_model_output with predict_x0: x0_pred from the model at sample
            double a = alphaOf(sigmas[stepIndex]);
            Rv converted = model(sample.times(1 / a), lambda, sigmas[stepIndex]);
            if (stepIndex > 0 && lastSample != null) {
                sample = uniC(converted, lastSample, sample, thisOrder, modelOutputs, sigmas, stepIndex);
            }
            for (int i = 0; i < solverOrder - 1; i++) {
                modelOutputs[i] = modelOutputs[i + 1];
            }
            modelOutputs[solverOrder - 1] = converted;
            int order = Math.min(solverOrder, n - stepIndex);
            thisOrder = Math.min(order, lowerOrderNums + 1);
            lastSample = sample;
            sample = uniP(sample, thisOrder, modelOutputs, sigmas, stepIndex);
            if (lowerOrderNums < solverOrder) {
                lowerOrderNums++;
            }
        }
        return sample.times(1 / alphaOf(sigmas[n]));
    }

    private static double alphaOf(double sigma) {
        return 1 / Math.sqrt(sigma * sigma + 1);
    }

    private static double lambdaOf(double sigma) {
        double alpha = alphaOf(sigma);
        return Math.log(alpha) - Math.log(sigma * alpha);
    }

    /** {@code R} and {@code b} as the scheduler builds them; {@code b} first, then the rows of R. */
    private static double[][] rb(double[] rks, double h, int order) {
        double hh = -h;
        double hPhi1 = Math.expm1(hh);
        double hPhiK = hPhi1 / hh - 1;
        double factorial = 1;
        double bh = Math.expm1(hh);
        double[][] out = new double[order + 1][];
        out[0] = new double[order];
        for (int i = 1; i <= order; i++) {
            out[i] = new double[rks.length];
            for (int j = 0; j < rks.length; j++) {
                out[i][j] = Math.pow(rks[j], i - 1);
            }
            out[0][i - 1] = hPhiK * factorial / bh;
            factorial *= i + 1;
            hPhiK = hPhiK / hh - 1 / factorial;
        }
        return out;
    }

    private static Rv uniP(Rv x, int order, Rv[] outputs, double[] sigmas, int stepIndex) {
        Rv m0 = outputs[outputs.length - 1];
        double sigmaT = sigmas[stepIndex + 1];
        double sigmaS0 = sigmas[stepIndex];
        double alphaT = alphaOf(sigmaT);
        double h = lambdaOf(sigmaT) - lambdaOf(sigmaS0);
        double[] rks = new double[order];
        Rv[] d1s = new Rv[order - 1];
        for (int i = 1; i < order; i++) {
            int si = stepIndex - i;
            Rv mi = outputs[outputs.length - (i + 1)];
            rks[i - 1] = (lambdaOf(sigmas[si]) - lambdaOf(sigmaS0)) / h;
            d1s[i - 1] = mi.plus(-1, m0).times(1 / rks[i - 1]);
        }
        rks[order - 1] = 1;
        double hPhi1 = Math.expm1(-h);
        double bh = Math.expm1(-h);
        Rv xt = x.times(sigmaT * alphaT / (sigmaS0 * alphaOf(sigmaS0))).plus(-alphaT * hPhi1, m0);
        if (order > 1) {
            double[] rhos;
            if (order == 2) {
                rhos = new double[] {0.5};
            } else {
                double[][] rb = rb(rks, h, order);
                rhos = MultistepMethod.solve(new double[][] {
                        java.util.Arrays.copyOf(rb[1], order - 1), java.util.Arrays.copyOf(rb[2], order - 1)},
                        java.util.Arrays.copyOf(rb[0], order - 1));
            }
            Rv predRes = d1s[0].times(rhos[0]);
            for (int k = 1; k < order - 1; k++) {
                predRes = predRes.plus(rhos[k], d1s[k]);
            }
            xt = xt.plus(-alphaT * bh, predRes);
        }
        return xt;
    }

    private static Rv uniC(Rv modelT, Rv lastSample, Rv thisSample, int order, Rv[] outputs, double[] sigmas,
                           int stepIndex) {
        Rv m0 = outputs[outputs.length - 1];
        double sigmaT = sigmas[stepIndex];
        double sigmaS0 = sigmas[stepIndex - 1];
        double alphaT = alphaOf(sigmaT);
        double h = lambdaOf(sigmaT) - lambdaOf(sigmaS0);
        double[] rks = new double[order];
        Rv[] d1s = new Rv[order - 1];
        for (int i = 1; i < order; i++) {
            int si = stepIndex - (i + 1);
            Rv mi = outputs[outputs.length - (i + 1)];
            rks[i - 1] = (lambdaOf(sigmas[si]) - lambdaOf(sigmaS0)) / h;
            d1s[i - 1] = mi.plus(-1, m0).times(1 / rks[i - 1]);
        }
        rks[order - 1] = 1;
        double[] rhos;
        if (order == 1) {
            rhos = new double[] {0.5};
        } else {
            double[][] rb = rb(rks, h, order);
            rhos = MultistepMethod.solve(java.util.Arrays.copyOfRange(rb, 1, order + 1), rb[0]);
        }
        double hPhi1 = Math.expm1(-h);
        double bh = Math.expm1(-h);
        Rv xt = lastSample.times(sigmaT * alphaT / (sigmaS0 * alphaOf(sigmaS0))).plus(-alphaT * hPhi1, m0);
        Rv corrRes = new Rv(new double[m0.c().length]);
        for (int k = 0; k < order - 1; k++) {
            corrRes = corrRes.plus(rhos[k], d1s[k]);
        }
        Rv d1t = modelT.plus(-1, m0);
        return xt.plus(-alphaT * bh, corrRes.plus(rhos[order - 1], d1t));
    }

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ForwardProcess process : new ForwardProcess[] {VP, VE}) {
            for (double eps : new double[] {1e-3, 0}) {
                cases.add(Arguments.of(Schemes.EULER_ANCESTRAL, (Printed) (l, s) -> eulerAncestral(l, s, 1), process,
                        eps));
                cases.add(Arguments.of(MultistepScheme.ddim(0.3), (Printed) (l, s) -> eulerAncestral(l, s, 0.3),
                        process, eps));
                cases.add(Arguments.of(Schemes.DPMPP_2M, (Printed) MultistepSchemeTest::dpmpp2m, process, eps));
                for (double eta : new double[] {1, 0.5, 0}) {
                    cases.add(Arguments.of(MultistepScheme.dpmpp2mSde(eta), (Printed) (l, s) -> dpmpp2mSde(l, s, eta),
                            process, eps));
                    cases.add(Arguments.of(MultistepScheme.dpmpp3mSde(eta), (Printed) (l, s) -> dpmpp3mSde(l, s, eta),
                            process, eps));
                }
                cases.add(Arguments.of(MultistepScheme.eulerAncestral(0.7), (Printed) (l, s) -> eulerAncestral(l, s,
                        0.7), process, eps));
                cases.add(Arguments.of(Schemes.LMS, (Printed) MultistepSchemeTest::lms, process, eps));
                if (process == VP) {
                    cases.add(Arguments.of(MultistepScheme.unipc(9), (Printed) MultistepSchemeTest::unipcPrinted,
                            process, eps));
                }
            }
        }
        return cases;
    }

    /**
     * On the EDM grid of 9 steps (unequal steps, so the ratios {@code r} of the multistep formulas are not 1), from
     * {@code p_T}, to {@code eps = 1e-3} and to {@code eps = 0} (the denoising last step), VP and VE: the engine's
     * final variances equal the printed loops' to 1e-12 relative (round-off of a few hundred operations).
     */
    @ParameterizedTest
    @MethodSource("cases")
    void spectralEngineEqualsThePrintedLoop(MultistepScheme scheme, Printed printed, ForwardProcess process,
                                            double eps) {
        TimeGrid grid = TimeGrid.of(TimeGrid.EDM, process, eps, 9, 1, TimeGrid.EDM_RHO);
        double[] sigmas = new double[grid.steps() + 1];
        for (int k = 0; k <= grid.steps(); k++) {
            sigmas[k] = process.noiseLevel(grid.forward(k));
        }
        double[] v0 = new double[LAMBDA.length];
        process.variances(LAMBDA, process.horizon(), v0);
        SpectralState state = new SpectralState(new Spectrum("t", LAMBDA, 0), process, v0);
        for (int k = 0; k < grid.steps(); k++) {
            scheme.step(state, grid.forward(k), grid.forward(k + 1));
        }
        double aT = process.scale(grid.forward(0));
        double aEnd = process.scale(grid.forward(grid.steps()));
        for (int i = 0; i < LAMBDA.length; i++) {
            if (eps == 0 && LAMBDA[i] == 0) {
                continue;
            }
            double[] c = printed.run(LAMBDA[i], sigmas).c();
            double variance = c[0] * c[0] * v0[i] / (aT * aT);
            for (int p = 1; p < c.length; p++) {
                variance += c[p] * c[p];
            }
            variance *= aEnd * aEnd;
            assertEquals(variance, state.variances()[i], 1e-12 * Math.max(variance, 1e-12),
                    scheme.id() + " " + process.id() + " eps=" + eps + " lambda=" + LAMBDA[i]);
        }
    }

    /** diffusers' DDIM step, printed in {@code x_t} with {@code abar}, is the ancestral step of k-diffusion (16.2). */
    @Test
    void ddimAsDiffusersPrintsItIsTheAncestralStep() {
        double[] sigmas = {80, 20, 5, 1, 0.2, 0.01};
        for (double eta : new double[] {0, 0.4, 1}) {
            for (double lambda : LAMBDA) {
                double[] a = ddimPrinted(lambda, sigmas, eta).c();
                double[] b = eulerAncestral(lambda, sigmas, eta).c();
                for (int p = 0; p < a.length; p++) {
                    assertEquals(b[p], a[p], 1e-12 * (1 + Math.abs(b[p])), "eta=" + eta + " lambda=" + lambda);
                }
            }
        }
    }

    /** DDIM with {@code eta = 0} is DPM-Solver-1 (12.2) and Euler ancestral is DDIM with {@code eta = 1}. */
    @Test
    void ddimLimits() {
        TimeGrid grid = TimeGrid.of(TimeGrid.EDM, VP, 1e-3, 15, 1, TimeGrid.EDM_RHO);
        Spectrum spectrum = Spectrum.powerLaw(20, 1);
        double[] v0 = new double[20];
        VP.variances(spectrum.lambda(), 1, v0);
        SpectralState ddim0 = new SpectralState(spectrum, VP, v0);
        SpectralState dpm1 = new SpectralState(spectrum, VP, v0);
        SpectralState ddim1 = new SpectralState(spectrum, VP, v0);
        SpectralState ancestral = new SpectralState(spectrum, VP, v0);
        for (int k = 0; k < grid.steps(); k++) {
            MultistepScheme.ddim(0).step(ddim0, grid.forward(k), grid.forward(k + 1));
            Schemes.DPM_SOLVER_1.step(dpm1, grid.forward(k), grid.forward(k + 1));
            MultistepScheme.ddim(1).step(ddim1, grid.forward(k), grid.forward(k + 1));
            Schemes.EULER_ANCESTRAL.step(ancestral, grid.forward(k), grid.forward(k + 1));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(dpm1.variances()[i], ddim0.variances()[i], 1e-13 * dpm1.variances()[i]);
            assertEquals(ancestral.variances()[i], ddim1.variances()[i], 0.0);
        }
        assertThrows(IllegalArgumentException.class, () -> MultistepScheme.ddim(1.5));
    }

    /** The Gauss nodes integrate the cubic Lagrange basis exactly: the basis sums to 1, so the integrals to t - s. */
    @Test
    void lagrangeIntegralsSumToTheInterval() {
        double[] nodes = {0.9, 1.7, 3.1, 6.0};
        double sum = 0;
        for (int j = 0; j < 4; j++) {
            double simpson = multistepCoeff(4, new double[] {6.0, 3.1, 1.7, 0.9, 0.4}, 3, j);
            double gauss = MultistepMethod.lagrangeIntegral(new double[] {0.9, 1.7, 3.1, 6.0}, j, 0.9, 0.4);
            assertEquals(simpson, gauss, 1e-13);
            sum += gauss;
        }
        assertEquals(0.4 - 0.9, sum, 1e-14);
        assertThrows(IllegalArgumentException.class,
                () -> MultistepMethod.lagrangeIntegral(new double[] {1, 2, 3, 4, 5}, 0, 1, 0.5));
    }

    /**
     * The observed orders (16.6): {@code log2(e(N) / e(2N))} from {@code N = 640} on the three grids, within 0.1 of
     * the stated order for the samplers that reach it there; {@code lms}, {@code dpmpp_3m_sde} and {@code unipc} show
     * their higher order before the {@code O(h^2)} of their first-order steps takes over.
     */
    @Test
    void ordersOfConvergence() {
        for (MultistepScheme s : List.of(Schemes.EULER_ANCESTRAL, MultistepScheme.ddim(0.5), Schemes.DPMPP_2M,
                Schemes.DPMPP_2M_SDE, Schemes.DPMPP_3M_SDE)) {
            for (String g : new String[] {TimeGrid.UNIFORM, TimeGrid.EDM, TimeGrid.EXPONENTIAL}) {
                assertEquals(s.order(), NoiseLevelConvergenceTest.observedOrder(n -> s, g, 640), 0.1,
                        s.id() + " on " + g);
            }
        }
        for (String g : new String[] {TimeGrid.UNIFORM, TimeGrid.EDM, TimeGrid.EXPONENTIAL}) {
            assertEquals(2, NoiseLevelConvergenceTest.observedOrder(MultistepScheme::unipc, g, 640), 0.1, "unipc " + g);
        }
        // before their first-order steps dominate they show their higher order: above 3, well above the limit 2
        double unipc = NoiseLevelConvergenceTest.observedOrder(MultistepScheme::unipc, TimeGrid.EDM, 20);
        assertTrue(unipc > 3, "unipc before its last first-order step dominates: " + unipc);
        double lms = NoiseLevelConvergenceTest.observedOrder(n -> Schemes.LMS, TimeGrid.EDM, 160);
        assertTrue(lms > 3.5 && lms < 4.1, "lms before its warm-up term dominates: " + lms);
        double lmsLimit = NoiseLevelConvergenceTest.observedOrder(n -> Schemes.LMS, TimeGrid.EXPONENTIAL, 5120);
        assertEquals(2, lmsLimit, 0.3, "lms in the limit: its first Euler step's O(h^2)");
        assertEquals(2.0, NoiseLevelConvergenceTest.observedOrder(n -> Schemes.DPMPP_3M_SDE, TimeGrid.EDM, 2560), 0.1);
    }

    /**
     * Euler-Maruyama on the eta-family of backward SDEs (docs/theory.md 3.1.1, 18): {@code eta = 1} is Pierret &amp;
     * Galerne's EM to the bit, {@code eta = 0} is Euler on the flow ODE (1e-13), and every eta converges to
     * {@code p_eps} at order 1 (the family shares the process's marginals), on VP ({@code N = 640 -> 1280}) and on the
     * flow ({@code 10240 -> 20480}).
     */
    @Test
    void eulerMaruyamaOnTheEtaFamily() {
        TimeGrid grid = new TimeGrid(1, 1e-3, 25);
        Spectrum spectrum = Spectrum.powerLaw(20, 1);
        double[] v0 = new double[20];
        VP.variances(spectrum.lambda(), 1, v0);
        SpectralState em = new SpectralState(spectrum, VP, v0);
        SpectralState em1 = new SpectralState(spectrum, VP, v0);
        SpectralState em0 = new SpectralState(spectrum, VP, v0);
        SpectralState euler = new SpectralState(spectrum, VP, v0);
        for (int k = 0; k < grid.steps(); k++) {
            Schemes.EM.step(em, grid.forward(k), grid.forward(k + 1));
            StochasticScheme.em(1).step(em1, grid.forward(k), grid.forward(k + 1));
            StochasticScheme.em(0).step(em0, grid.forward(k), grid.forward(k + 1));
            Schemes.EULER.step(euler, grid.forward(k), grid.forward(k + 1));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(em.variances()[i], em1.variances()[i], 0.0);
            assertEquals(euler.variances()[i], em0.variances()[i], 1e-13 * euler.variances()[i]);
        }
        // the flow's drift r = 1 / (1 - t) is 1000 at T = 0.999: asymptotic only once h r << 1
        for (ForwardProcess process : List.of(VP, new org.w2lab.schedule.FlowProcess(0.999))) {
            int n = process == VP ? 640 : 10240;
            for (double eta : new double[] {0.3, 0.7}) {
                double e1 = NoiseLevelConvergenceTest.error(StochasticScheme.em(eta), process, spectrum,
                        new TimeGrid(process.horizon(), 0.01, n));
                double e2 = NoiseLevelConvergenceTest.error(StochasticScheme.em(eta), process, spectrum,
                        new TimeGrid(process.horizon(), 0.01, 2 * n));
                assertEquals(1, Math.log(e1 / e2) / Math.log(2), 0.1, process.id() + " eta=" + eta);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> StochasticScheme.em(1.5));
    }
}
