package org.recofilms.monitoring;

/**
 * What one monitoring run wrote: the periods (days, months, years) it computed, the metric rows it
 * upserted into raw.monitoring_metrics, and how long it took.
 *
 * @param scope {@code day YYYY-MM-DD} for a daily run, {@code backfill} for the whole history
 */
public record MonitoringSummary(String scope, int periods, int metrics, double durationSeconds) {}
