package org.recofilms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The tune command's options as the tuning run's parameters, parsed by picocli without Quarkus. */
class TuneCommandTest {

    private static Map<String, String> given(String... args) {
        TuneCommand command = new TuneCommand(null, null, null);
        new CommandLine(command).parseArgs(args);
        return command.given();
    }

    @Test
    void optionsBecomeTheRequestsParameters() {
        Map<String, String> given = given(
                "--family=ease",
                "--strategy=grid",
                "--trials=4",
                "--seed=7",
                "--space",
                "l2=10:1000:log",
                "--space",
                "top_k=50,100,200",
                "-p",
                "min_ratings=5");
        assertEquals("ease", given.get("family"));
        assertEquals("grid", given.get("strategy"));
        assertEquals("4", given.get("trials"));
        assertEquals("7", given.get("seed"));
        assertEquals("5", given.get("min_ratings"));
        assertEquals("{\"l2\":{\"min\":10,\"max\":1000,\"log\":true},\"top_k\":[50,100,200]}", given.get("space"));
        assertEquals(
                "{\"alpha\":{\"min\":0.5,\"max\":1.5}}",
                given("--space", "alpha=0.5:1.5").get("space"));
        assertEquals(
                "{\"normalize_similarity\":[true,false]}",
                given("--space", "normalize_similarity=true,false").get("space"));
        assertTrue(!given("--family=rp3beta").containsKey("space"));
    }

    @Test
    void badSpacesAndReservedParamsAreUsageErrors() {
        assertThrows(CommandLine.ParameterException.class, () -> given("--space", "l2=10:1000:ln"));
        assertThrows(CommandLine.ParameterException.class, () -> given("--space", "l2=a:b"));
        assertThrows(CommandLine.ParameterException.class, () -> given("--space", "l2=1:2:log:x"));
        assertThrows(CommandLine.ParameterException.class, () -> given("-p", "trials=3"));
    }

    @Test
    void itsHelpNamesTheOptions() {
        StringWriter out = new StringWriter();
        int code = RecoCommand.configure(new CommandLine(RecoCommand.class, new Main.ParseOnlyFactory()))
                .setOut(new PrintWriter(out, true))
                .execute("tune", "--help");
        assertEquals(0, code);
        for (String option : new String[] {"--family", "--strategy", "--trials", "--seed", "--space", "--param"}) {
            assertTrue(out.toString().contains(option), option + ": " + out);
        }
    }
}
