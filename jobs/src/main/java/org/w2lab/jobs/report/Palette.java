package org.w2lab.jobs.report;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The colours of the report: one per sampler, the same in every figure, and one per kind of value (predicted,
 * conditional, empirical). Colour-blind safe: Okabe and Ito's eight colours, then Tol's for the rest.
 */
public final class Palette {
    private static final Color BLACK = new Color(0x000000);
    private static final Color ORANGE = new Color(0xE69F00);
    private static final Color SKY = new Color(0x56B4E9);
    private static final Color GREEN = new Color(0x009E73);
    private static final Color YELLOW = new Color(0xF0E442);
    private static final Color BLUE = new Color(0x0072B2);
    private static final Color VERMILION = new Color(0xD55E00);
    private static final Color PURPLE = new Color(0xCC79A7);
    private static final Color GREY = new Color(0x777777);
    private static final Color WINE = new Color(0x882255);

    private static final Color INDIGO = new Color(0x332288);
    private static final Color TEAL = new Color(0x117733);
    private static final Color OLIVE = new Color(0x999933);
    private static final Color ROSE = new Color(0xCC6677);
    private static final Color SAND = new Color(0xB8A040);

    private static final Map<String, Color> SAMPLERS = Map.ofEntries(Map.entry("em", BLUE), Map.entry("ei", SKY),
            Map.entry("ddpm", GREEN), Map.entry("euler", VERMILION), Map.entry("heun", ORANGE),
            Map.entry("rk4", PURPLE), Map.entry("sde", BLACK), Map.entry("ode", GREY), Map.entry("ula", WINE),
            Map.entry("dpm_solver_1", OLIVE), Map.entry("dpm_solver_2", ROSE), Map.entry("dpm_solver_3", INDIGO),
            Map.entry("edm_heun", SAND), Map.entry("edm_stochastic", TEAL), Map.entry("ddim", SKY.darker()),
            Map.entry("euler_ancestral", VERMILION.darker()), Map.entry("dpmpp_2m", INDIGO.brighter()),
            Map.entry("dpmpp_2m_sde", ROSE.darker()), Map.entry("dpmpp_3m_sde", TEAL.brighter()),
            Map.entry("lms", OLIVE.darker()), Map.entry("unipc", PURPLE.darker()));

    /** Colours of successive members of a family (several tau, several zeta): dark to light. */
    private static final Color[] SEQUENCE = {BLUE, VERMILION, GREEN, PURPLE, ORANGE, SKY, WINE, GREY, YELLOW};

    /** The predicted error (from the configuration alone). */
    public static final Color PREDICTED = BLACK;
    /** The exact law of each seed's algorithm (the conditional theory). */
    public static final Color CONDITIONAL = BLUE;
    /** Particles: the empirical estimate. */
    public static final Color EMPIRICAL = VERMILION;
    /** A first-order approximation beside the exact value. */
    public static final Color FIRST_ORDER = GREY;

    private Palette() {
    }

    /** The sampler's colour; unknown samplers get grey. */
    public static Color sampler(String sampler) {
        return SAMPLERS.getOrDefault(sampler, GREY);
    }

    /** The samplers in the order of the papers' legends: the SDE schemes, the ODE schemes, the continuous processes. */
    public static final List<String> SAMPLER_ORDER = List.of("em", "ei", "ddpm", "edm_stochastic", "ddim",
            "euler_ancestral", "dpmpp_2m_sde", "dpmpp_3m_sde", "euler", "heun", "rk4", "dpm_solver_1", "dpm_solver_2",
            "dpm_solver_3", "edm_heun", "dpmpp_2m", "lms", "unipc", "sde", "ode", "ula");

    private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("em", "EM"), Map.entry("ei", "EI"),
            Map.entry("ddpm", "DDPM"), Map.entry("euler", "Euler"), Map.entry("heun", "Heun"), Map.entry("rk4", "RK4"),
            Map.entry("sde", "SDE (continuous)"), Map.entry("ode", "ODE (continuous)"), Map.entry("ula", "ULA"),
            Map.entry("dpm_solver_1", "DPM-Solver-1"), Map.entry("dpm_solver_2", "DPM-Solver-2"),
            Map.entry("dpm_solver_3", "DPM-Solver-3"), Map.entry("edm_heun", "EDM Heun"),
            Map.entry("edm_stochastic", "EDM stochastic"), Map.entry("ddim", "DDIM"),
            Map.entry("euler_ancestral", "Euler ancestral"), Map.entry("dpmpp_2m", "DPM-Solver++(2M)"),
            Map.entry("dpmpp_2m_sde", "DPM-Solver++(2M) SDE"), Map.entry("dpmpp_3m_sde", "DPM-Solver++(3M) SDE"),
            Map.entry("lms", "LMS"), Map.entry("unipc", "UniPC"));

    /** The sampler's name in legends. */
    public static String label(String sampler) {
        return LABELS.getOrDefault(sampler, sampler);
    }

    /**
     * The sampler's marker, one shape per sampler, so that two samplers whose curves overlap (Heun and RK4 at a large
     * budget) stay apart: filled shapes for the stochastic samplers, crosses and open-looking shapes for the
     * deterministic ones, none for the continuous processes.
     */
    public static Marker marker(String sampler) {
        return switch (sampler) {
            case "em" -> SeriesMarkers.CIRCLE;
            case "ei" -> SeriesMarkers.TRIANGLE_UP;
            case "ddpm" -> SeriesMarkers.SQUARE;
            case "edm_stochastic" -> SeriesMarkers.TRIANGLE_DOWN;
            case "euler" -> SeriesMarkers.DIAMOND;
            case "heun" -> SeriesMarkers.CROSS;
            case "rk4" -> SeriesMarkers.PLUS;
            case "dpm_solver_1" -> SeriesMarkers.OVAL;
            case "dpm_solver_2" -> SeriesMarkers.TRAPEZOID;
            case "dpm_solver_3" -> SeriesMarkers.RECTANGLE;
            case "ddim", "euler_ancestral" -> SeriesMarkers.CIRCLE;
            case "dpmpp_2m_sde", "dpmpp_3m_sde" -> SeriesMarkers.TRIANGLE_UP;
            case "dpmpp_2m", "lms", "unipc" -> SeriesMarkers.CROSS;
            case "sde", "ode" -> SeriesMarkers.NONE;
            default -> SeriesMarkers.DIAMOND;
        };
    }

    /** The position of a sampler in {@link #SAMPLER_ORDER}; unknown ones last. */
    public static int rank(String sampler) {
        int k = SAMPLER_ORDER.indexOf(sampler);
        return k < 0 ? SAMPLER_ORDER.size() : k;
    }

    /** The {@code k}-th colour of a family, cycling. */
    public static Color sequence(int k) {
        return SEQUENCE[k % SEQUENCE.length];
    }

    /** The colour, translucent: the fill of a confidence band. */
    public static Color band(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 55);
    }
}
