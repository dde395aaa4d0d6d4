package org.recofilms.ingestion.generator;

import java.util.List;

/** The genre vocabulary of MovieLens 20M, in the alphabetical order its genres fields use. */
public final class MovieLensGenres {

    /** Every genre MovieLens 20M uses, alphabetical; a movie's genres field follows this order. */
    public static final List<String> ALL = List.of(
            "Action",
            "Adventure",
            "Animation",
            "Children",
            "Comedy",
            "Crime",
            "Documentary",
            "Drama",
            "Fantasy",
            "Film-Noir",
            "Horror",
            "IMAX",
            "Musical",
            "Mystery",
            "Romance",
            "Sci-Fi",
            "Thriller",
            "War",
            "Western");

    /** The genres field of a movie without genres. */
    public static final String NO_GENRES = "(no genres listed)";

    static final int ACTION = 0;
    static final int ADVENTURE = 1;
    static final int ANIMATION = 2;
    static final int CHILDREN = 3;
    static final int COMEDY = 4;
    static final int CRIME = 5;
    static final int DOCUMENTARY = 6;
    static final int DRAMA = 7;
    static final int FANTASY = 8;
    static final int FILM_NOIR = 9;
    static final int HORROR = 10;
    static final int IMAX = 11;
    static final int MUSICAL = 12;
    static final int MYSTERY = 13;
    static final int ROMANCE = 14;
    static final int SCI_FI = 15;
    static final int THRILLER = 16;
    static final int WAR = 17;
    static final int WESTERN = 18;

    private MovieLensGenres() {}

    /** The genres field for a bit mask of genre indices: {@code Adventure|Children|Fantasy}. */
    static String field(final int mask) {
        if (mask == 0) {
            return NO_GENRES;
        }
        final StringBuilder text = new StringBuilder();
        for (int g = 0; g < ALL.size(); g++) {
            if ((mask & (1 << g)) != 0) {
                if (text.length() > 0) {
                    text.append('|');
                }
                text.append(ALL.get(g));
            }
        }
        return text.toString();
    }
}
