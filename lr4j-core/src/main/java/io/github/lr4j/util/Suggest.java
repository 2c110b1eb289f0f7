package io.github.lr4j.util;

import java.util.Collection;

/** "did you mean ...?" for misspelt names (lr4j's own, shared with its other modules). */
public final class Suggest {
    private Suggest() {
    }

    /** The closest candidate, or null when none is close enough to be a likely typo. */
    public static String nearest(String given, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = c.equalsIgnoreCase(given) ? 0 : distance(given.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, given.length() / 3) ? best : null;
    }

    public static String didYouMean(String given, Collection<String> candidates) {
        String s = nearest(given, candidates);
        return s == null ? "" : " (did you mean " + s + "?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
