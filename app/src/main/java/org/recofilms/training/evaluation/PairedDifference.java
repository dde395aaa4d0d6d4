package org.recofilms.training.evaluation;

/**
 * The difference of one metric between two models scored on the same users: the per-user differences
 * {@code a[u] - b[u]}, averaged, with their standard error. Pairing removes the variation between users (some
 * users are easy for every model), which dominates the standard error of each mean, so a difference far smaller
 * than either model's own standard error can still be told from noise.
 */
public final class PairedDifference {

    private PairedDifference() {}

    /**
     * The paired difference over the users both sides hold. {@code idsA} and {@code idsB} are ascending user ids,
     * {@code a[k]} the value of user {@code idsA[k]}; users present on one side only are left out.
     */
    public static Estimate of(int[] idsA, double[] a, int[] idsB, double[] b) {
        if (idsA.length != a.length || idsB.length != b.length) {
            throw new IllegalArgumentException("one value per user id");
        }
        double[] differences = new double[Math.min(a.length, b.length)];
        int n = 0;
        for (int i = 0, j = 0; i < idsA.length && j < idsB.length; ) {
            if (idsA[i] == idsB[j]) {
                differences[n++] = a[i++] - b[j++];
            } else if (idsA[i] < idsB[j]) {
                i++;
            } else {
                j++;
            }
        }
        return Estimate.of(java.util.Arrays.copyOf(differences, n));
    }

    /**
     * The difference of two means measured on different users, as independent samples: {@code a - b} with
     * standard error {@code sqrt(se_a^2 + se_b^2)}. The fallback when no pairing is possible; it is much wider.
     */
    public static Estimate unpaired(Estimate a, Estimate b) {
        return new Estimate(
                a.mean() - b.mean(),
                Math.sqrt(a.standardError() * a.standardError() + b.standardError() * b.standardError()),
                Math.min(a.users(), b.users()));
    }
}
