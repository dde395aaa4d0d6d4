package org.recofilms.ingestion.generator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.recofilms.ingestion.MovieLensLayout;

/**
 * The GroupLens MovieLens releases the generator can imitate: their layout, the folder of their zip
 * and what they hold. The data is always generated the same way (as ML-20M); a release's writer then
 * keeps what that release can hold (see {@link ReleaseWriter}).
 */
public enum MovieLensRelease {
    ML_100K("ml-100k", MovieLensLayout.ML_100K, "ml-100k/", false),
    ML_1M("ml-1m", MovieLensLayout.DAT, "ml-1m/", false),
    ML_10M("ml-10m", MovieLensLayout.DAT, "ml-10M100K/", false),
    ML_20M("ml-20m", MovieLensLayout.CSV, MovieLensFiles.ZIP_FOLDER, true),
    ML_25M("ml-25m", MovieLensLayout.CSV, "ml-25m/", true),
    ML_32M("ml-32m", MovieLensLayout.CSV, "ml-32m/", false),
    ML_LATEST("ml-latest", MovieLensLayout.CSV, "ml-latest/", true),
    ML_LATEST_SMALL("ml-latest-small", MovieLensLayout.CSV, "ml-latest-small/", false);

    private final String label;
    private final MovieLensLayout layout;
    private final String zipFolder;
    private final boolean genome;

    MovieLensRelease(String label, MovieLensLayout layout, String zipFolder, boolean genome) {
        this.label = label;
        this.layout = layout;
        this.zipFolder = zipFolder;
        this.genome = genome;
    }

    /** The release's name as GroupLens writes it: {@code ml-100k}. */
    public String label() {
        return label;
    }

    public MovieLensLayout layout() {
        return layout;
    }

    /** The folder that holds the files inside the release's zip, with its trailing slash. */
    public String zipFolder() {
        return zipFolder;
    }

    /** Whether the release ships the tag genome (genome-tags.csv, genome-scores.csv). */
    public boolean hasGenome() {
        return genome;
    }

    /** Ratings in whole stars only (ml-100k, ml-1m). */
    public boolean wholeStars() {
        return this == ML_100K || this == ML_1M;
    }

    /** Text in Latin-1 (ml-100k, ml-1m); the others are UTF-8. */
    public boolean latin1() {
        return this == ML_100K || this == ML_1M;
    }

    /** Whether the release knows the IMAX genre (ml-10m and later). */
    public boolean hasImax() {
        return this != ML_100K && this != ML_1M;
    }

    /** The release named {@code label} ({@code ml-100k}, case-insensitive). */
    public static MovieLensRelease of(String label) {
        for (MovieLensRelease release : values()) {
            if (release.label.equalsIgnoreCase(label.strip())) {
                return release;
            }
        }
        throw new IllegalArgumentException("unknown MovieLens release '" + label + "': expected one of " + labels());
    }

    /** Every label, comma separated. */
    public static String labels() {
        return Arrays.stream(values()).map(r -> r.label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
