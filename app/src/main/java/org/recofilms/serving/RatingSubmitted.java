package org.recofilms.serving;

/**
 * The fact that a user rated a movie through the API, published on reco.ratings keyed by the user
 * id (one user's ratings stay in order on one partition) after it is stored in
 * {@code raw.feedback_ratings}.
 *
 * @param userId the user
 * @param movieId the movie
 * @param rating from 0.5 to 5.0 in half steps
 * @param timestamp epoch seconds, as MovieLens timestamps
 */
public record RatingSubmitted(int userId, int movieId, float rating, long timestamp) {}
