package org.recofilms.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code monitor [--day=YYYY-MM-DD | --backfill]}: the data KPIs of one day (yesterday, UTC, by
 * default) or of the whole history, from the command line; prints the summary as JSON.
 */
@ApplicationScoped
public class MonitoringCommand {

    private static final String USAGE = "usage: monitor [--day=YYYY-MM-DD | --backfill]";

    private final DataMonitoringService monitoring;
    private final ObjectMapper json;

    public MonitoringCommand(DataMonitoringService monitoring, ObjectMapper json) {
        this.monitoring = monitoring;
        this.json = json;
    }

    public int run(String... args) {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        boolean backfill = false;
        for (String arg : args) {
            if (arg.equals("--backfill")) {
                backfill = true;
            } else if (arg.startsWith("--day=")) {
                try {
                    day = LocalDate.parse(arg.substring("--day=".length()));
                } catch (DateTimeParseException e) {
                    System.err.println("not a date: " + arg + "; " + USAGE);
                    return 2;
                }
            } else {
                System.err.println("unknown option " + arg + "; " + USAGE);
                return 2;
            }
        }
        MonitoringSummary summary = backfill ? monitoring.backfill() : monitoring.run(day);
        try {
            System.out.println(
                    json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
        } catch (JsonProcessingException e) {
            System.out.println(summary);
        }
        return 0;
    }
}
