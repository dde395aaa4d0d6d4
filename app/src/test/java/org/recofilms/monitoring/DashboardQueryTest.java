package org.recofilms.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Monitoring page's queries are the dashboards' own: the same text, panel by panel. */
class DashboardQueryTest {

    @Test
    void eachQueryIsItsPanelsSqlWordForWord() {
        List<Dashboards.Query> panels = Dashboards.queries();
        for (DashboardQuery q : DashboardQuery.values()) {
            List<Dashboards.Query> found = panels.stream()
                    .filter(p ->
                            p.dashboard().equals(q.dashboard()) && p.panel().equals(q.panel()))
                    .toList();
            assertEquals(1, found.size(), q + ": one query in " + q.dashboard() + " / " + q.panel());
            assertTrue(found.get(0).isSql(), q + " reads PostgreSQL");
            assertEquals(found.get(0).text(), q.grafanaSql(), q + " differs from its panel's rawSql");
        }
    }

    @Test
    void eachPrometheusQueryIsItsPanelsExpression() {
        List<Dashboards.Query> panels = Dashboards.queries();
        for (PrometheusPanelQuery q : PrometheusPanelQuery.values()) {
            List<Dashboards.Query> found = panels.stream()
                    .filter(p -> p.dashboard().equals(PrometheusPanelQuery.DASHBOARD)
                            && p.panel().equals(q.panel())
                            && p.refId().equals(q.refId()))
                    .toList();
            assertEquals(1, found.size(), q + ": one query " + q.refId() + " in " + q.panel());
            assertFalse(found.get(0).isSql(), q + " reads Prometheus");
            assertEquals(found.get(0).text(), q.expr(), q + " differs from its panel's expr");
        }
    }

    @Test
    void theTimeFilterCoversEveryPeriodAndNoMacroIsLeft() {
        assertEquals("""
                SELECT period_value::date AS time, metric_value AS nb_notes
                FROM raw.monitoring_metrics
                WHERE period_type = 'daily' AND metric_name = 'nb_notes'
                  AND (period_value::date) IS NOT NULL
                ORDER BY 1""", DashboardQuery.DAILY_RATINGS.sql());
        assertTrue(DashboardQuery.PSI_GENRE.sql().contains("(to_date(period_value, 'YYYY-MM')) IS NOT NULL"));
        for (DashboardQuery q : DashboardQuery.values()) {
            assertFalse(q.sql().contains("$"), q.name());
        }
    }
}
