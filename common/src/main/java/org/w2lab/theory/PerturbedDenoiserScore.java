package org.w2lab.theory;

import java.util.Arrays;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.ScoreUndefinedException;
import org.w2lab.schedule.ForwardProcess;

/**
 * The exact score of a centred Gaussian whose denoiser is moved by {@code (dA_t, db_t)} (docs/theory.md, 15.3).
 * By Tweedie on the scaled state ({@link org.w2lab.sampler.PerturbedScore}), {@code P_t = (I - A_t) / noise(t)} and
 * {@code c_t = alpha_t b_t / noise(t)}, so the move adds {@code -dA_t / noise(t)} to {@code P_t} and
 * {@code alpha_t db_t / noise(t)} to {@code c_t}.
 */
final class PerturbedDenoiserScore implements LinearScore {
    /** A move of the denoiser at forward time {@code t}. */
    interface Move {
        /**
         * Adds the move at {@code t}.
         *
         * @param da column-major {@code n x n}, zero on entry
         * @param db zero on entry
         * @return whether anything was added
         */
        boolean at(double t, double[] da, double[] db);
    }

    private final LinearScore exact;
    private final ForwardProcess process;
    private final Move move;
    private final double[] da;
    private final double[] db;

    PerturbedDenoiserScore(LinearScore exact, ForwardProcess process, Move move) {
        int n = exact.dimension();
        this.exact = exact;
        this.process = process;
        this.move = move;
        this.da = new double[n * n];
        this.db = new double[n];
    }

    @Override
    public int dimension() {
        return exact.dimension();
    }

    @Override
    public void at(double t, double[] p, double[] c) {
        exact.at(t, p, c);
        Arrays.fill(da, 0);
        Arrays.fill(db, 0);
        if (!move.at(t, da, db)) {
            return;
        }
        double noise = process.noise(t);
        if (!(noise > 0)) {
            throw new ScoreUndefinedException(t);
        }
        double scale = process.scale(t);
        for (int i = 0; i < da.length; i++) {
            p[i] -= da[i] / noise;
        }
        for (int i = 0; i < db.length; i++) {
            c[i] += scale * db[i] / noise;
        }
    }
}
