package org.recofilms.training;

/** Phases of training and evaluation, as reported to a {@link ProgressListener}. */
public enum TrainingPhase {
    /** Counting and indexing ids; units are rating rows. */
    INDEXING,
    /** Building the sparse item x user matrix; units are rating rows. */
    MATRIX,
    /** Co-rating dot products and per-movie top-k; units are movies. */
    SIMILARITIES,
    /** Inverting EASE's dense Gram matrix; one unit, done or not. */
    INVERSE,
    /** iALS alternating solves; units are half-iterations (users, then items). */
    FACTORS,
    /** Merging the per-thread top-k lists; units are movies. */
    NEIGHBORS,
    /** Bayesian popularity; units are rating rows. */
    POPULARITY,
    /** Splitting ratings for an evaluation protocol; units are rating rows. */
    SPLIT,
    /** Scoring evaluation users; units are users. */
    SCORING
}
