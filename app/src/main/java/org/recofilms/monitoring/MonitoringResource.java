package org.recofilms.monitoring;

import io.smallrye.common.annotation.Blocking;
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

    public MonitoringResource(MonitoringCharts charts) {
        this.charts = charts;
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
