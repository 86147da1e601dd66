package org.w2lab.jobs.config;

import java.util.Collection;

/** The known name closest to a misspelled one, by edit distance, to suggest in an error message. */
public final class DidYouMean {
    private DidYouMean() {
    }

    /**
     * {@code " (did you mean 'NAME'?)"} for the known name at the smallest edit distance ({@link #distance}) (case ignored) when it
     * is at most a third of the name's length rounded up, and at least 1; empty otherwise.
     */
    public static String suggest(String given, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(given.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int tolerated = Math.max(1, (given.length() + 2) / 3);
        return best != null && bestDistance > 0 && bestDistance <= tolerated ? " (did you mean '" + best + "'?)" : "";
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and transpositions of two adjacent
     * letters ({@code hune} for {@code heun}), each 1.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
