package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.spectrum.SpectrumFiles;
import org.w2lab.theory.ContinuousProcess;
import org.w2lab.theory.Init;
import org.w2lab.theory.SpectralTheory;
import org.w2lab.theory.TheoryResult;

/**
 * Every cell of Pierret &amp; Galerne's Table 1, recomputed by this engine under the conventions of the authors'
 * code (docs/paper-comparison.md), must equal the published value to the precision it is printed with. The
 * conventions differ from w2lab's own in three places, each of which this test pins down:
 * <ul>
 *   <li>a grid of {@code N} points, so {@code N - 1} steps, with {@code N = NFE} (and {@code NFE / 4} for RK4; for
 *   Heun {@code N = NFE} too, the effect of the fall-through of the {@code if} choosing {@code N} in their loop);</li>
 *   <li>DDPM with {@code beta_k = 2 h beta_{t_k}} instead of {@code 1 - e^{-2 Delta_k}};</li>
 *   <li>the {@code '-'} cells (infinite W2) are this engine's {@code score_undefined}.</li>
 * </ul>
 */
class PaperTableTest {
    private static final Spectrum CIFAR10 = SpectrumFiles.load(Path.of("..", "conf", "spectra",
            "cifar10_eigenvalues.npy"));
    private static final SpectralTheory THEORY = new SpectralTheory(CIFAR10, VpSchedule.standard());

    /** The authors' DDPM: {@code alpha_k = 1 - beta_k}, {@code beta_k = 2 h beta_{t_k}}. */
    private static final DiscreteScheme AUTHORS_DDPM = new StochasticScheme("ddpm", (schedule, tFrom, tTo, out) -> {
        double betaK = 2 * (tFrom - tTo) * schedule.diffusion(tFrom); // beta_t for VP
        double growth = 1 / Math.sqrt(1 - betaK);
        out[0] = growth;
        out[1] = growth * betaK;
        out[2] = betaK;
    });

    private record Cell(String scheme, double eps, String nfe, Init init, String printed) {
        /** Half a unit of the last printed digit. */
        double tolerance() {
            return 0.5 * new BigDecimal(printed).ulp().doubleValue();
        }
    }

    private static List<Cell> cells() throws IOException {
        try (InputStream in = PaperTableTest.class.getResourceAsStream("/pierret-galerne-table1.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.startsWith("scheme,"))
                    .map(l -> l.split(","))
                    .map(c -> new Cell(c[0], Double.parseDouble(c[1]), c[2], Init.byId(c[3]), c[4]))
                    .collect(Collectors.toList());
        }
    }

    private static TheoryResult compute(Cell c) {
        if ("cont".equals(c.nfe())) {
            boolean sde = List.of("em", "ei", "ddpm").contains(c.scheme());
            return THEORY.continuous(sde ? ContinuousProcess.SDE : ContinuousProcess.ODE, c.eps(), c.init(), 1);
        }
        int nfe = Integer.parseInt(c.nfe());
        DiscreteScheme scheme = "ddpm".equals(c.scheme()) ? AUTHORS_DDPM : Schemes.byId(c.scheme());
        int points = scheme == Schemes.RK4 ? nfe / 4 : nfe;
        return THEORY.discrete(scheme, points - 1, c.eps(), c.init(), 0);
    }

    @Test
    void everyCellOfTheTableIsReproducedUnderTheAuthorsConventions() throws IOException {
        List<Cell> cells = cells();
        assertEquals(6 * 4 * 5 * 2, cells.size());
        for (Cell c : cells) {
            TheoryResult r = compute(c);
            if ("inf".equals(c.printed())) {
                assertEquals(TheoryResult.Status.SCORE_UNDEFINED, r.status(), c.toString());
            } else {
                assertEquals(TheoryResult.Status.OK, r.status(), c.toString());
                assertEquals(Double.parseDouble(c.printed()), r.w2ToData(), c.tolerance(), c.toString());
            }
        }
    }

    @Test
    void theConventionsMatterSoTheTestCanFail() throws IOException {
        // w2lab's own conventions (N steps, DDPM from e^{-2 Delta}) move at least the NFE = 50 cells off the table
        long differ = cells().stream().filter(c -> "50".equals(c.nfe()) && !"inf".equals(c.printed())).filter(c -> {
            DiscreteScheme s = Schemes.byId(c.scheme());
            int steps = Integer.parseInt(c.nfe()) / s.evaluationsPerStep();
            double own = THEORY.discrete(s, steps, c.eps(), c.init(), 0).w2ToData();
            return Math.abs(own - Double.parseDouble(c.printed())) > c.tolerance();
        }).count();
        assertTrue(differ > 20, "cells that differ: " + differ);
    }
}
