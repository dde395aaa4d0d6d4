package org.recofilms.ingestion.generator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.recofilms.ingestion.MovieLensFileSet;
import org.recofilms.ingestion.RejectKind;

/**
 * The tag genome: genome-tags.csv and one relevance per (genome movie, genome tag) in
 * genome-scores.csv. Relevance is a logistic function of how well the tag fits the movie (a genre
 * tag on a movie of that genre, a tag tied to the movie's taste cluster, a decade tag on a movie of
 * that decade) plus noise, so most scores are low and a few are close to 1, as in ML-20M.
 */
final class Genome {

    private static final long TAG_CHOICE = 301;
    private static final long TAG_TRAITS = 302;
    private static final long MOVIE_NOISE = 303;
    private static final long BAD_SCORES = 304;
    private static final int SCALE = 100_000;

    private final List<String> tags;
    private final int[] tagGenre;
    private final int[] tagCluster;
    private final int[] tagDecade;
    private final double[] tagBias;

    Genome(final GeneratorConfig config, final int clusterCount) {
        final List<String> vocabulary = Words.genomeVocabulary();
        // Genre tags first (in random order), then the rest, so that even a small genome is useful.
        final List<Integer> genreTags = new ArrayList<>();
        final List<Integer> otherTags = new ArrayList<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            (Words.genreOfTag(vocabulary.get(i)) >= 0 ? genreTags : otherTags).add(i);
        }
        final Rng rng = Rng.stream(config.randomSeed(), TAG_CHOICE, 0);
        shuffle(genreTags, rng);
        shuffle(otherTags, rng);
        final List<Integer> order = new ArrayList<>(genreTags);
        order.addAll(otherTags);
        final List<Integer> chosen = new ArrayList<>(order.subList(0, config.genomeTags()));
        chosen.sort(null);
        this.tags = new ArrayList<>();
        for (final int index : chosen) {
            tags.add(vocabulary.get(index));
        }
        final int n = tags.size();
        this.tagGenre = new int[n];
        this.tagCluster = new int[n];
        this.tagDecade = new int[n];
        this.tagBias = new double[n];
        final Rng traits = Rng.stream(config.randomSeed(), TAG_TRAITS, 0);
        for (int t = 0; t < n; t++) {
            final String tag = tags.get(t);
            tagGenre[t] = Words.genreOfTag(tag);
            tagCluster[t] = tagGenre[t] < 0 && traits.chance(0.6) ? traits.nextInt(clusterCount) : -1;
            tagDecade[t] = tag.length() == 5 && tag.endsWith("0s") ? Integer.parseInt(tag.substring(0, 4)) : -1;
            tagBias[t] = -0.3 + 0.5 * traits.nextGaussian();
        }
    }

    void writeTags(final CsvOut out) throws IOException {
        out.line(MovieLensFileSet.header(MovieLensFileSet.GENOME_TAGS));
        for (int t = 0; t < tags.size(); t++) {
            out.reserve(CsvOut.MAX_NUMERIC_LINE);
            out.number(t + 1).comma().field(tags.get(t));
            out.reserve(1);
            out.endLine();
        }
    }

    /**
     * Writes every (movie, tag) pair sorted by movieId then tagId; returns the good row count.
     * {@code UNKNOWN_TAG} bad lines follow the last good line of a random genome movie, with a
     * tagId past the last genome tag, so the file stays sorted.
     */
    long writeScores(
            final CsvOut out,
            final Catalog catalog,
            final int[] genomeMovies,
            final GeneratorConfig config,
            final List<InjectedBadRow> report)
            throws IOException {
        out.line(MovieLensFileSet.header(MovieLensFileSet.GENOME_SCORES));
        final int badCount = config.badRows().count(RejectKind.UNKNOWN_TAG);
        final Rng badRng = Rng.stream(config.randomSeed(), BAD_SCORES, 0);
        final int[] badAt = new int[badCount];
        for (int i = 0; i < badCount; i++) {
            badAt[i] = badRng.nextInt(genomeMovies.length);
        }
        Arrays.sort(badAt);
        int nextBad = 0;
        long rows = 0;
        for (int position = 0; position < genomeMovies.length; position++) {
            final int movie = genomeMovies[position];
            final Rng rng = Rng.stream(config.randomSeed(), MOVIE_NOISE, movie);
            final double movieBias = 0.3 * rng.nextGaussian();
            final int genres = catalog.genres[movie];
            final int cluster = catalog.clusters[movie];
            final int decade = catalog.years[movie] / 10 * 10;
            final int movieId = catalog.ids[movie];
            for (int t = 0; t < tags.size(); t++) {
                double logit = -2.7 + tagBias[t] + movieBias + 0.9 * rng.fastGaussian();
                if (tagGenre[t] >= 0 && (genres & 1 << tagGenre[t]) != 0) {
                    logit += 3.0;
                }
                if (tagCluster[t] == cluster) {
                    logit += 2.0;
                }
                if (tagDecade[t] == decade) {
                    logit += 3.5;
                }
                final double relevance = 1.0 / (1.0 + StrictMath.exp(-logit));
                out.reserve(CsvOut.MAX_NUMERIC_LINE);
                out.number(movieId)
                        .comma()
                        .number(t + 1L)
                        .comma()
                        .fixed(scaled(relevance), 5)
                        .endLine();
                rows++;
            }
            final int firstUnknownTag = tags.size() + 1 + badRng.nextInt(1000);
            for (int j = 0; nextBad < badCount && badAt[nextBad] == position; j++, nextBad++) {
                report.add(new InjectedBadRow(MovieLensFileSet.GENOME_SCORES, out.lines() + 1, RejectKind.UNKNOWN_TAG));
                out.reserve(CsvOut.MAX_NUMERIC_LINE);
                out.number(movieId).comma().number(firstUnknownTag + j).comma();
                out.fixed(scaled(badRng.nextDouble()), 5).endLine();
            }
        }
        return rows;
    }

    private static long scaled(final double relevance) {
        return Math.max(0, Math.min(SCALE, Math.round(relevance * SCALE)));
    }

    int tagCount() {
        return tags.size();
    }

    private static void shuffle(final List<Integer> values, final Rng rng) {
        for (int i = values.size() - 1; i > 0; i--) {
            final int j = rng.nextInt(i + 1);
            final Integer swap = values.get(i);
            values.set(i, values.get(j));
            values.set(j, swap);
        }
    }
}
