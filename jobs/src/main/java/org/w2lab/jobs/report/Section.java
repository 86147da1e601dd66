package org.w2lab.jobs.report;

import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * The figures of one experiment.
 *
 * @param experiment the {@code experiment} partition they read
 * @param config     the config that writes it
 * @param heading    the heading in {@code index.html}
 * @param figures    builds the figures from the registered views
 */
record Section(String experiment, String config, String heading, Function<SparkSession, List<Figure>> figures) {
    /** Every experiment the report draws, in the order of the page. */
    static final List<Section> ALL = List.of(
            new Section("quickstart", "conf/quickstart.conf", "Quickstart: every scheme against its budget",
                    QuickstartFigures::figures),
            new Section(PierretFigures.EXPERIMENT, PierretFigures.CONFIG, "Pierret & Galerne, Figure 1",
                    PierretFigures::figures),
            new Section(AblationTable.EXPERIMENT, AblationTable.CONFIG, "Pierret & Galerne, Table 1 (ablation)",
                    spark -> List.of()),
            new Section(ShootoutFigures.EXPERIMENT, "conf/sampler-shootout.conf",
                    "Samplers, time grids and score error at equal NFE", ShootoutFigures::figures),
            new Section("verify_samplers", "conf/verify-samplers.conf", "Verification: theory against particles",
                    VerificationFigures::figures),
            new Section("hurault_figure1", "conf/hurault-figure1.conf",
                    "Hurault et al., Figure 1: the SGD stationary law", HuraultFigures::figure1),
            new Section("hurault_figure2", "conf/hurault-figure2.conf",
                    "Hurault et al., Figure 2: Langevin with a learned score", HuraultFigures::figure2),
            new Section("hurault_figure3", "conf/hurault-figure3.conf",
                    "Hurault et al., Figure 3: diffusion with learned scores along the trajectory",
                    HuraultFigures::figure3),
            new Section("hurault_figure4", "conf/hurault-figure4.conf", "Hurault et al., Figure 4: power spectra",
                    HuraultFigures::figure4),
            new Section("hurault_figure5", "conf/hurault-figure5.conf", "Hurault et al., Figure 5: the kernel",
                    HuraultFigures::figure5),
            new Section("hurault_validity", "conf/hurault-validity.conf",
                    "Hurault et al.: where the first-order prediction holds", HuraultFigures::validity));
}
