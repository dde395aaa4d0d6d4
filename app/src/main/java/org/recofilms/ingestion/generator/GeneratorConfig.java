package org.recofilms.ingestion.generator;

import org.recofilms.ingestion.RejectKind;

/**
 * What to generate. Every count is exact: the files hold exactly {@code ratings} good rating lines,
 * {@code tags} good tag lines and {@code genomeMovies * genomeTags} genome scores.
 *
 * @param randomSeed the random seed; one configuration always gives byte-identical files
 * @param users users, with ids 1..users, each with at least {@link #MIN_RATINGS_PER_USER} ratings
 * @param movies movies in movies.csv and links.csv
 * @param ratings good lines in ratings.csv
 * @param tags good lines in tags.csv (at most three per rating)
 * @param genomeMovies movies with genome scores (the most popular ones)
 * @param genomeTags lines in genome-tags.csv (at most {@link #MAX_GENOME_TAGS})
 * @param badRows bad lines to inject for the ingestion tests
 */
public record GeneratorConfig(
        long randomSeed,
        int users,
        int movies,
        long ratings,
        int tags,
        int genomeMovies,
        int genomeTags,
        BadRows badRows) {

    /** MovieLens 20M keeps only users with at least this many ratings; so does the generator. */
    public static final int MIN_RATINGS_PER_USER = 20;
    /** The smallest catalogue the generator accepts. */
    public static final int MIN_MOVIES = 20;
    /** How many distinct genome tags the generator's vocabulary holds. */
    public static final int MAX_GENOME_TAGS = Words.genomeVocabulary().size();

    static final long DEFAULT_RANDOM_SEED = 42L;
    static final int ML20M_USERS = 138_493;
    static final int ML20M_MOVIES = 27_278;
    static final long ML20M_RATINGS = 20_000_263L;
    static final int ML20M_TAGS = 465_564;
    static final int ML20M_GENOME_MOVIES = 10_381;
    static final int ML20M_GENOME_TAGS = 1_128;
    /** Scaled-down catalogues keep at least this many movies so that users still have a choice. */
    static final int MIN_SCALED_MOVIES = 600;

    public GeneratorConfig {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, was " + users);
        }
        if (movies < MIN_MOVIES) {
            throw new IllegalArgumentException("movies must be at least " + MIN_MOVIES + ", was " + movies);
        }
        if (ratings < (long) MIN_RATINGS_PER_USER * users) {
            throw new IllegalArgumentException("ratings must be at least " + MIN_RATINGS_PER_USER + " per user ("
                    + (long) MIN_RATINGS_PER_USER * users + "), was " + ratings);
        }
        if (ratings > (long) maxRatingsPerUser(movies) * users) {
            throw new IllegalArgumentException("ratings must be at most " + maxRatingsPerUser(movies)
                    + " per user (40% of the movies), was " + ratings + " for " + users + " users");
        }
        if (tags < 0 || tags > 3 * ratings) {
            throw new IllegalArgumentException("tags must be between 0 and three per rating, was " + tags);
        }
        if (genomeMovies < 0 || genomeMovies > movies) {
            throw new IllegalArgumentException("genomeMovies must be between 0 and movies, was " + genomeMovies);
        }
        if (genomeTags < 0 || genomeTags > MAX_GENOME_TAGS) {
            throw new IllegalArgumentException(
                    "genomeTags must be between 0 and " + MAX_GENOME_TAGS + ", was " + genomeTags);
        }
        if (badRows == null) {
            throw new IllegalArgumentException("badRows must not be null (use BadRows.none())");
        }
        if (badRows.count(RejectKind.UNKNOWN_TAG) > 0 && (genomeMovies == 0 || genomeTags == 0)) {
            throw new IllegalArgumentException("cannot inject unknown-tag lines into an empty genome");
        }
        if (badRows.tagWrongColumnCount() > 0 && tags == 0) {
            throw new IllegalArgumentException("cannot inject bad tag lines into a tags.csv without tags");
        }
    }

    /** About 5,000 ratings: 100 users, 400 movies; for unit tests. */
    public static GeneratorConfig tiny() {
        return new GeneratorConfig(DEFAULT_RANDOM_SEED, 100, 400, 5_000, 300, 100, 40, BadRows.none());
    }

    /** About 150,000 ratings: 1,000 users, 2,000 movies; for the local demo (about a second). */
    public static GeneratorConfig demo() {
        return new GeneratorConfig(DEFAULT_RANDOM_SEED, 1_000, 2_000, 150_000, 5_000, 500, 100, BadRows.none());
    }

    /**
     * The counts of MovieLens 20M: 138,493 users, 27,278 movies, 20,000,263 ratings, 465,564 tags and
     * a genome of 1,128 tags for 10,381 movies.
     */
    public static GeneratorConfig ml20m() {
        return new GeneratorConfig(
                DEFAULT_RANDOM_SEED,
                ML20M_USERS,
                ML20M_MOVIES,
                ML20M_RATINGS,
                ML20M_TAGS,
                ML20M_GENOME_MOVIES,
                ML20M_GENOME_TAGS,
                BadRows.none());
    }

    /**
     * The ML-20M counts multiplied by {@code factor}, keeping the random seed and bad rows of this
     * configuration. Users, ratings and tags scale exactly (rounded). Movies scale too but never
     * below {@value #MIN_SCALED_MOVIES}, because a catalogue that shrinks as fast as the users would
     * leave an average of 144 ratings per user no room; genome movies follow the movies, and genome
     * tags never grow beyond the 1,128 of the real genome (a tag vocabulary does not grow with users).
     */
    public GeneratorConfig scaled(final double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("scale must be a positive number, was " + factor);
        }
        final int scaledUsers = (int) Math.max(1, Math.round(ML20M_USERS * factor));
        final long scaledRatings =
                Math.max((long) MIN_RATINGS_PER_USER * scaledUsers, Math.round(ML20M_RATINGS * factor));
        final int scaledMovies = (int) Math.max(MIN_SCALED_MOVIES, Math.round(ML20M_MOVIES * factor));
        return new GeneratorConfig(
                randomSeed,
                scaledUsers,
                scaledMovies,
                scaledRatings,
                (int) Math.min(3 * scaledRatings, Math.round(ML20M_TAGS * factor)),
                (int) Math.min(scaledMovies, Math.round(ML20M_GENOME_MOVIES * factor)),
                (int) Math.min(ML20M_GENOME_TAGS, Math.round(ML20M_GENOME_TAGS * factor)),
                badRows);
    }

    /** A copy with another random seed. */
    public GeneratorConfig withRandomSeed(final long newRandomSeed) {
        return new GeneratorConfig(newRandomSeed, users, movies, ratings, tags, genomeMovies, genomeTags, badRows);
    }

    /** A copy with other bad rows. */
    public GeneratorConfig withBadRows(final BadRows newBadRows) {
        return new GeneratorConfig(randomSeed, users, movies, ratings, tags, genomeMovies, genomeTags, newBadRows);
    }

    /** A builder that starts from this configuration; it validates only on {@link Builder#build()}. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The most ratings one user may have: 40% of the catalogue (the busiest ML-20M user rated about a
     * third), and never fewer than the minimum.
     */
    public static int maxRatingsPerUser(final int movies) {
        return Math.min(movies, Math.max(MIN_RATINGS_PER_USER, (int) (movies * 0.4)));
    }

    /** Changes several counts at once without tripping the validation on the way. */
    public static final class Builder {
        private long randomSeed;
        private int users;
        private int movies;
        private long ratings;
        private int tags;
        private int genomeMovies;
        private int genomeTags;
        private BadRows badRows;

        private Builder(final GeneratorConfig base) {
            this.randomSeed = base.randomSeed;
            this.users = base.users;
            this.movies = base.movies;
            this.ratings = base.ratings;
            this.tags = base.tags;
            this.genomeMovies = base.genomeMovies;
            this.genomeTags = base.genomeTags;
            this.badRows = base.badRows;
        }

        public Builder randomSeed(final long value) {
            this.randomSeed = value;
            return this;
        }

        public Builder users(final int value) {
            this.users = value;
            return this;
        }

        public Builder movies(final int value) {
            this.movies = value;
            return this;
        }

        public Builder ratings(final long value) {
            this.ratings = value;
            return this;
        }

        public Builder tags(final int value) {
            this.tags = value;
            return this;
        }

        public Builder genomeMovies(final int value) {
            this.genomeMovies = value;
            return this;
        }

        public Builder genomeTags(final int value) {
            this.genomeTags = value;
            return this;
        }

        public Builder badRows(final BadRows value) {
            this.badRows = value;
            return this;
        }

        /** @throws IllegalArgumentException when the counts do not fit together */
        public GeneratorConfig build() {
            return new GeneratorConfig(randomSeed, users, movies, ratings, tags, genomeMovies, genomeTags, badRows);
        }
    }
}
