package org.recofilms.monitoring;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the web demo's Monitoring page charts: the same rows as the Grafana dashboards. */
@Path("/monitoring")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "monitoring")
public class MonitoringResource {

    private final MonitoringCharts charts;
    private final ServingCharts serving;

    public MonitoringResource(MonitoringCharts charts, ServingCharts serving) {
        this.charts = charts;
        this.serving = serving;
    }

    @GET
    @Path("prometheus")
    @Operation(
            summary =
                    "/recommend latency p50 and p99, request rate (last 30 minutes, 5 s step) and firing alerts, from Prometheus",
            description =
                    "Fixed queries of the API dashboard, through reco.monitoring.prometheus-url; when"
                            + " Prometheus is not configured or does not answer in time, available is false and detail says why.")
    public Uni<ServingCharts.Serving> prometheus() {
        return serving.read();
    }

    @GET
    @Path("charts")
    @Blocking
    @Operation(
            summary = "Daily and monthly KPIs, monthly PSI drift and recent pipeline runs",
            description = "Read with the SQL of the Grafana panels (Daily monitoring, KPI monthly, Data drift,"
                    + " Pipeline health) over the whole history; a period with no value has no point.")
    public MonitoringCharts.Charts charts() throws SQLException {
        return charts.read();
    }
}
