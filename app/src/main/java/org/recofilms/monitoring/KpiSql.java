package org.recofilms.monitoring;

/**
 * The set-based SQL of the data KPIs. Each statement aggregates whole tables at once: three scans of
 * the ratings (per day and rating, per user and day, per movie and day) feed small temporary tables
 * that roll days up into months and months into years, so the whole history costs about as much as
 * one day. Periods are integer keys: a day is days since 1970-01-01 (UTC), a month is
 * {@code year * 12 + month - 1}, a year is the year; the previous month or year is {@code key - 1}.
 * The tables read from raw.* (read phase) outlive their transaction, the others go at commit; the
 * service discards them all at the end of a run.
 */
final class KpiSql {

    /** The ratings' own day, in UTC, from their epoch seconds. */
    private static final String DAY = "floor(\"timestamp\"::float8 / 86400)::int";

    private static final String WINDOW = " FROM raw.current_ratings WHERE \"timestamp\" >= ? AND \"timestamp\" < ?";

    static final String DAY_RATING = "CREATE TEMP TABLE mon_day_rating AS" + " SELECT " + DAY
            + " AS day, rating, count(*) AS n" + WINDOW + " GROUP BY 1, 2";

    static final String USER_DAY = "CREATE TEMP TABLE mon_user_day AS" + " SELECT \"userId\" AS id, " + DAY + " AS day"
            + WINDOW + " GROUP BY 1, 2";

    static final String MOVIE_DAY = "CREATE TEMP TABLE mon_movie_day AS" + " SELECT \"movieId\" AS id, " + DAY
            + " AS day, count(*) AS n" + WINDOW + " GROUP BY 1, 2";

    static final String DAY_RANGE = "SELECT min(day), max(day) FROM mon_day_rating";

    /** Every day of [$1, $2) with its month key. */
    static final String DAYS = """
            CREATE TEMP TABLE mon_day ON COMMIT DROP AS
            SELECT day, (extract(year FROM d) * 12 + extract(month FROM d) - 1)::int AS month
            FROM generate_series(?::int, ?::int - 1) AS day, LATERAL (SELECT date '1970-01-01' + day AS d) x
            """;

    static final String TARGETS =
            "CREATE TEMP TABLE mon_target (pt text NOT NULL, key int NOT NULL, pv text)" + " ON COMMIT DROP";

    static final String TARGETS_ALL = """
            INSERT INTO mon_target (pt, key)
            SELECT 'daily', day FROM mon_day
            UNION ALL SELECT DISTINCT 'monthly', month FROM mon_day
            UNION ALL SELECT DISTINCT 'yearly', month / 12 FROM mon_day
            """;

    static final String TARGETS_DAY =
            "INSERT INTO mon_target (pt, key) VALUES ('daily', ?), ('monthly', ?), ('yearly', ?)";

    /** The seed's period_value strings: 2015-03-30, 2015-03, 2015. */
    static final String TARGET_VALUES = """
            UPDATE mon_target SET pv = CASE pt
                WHEN 'daily' THEN to_char(date '1970-01-01' + key, 'YYYY-MM-DD')
                WHEN 'monthly' THEN to_char(make_date(key / 12, key % 12 + 1, 1), 'YYYY-MM')
                ELSE key::text END
            """;

    static final String USER_MONTH = "CREATE TEMP TABLE mon_user_month ON COMMIT DROP AS"
            + " SELECT DISTINCT u.id, d.month FROM mon_user_day u JOIN mon_day d USING (day)";

    static final String USER_YEAR = "CREATE TEMP TABLE mon_user_year ON COMMIT DROP AS"
            + " SELECT DISTINCT id, month / 12 AS year FROM mon_user_month";

    static final String MOVIE_MONTH = "CREATE TEMP TABLE mon_movie_month ON COMMIT DROP AS"
            + " SELECT m.id, d.month, sum(m.n) AS n FROM mon_movie_day m JOIN mon_day d USING (day) GROUP BY 1, 2";

    static final String MOVIE_YEAR = "CREATE TEMP TABLE mon_movie_year ON COMMIT DROP AS"
            + " SELECT id, month / 12 AS year, sum(n) AS n FROM mon_movie_month GROUP BY 1, 2";

    /** First day of each user and movie, when the days seen are the whole history. */
    static final String FIRST_FROM_DAYS = """
            CREATE TEMP TABLE mon_first ON COMMIT DROP AS
            SELECT 'users' AS kind, min(day) AS day FROM mon_user_day GROUP BY id
            UNION ALL SELECT 'movies', min(day) FROM mon_movie_day GROUP BY id
            """;

    /**
     * First day of the users and movies whose first rating falls in [$1, $2): "new" is relative to
     * the whole history, so this one reads every rating, once for both.
     */
    static final String FIRST_IN_WINDOW = """
            CREATE TEMP TABLE mon_first AS
            SELECT kind, floor(first_ts::float8 / 86400)::int AS day FROM (
                SELECT CASE WHEN grouping("userId") = 0 THEN 'users' ELSE 'movies' END AS kind,
                       min("timestamp") AS first_ts
                FROM raw.current_ratings GROUP BY GROUPING SETS (("userId"), ("movieId"))) f
            WHERE first_ts >= ? AND first_ts < ?
            """;

    static final String RATING = """
            CREATE TEMP TABLE mon_rating ON COMMIT DROP AS
            SELECT 'daily' AS pt, day AS key, rating, n FROM mon_day_rating
            UNION ALL SELECT 'monthly', d.month, r.rating, sum(r.n)
                FROM mon_day_rating r JOIN mon_day d USING (day) GROUP BY d.month, r.rating
            UNION ALL SELECT 'yearly', d.month / 12, r.rating, sum(r.n)
                FROM mon_day_rating r JOIN mon_day d USING (day) GROUP BY d.month / 12, r.rating
            """;

    static final String MOVIE_GENRE = """
            CREATE TEMP TABLE mon_movie_genre AS
            SELECT m."movieId" AS id, g.genre FROM raw.raw_movies m, unnest(string_to_array(m.genres, '|')) AS g(genre)
            WHERE m.genres IS NOT NULL AND m.genres <> '(no genres listed)'
            """;

    /** Ratings per genre: a rating counts once for each genre of its movie. */
    static final String GENRE = """
            CREATE TEMP TABLE mon_genre ON COMMIT DROP AS
            SELECT 'monthly' AS pt, m.month AS key, g.genre, sum(m.n) AS n
                FROM mon_movie_month m JOIN mon_movie_genre g USING (id) GROUP BY m.month, g.genre
            UNION ALL SELECT 'yearly', m.year, g.genre, sum(m.n)
                FROM mon_movie_year m JOIN mon_movie_genre g USING (id) GROUP BY m.year, g.genre
            """;

    /** Every scalar KPI that a period has data for; the output step gives the others 0 or NULL. */
    static final String COUNTS = """
            CREATE TEMP TABLE mon_count ON COMMIT DROP AS
            SELECT pt, key, 'nb_notes' AS name, sum(n)::float8 AS value FROM mon_rating GROUP BY pt, key
            UNION ALL SELECT pt, key, 'avg_rating', sum(rating::float8 * n) / sum(n) FROM mon_rating GROUP BY pt, key
            UNION ALL SELECT 'daily', day, 'nb_users', count(*) FROM mon_user_day GROUP BY day
            UNION ALL SELECT 'monthly', month, 'nb_users', count(*) FROM mon_user_month GROUP BY month
            UNION ALL SELECT 'yearly', year, 'nb_users', count(*) FROM mon_user_year GROUP BY year
            UNION ALL SELECT 'daily', day, 'nb_movies', count(*) FROM mon_movie_day GROUP BY day
            UNION ALL SELECT 'monthly', month, 'nb_movies', count(*) FROM mon_movie_month GROUP BY month
            UNION ALL SELECT 'yearly', year, 'nb_movies', count(*) FROM mon_movie_year GROUP BY year
            UNION ALL SELECT 'daily', day, 'nb_new_' || kind, count(*) FROM mon_first GROUP BY day, kind
            UNION ALL SELECT 'monthly', d.month, 'nb_new_' || f.kind, count(*)
                FROM mon_first f JOIN mon_day d USING (day) GROUP BY d.month, f.kind
            UNION ALL SELECT 'yearly', d.month / 12, 'nb_new_' || f.kind, count(*)
                FROM mon_first f JOIN mon_day d USING (day) GROUP BY d.month / 12, f.kind
            UNION ALL SELECT 'monthly', m.month, 'avg_genres_per_movie', avg(g.k)
                FROM mon_movie_month m JOIN (SELECT id, count(*)::float8 AS k FROM mon_movie_genre GROUP BY id) g
                USING (id) GROUP BY m.month
            UNION ALL SELECT 'yearly', m.year, 'avg_genres_per_movie', avg(g.k)
                FROM mon_movie_year m JOIN (SELECT id, count(*)::float8 AS k FROM mon_movie_genre GROUP BY id) g
                USING (id) GROUP BY m.year
            """;

    static final String OUT = "CREATE TEMP TABLE mon_out (pt text, key int, name text, value float8) ON COMMIT DROP";

    /**
     * The core KPIs of every target period; counts are 0 and averages NULL where there is no rating.
     * Each (user, movie) pair has one current rating, so every rating is its pair's first:
     * nb_new_ratings equals nb_notes.
     */
    static final String OUT_CORE = """
            INSERT INTO mon_out
            SELECT t.pt, t.key, k.name, CASE WHEN k.zero THEN coalesce(c.value, 0) ELSE c.value END
            FROM mon_target t
            CROSS JOIN (VALUES ('nb_notes', 'nb_notes', true), ('nb_users', 'nb_users', true),
                               ('nb_movies', 'nb_movies', true), ('avg_rating', 'avg_rating', false),
                               ('nb_new_users', 'nb_new_users', true), ('nb_new_movies', 'nb_new_movies', true),
                               ('nb_new_ratings', 'nb_notes', true),
                               ('avg_genres_per_movie', 'avg_genres_per_movie', false)) k(name, source, zero)
            LEFT JOIN mon_count c ON c.pt = t.pt AND c.key = t.key AND c.name = k.source
            WHERE t.pt <> 'daily' OR k.name <> 'avg_genres_per_movie'
            """;

    /** Percentages (0 to 100) of the ratings of a month or year, by rating value and by genre. */
    static final String OUT_PCT = """
            INSERT INTO mon_out
            SELECT r.pt, r.key, 'pct_rating_' || replace(r.rating::numeric(3, 1)::text, '.', '_'),
                   100 * r.n::float8 / sum(r.n) OVER (PARTITION BY r.pt, r.key)
            FROM mon_rating r JOIN mon_target t ON t.pt = r.pt AND t.key = r.key
            WHERE r.pt <> 'daily'
            UNION ALL
            SELECT g.pt, g.key, 'pct_genre_' || replace(g.genre, ' ', '_'),
                   100 * g.n::float8 / sum(g.n) OVER (PARTITION BY g.pt, g.key)
            FROM mon_genre g JOIN mon_target t ON t.pt = g.pt AND t.key = g.key
            """;

    /**
     * PSI of each month (year) against the one before, for ratings and for genres:
     * sum((p - q) ln(p / q)) over the values seen in either period, proportions floored at 1e-6 (an
     * empty period counts as 1e-6 everywhere). NULL when both periods are empty.
     */
    static final String OUT_PSI = """
            INSERT INTO mon_out
            WITH dist AS (
                SELECT pt, key, 'rating' AS family, rating::text AS cat, n FROM mon_rating WHERE pt <> 'daily'
                UNION ALL SELECT pt, key, 'genre', genre, n FROM mon_genre),
            pairs AS (
                SELECT pt, key, family, cat, sum(cur)::float8 AS cur, sum(ref)::float8 AS ref FROM (
                    SELECT pt, key, family, cat, n AS cur, 0 AS ref FROM dist
                    UNION ALL SELECT pt, key + 1, family, cat, 0, n FROM dist) u
                GROUP BY pt, key, family, cat),
            pq AS (
                SELECT pt, key, family,
                       greatest(cur / nullif(sum(cur) OVER w, 0), 1e-6::float8) AS p,
                       greatest(ref / nullif(sum(ref) OVER w, 0), 1e-6::float8) AS q
                FROM pairs WINDOW w AS (PARTITION BY pt, key, family)),
            psi AS (SELECT pt, key, family, sum((p - q) * ln(p / q)) AS value FROM pq GROUP BY pt, key, family)
            SELECT t.pt, t.key,
                   'psi_' || f.family || CASE t.pt WHEN 'monthly' THEN '_prev_month' ELSE '_prev_year' END,
                   s.value
            FROM mon_target t CROSS JOIN (VALUES ('rating'), ('genre')) f(family)
            LEFT JOIN psi s ON s.pt = t.pt AND s.key = t.key AND s.family = f.family
            WHERE t.pt <> 'daily'
            """;

    /** Rows of the periods written that this run no longer produces (a rating value now absent, say). */
    static final String DELETE_STALE_IN_TARGETS = """
            DELETE FROM raw.monitoring_metrics m USING mon_target t
            WHERE m.period_type = t.pt AND m.period_value = t.pv
              AND NOT EXISTS (SELECT 1 FROM mon_out o WHERE o.pt = t.pt AND o.key = t.key AND o.name = m.metric_name)
            """;

    /** After a backfill, periods outside the data's history are gone too. */
    static final String DELETE_OUTSIDE_TARGETS = """
            DELETE FROM raw.monitoring_metrics m
            WHERE m.period_type IN ('daily', 'monthly', 'yearly')
              AND NOT EXISTS (SELECT 1 FROM mon_target t WHERE t.pt = m.period_type AND t.pv = m.period_value)
            """;

    static final String UPSERT = """
            INSERT INTO raw.monitoring_metrics (period_type, period_value, metric_name, metric_value, computed_at)
            SELECT o.pt, t.pv, o.name, o.value, now() FROM mon_out o JOIN mon_target t ON t.pt = o.pt AND t.key = o.key
            ON CONFLICT (period_type, period_value, metric_name)
            DO UPDATE SET metric_value = EXCLUDED.metric_value, computed_at = EXCLUDED.computed_at
            """;

    private KpiSql() {}
}
