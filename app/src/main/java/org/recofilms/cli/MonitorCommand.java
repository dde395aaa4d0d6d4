package org.recofilms.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.recofilms.monitoring.DataMonitoringService;
import org.recofilms.monitoring.MonitoringSummary;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code monitor [--day=YYYY-MM-DD | --backfill]}: the data KPIs of one day (yesterday, UTC, by
 * default) or of the whole history; prints the summary as JSON.
 */
@Command(
        name = "monitor",
        description =
                "Computes the data KPIs and drift (PSI) of a day, its month and its year, or of the whole history.",
        exitCodeListHeading = RecoCommand.EXIT_CODES,
        exitCodeList = {RecoCommand.DONE, RecoCommand.FAILED, RecoCommand.USAGE})
public class MonitorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @ArgGroup(exclusive = true)
    Period period;

    /** One day or the whole history, not both. */
    static class Period {
        @Option(
                names = "--day",
                paramLabel = "YYYY-MM-DD",
                description = "the day to compute (default: yesterday, UTC)")
        LocalDate day;

        @Option(names = "--backfill", description = "every day, month and year from the first rating to the last")
        boolean backfill;
    }

    private final DataMonitoringService monitoring;
    private final ObjectMapper json;

    public MonitorCommand(DataMonitoringService monitoring, ObjectMapper json) {
        this.monitoring = monitoring;
        this.json = json;
    }

    @Override
    public Integer call() {
        MonitoringSummary summary;
        if (period != null && period.backfill) {
            summary = monitoring.backfill();
        } else {
            summary = monitoring.run(
                    period != null && period.day != null
                            ? period.day
                            : LocalDate.now(ZoneOffset.UTC).minusDays(1));
        }
        RecoCommand.printJson(spec.commandLine().getOut(), json, summary);
        return 0;
    }
}
