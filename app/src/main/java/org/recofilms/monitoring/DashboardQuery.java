package org.recofilms.monitoring;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana panel queries that the web demo's Monitoring page also charts, each named by its
 * dashboard, panel and refId and holding the panel's SQL as written in grafana/dashboards: the
 * dashboard is the one source of truth, and {@code DashboardQueryTest} fails when the two differ.
 * {@link #sql()} expands Grafana's {@code $__timeFilter(x)} to the whole history.
 */
public enum DashboardQuery {
    DAILY_RATINGS("reco-daily", "Ratings per day", """
            SELECT period_value::date AS time, metric_value AS nb_notes
            FROM raw.monitoring_metrics
            WHERE period_type = 'daily' AND metric_name = 'nb_notes'
              AND $__timeFilter(period_value::date)
            ORDER BY 1"""),

    DAILY_ACTIVE_USERS("reco-daily", "Active users per day", """
            SELECT period_value::date AS time, metric_value AS nb_users
            FROM raw.monitoring_metrics
            WHERE period_type = 'daily' AND metric_name = 'nb_users'
              AND $__timeFilter(period_value::date)
            ORDER BY 1"""),

    DAILY_MEAN_RATING("reco-daily", "Average rating per day", """
            SELECT period_value::date AS time, metric_value AS avg_rating
            FROM raw.monitoring_metrics
            WHERE period_type = 'daily' AND metric_name = 'avg_rating'
              AND $__timeFilter(period_value::date)
            ORDER BY 1"""),

    /** Long format: time, metric (nb_notes, nb_users, nb_movies), value. */
    MONTHLY_COUNTS("reco-kpi-monthly", "Ratings, users and movies per month", """
            SELECT to_date(period_value, 'YYYY-MM') AS time, metric_name AS metric, metric_value AS value
            FROM raw.monitoring_metrics
            WHERE period_type = 'monthly' AND metric_name IN ('nb_notes', 'nb_users', 'nb_movies')
              AND $__timeFilter(to_date(period_value, 'YYYY-MM'))
            ORDER BY 1, 2"""),

    MONTHLY_MEAN_RATING("reco-kpi-monthly", "Average rating per month", """
            SELECT to_date(period_value, 'YYYY-MM') AS time, metric_value AS avg_rating
            FROM raw.monitoring_metrics
            WHERE period_type = 'monthly' AND metric_name = 'avg_rating'
              AND $__timeFilter(to_date(period_value, 'YYYY-MM'))
            ORDER BY 1"""),

    PSI_RATING("reco-data-drift", "Rating PSI, month against the previous month", """
            SELECT to_date(period_value, 'YYYY-MM') AS time, metric_value AS psi_rating
            FROM raw.monitoring_metrics
            WHERE period_type = 'monthly' AND metric_name = 'psi_rating_prev_month' AND metric_value IS NOT NULL
              AND $__timeFilter(to_date(period_value, 'YYYY-MM'))
            ORDER BY 1"""),

    PSI_GENRE("reco-data-drift", "Genre PSI, month against the previous month", """
            SELECT to_date(period_value, 'YYYY-MM') AS time, metric_value AS psi_genre
            FROM raw.monitoring_metrics
            WHERE period_type = 'monthly' AND metric_name = 'psi_genre_prev_month' AND metric_value IS NOT NULL
              AND $__timeFilter(to_date(period_value, 'YYYY-MM'))
            ORDER BY 1"""),

    /** requested_at, kind, status, trigger, seconds, steps, worker, error, id: the last 50 runs. */
    RECENT_RUNS("reco-pipeline-health", "Recent pipeline runs", """
            SELECT r.requested_at, r.kind, r.status, r.trigger,
                   round(extract(epoch FROM r.finished_at - r.started_at)::numeric, 1) AS seconds,
                   (SELECT string_agg(s.step || ' ' || s.status, ', ' ORDER BY s.position) FROM reco.pipeline_steps s WHERE s.run_id = r.id) AS steps,
                   r.worker, r.error, r.id
            FROM reco.pipeline_runs r
            WHERE $__timeFilter(r.requested_at)
            ORDER BY r.requested_at DESC
            LIMIT 50""");

    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(((?:[^()]|\\([^()]*\\))*)\\)");

    private final String dashboard;
    private final String panel;
    private final String grafanaSql;

    DashboardQuery(String dashboard, String panel, String grafanaSql) {
        this.dashboard = dashboard;
        this.panel = panel;
        this.grafanaSql = grafanaSql;
    }

    /** The uid of the dashboard (grafana/dashboards/*.json) that holds the panel. */
    public String dashboard() {
        return dashboard;
    }

    /** The panel's title; its query is refId A. */
    public String panel() {
        return panel;
    }

    /** The panel's rawSql, Grafana macros and all. */
    public String grafanaSql() {
        return grafanaSql;
    }

    /** The SQL the app runs: {@code $__timeFilter(x)} becomes {@code (x) IS NOT NULL}, every period. */
    public String sql() {
        Matcher m = TIME_FILTER.matcher(grafanaSql);
        String out = m.replaceAll(r -> Matcher.quoteReplacement("(" + r.group(1) + ") IS NOT NULL"));
        if (out.contains("$")) {
            throw new IllegalStateException(name() + ": a Grafana macro the app does not expand");
        }
        return out;
    }
}
