package org.recofilms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Help and usage errors of every command, parsed by picocli without Quarkus: the commands are built
 * with no services (a usage error never reaches them). CommandsIT runs the jar's commands for real.
 */
class CommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return RecoCommand.configure(new CommandLine(RecoCommand.class, new Main.ParseOnlyFactory()))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void theTopHelpListsEveryCommandAndTheExitCodes() {
        assertEquals(0, run("--help"));
        for (String command : new String[] {"ingest", "train", "monitor", "generate", "promote", "rollback"}) {
            assertTrue(out.toString().contains("  " + command + " "), command + ": " + out);
        }
        assertTrue(out.toString().contains("0   done"), out.toString());
        assertTrue(out.toString().contains("1   the job failed"), out.toString());
        assertTrue(out.toString().contains("2   usage error"), out.toString());
    }

    @Test
    void everyCommandHasItsHelp() {
        assertEquals(0, run("ingest", "--help"));
        assertTrue(out.toString().contains("--source=URL|ZIP|DIR"), out.toString());
        assertEquals(0, run("train", "-h"));
        assertTrue(out.toString().contains("--snapshot=FILE") && out.toString().contains("--promote"));
        assertTrue(out.toString().contains("--family=FAMILY") && out.toString().contains("--param=NAME=VALUE"));
        assertEquals(0, run("monitor", "--help"));
        assertTrue(out.toString().contains("--day=YYYY-MM-DD") && out.toString().contains("--backfill"));
        assertEquals(0, run("generate", "--help"));
        assertTrue(out.toString().contains("--zip=FILE"));
        assertEquals(0, run("promote", "--help"));
        assertEquals(0, run("rollback", "--help"));
        assertTrue(out.toString().contains("--version=N") && out.toString().contains("--reason=TEXT"));
    }

    @Test
    void helpAndUsageErrorsAreAnsweredBeforeQuarkusStarts() {
        assertEquals(0, Main.answerBeforeStart("--help").getAsInt());
        assertEquals(0, Main.answerBeforeStart("ingest", "--help").getAsInt());
        assertEquals(0, Main.answerBeforeStart("train", "-h").getAsInt());
        assertEquals(2, Main.answerBeforeStart("train", "--bogus").getAsInt());
        assertEquals(2, Main.answerBeforeStart("serve").getAsInt());
        assertTrue(
                Main.answerBeforeStart("train", "--snapshot=x.parquet", "--promote")
                        .isEmpty(),
                "a job: Quarkus runs it");
        assertTrue(Main.answerBeforeStart().isEmpty(), "no arguments: the server");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run(), "no command");
        assertEquals(2, run("serve"), "unknown command");
        assertEquals(2, run("train", "--snapshot"), "missing value");
        assertEquals(2, run("train", "--bogus"), "unknown option");
        assertEquals(2, run("train", "--param", "l2"), "a parameter is NAME=VALUE");
        assertEquals(2, run("monitor", "--day=yesterday"), "not a date");
        assertEquals(2, run("monitor", "--day=2015-03-30", "--backfill"), "one period only");
        assertEquals(2, run("promote"), "--version is required");
        assertEquals(2, run("rollback", "--version=one"), "not a number");
        assertEquals(2, run("promote", "--version=0"), "versions start at 1");
        assertTrue(err.toString().contains("Usage: reco-films promote"), err.toString());
    }
}
