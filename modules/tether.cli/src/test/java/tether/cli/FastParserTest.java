package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** {@link FastParser} must never accept a command line that picocli reads differently or rejects. */
class FastParserTest {

    static final List<String> TOKENS = List.of(
            "-C", "web", "--cwd", "--cwd=web", "-Cweb", "-C=web", "-w", "/tmp", "--watch", "--watch=/w", "-w/x",
            "--no-watch", "--no-watch=true", "--poll", "10ms", "--poll=1.5s", "5ms", "1x", "--grace", "0s",
            "--grace=2m", "-1s", "--signal", "INT", "sigusr1", "KILL", "--signal=hup", "-v", "-vv", "-vvv",
            "--verbose", "--verbose=1", "-q", "--quiet", "-qv", "-vq", "-vC", "-h", "--help", "-V", "--version",
            "--", "-", "@file", "--bogus", "-x", "-", "npm", "run", "dev", "--port", "3000", "", "-C-x", "--detach",
            "--log", "--log=out.log", "out.log");

    /** picocli's reading, in the same terms: the options, or the error, or null for help and version. */
    static String picocli(String[] args) {
        Options options = new Options();
        CommandLine commandLine = PicocliParser.commandLine(options);
        try {
            commandLine.parseArgs(args);
        } catch (ParameterException e) {
            return "error";
        }
        if (commandLine.isUsageHelpRequested() || commandLine.isVersionHelpRequested()) {
            return "help";
        }
        return describe(options);
    }

    static String describe(Options o) {
        return String.join("|", String.valueOf(o.directory), String.valueOf(o.watch), String.valueOf(o.noWatch),
                String.valueOf(o.poll), String.valueOf(o.grace), String.valueOf(o.signal),
                String.valueOf(o.verbose.length), String.valueOf(o.quiet), String.valueOf(o.detach),
                String.valueOf(o.log), String.valueOf(o.command));
    }

    static void assertAgree(String[] args) {
        Options fast = FastParser.parse(args);
        if (fast != null) {
            assertEquals(picocli(args), describe(fast), () -> "for " + Arrays.toString(args));
        }
    }

    @Test
    void agreesWithPicocliOnRandomCommandLines() {
        Random random = new Random(42);
        int accepted = 0;
        for (int round = 0; round < 30_000; round++) {
            String[] args = new String[random.nextInt(7)];
            for (int i = 0; i < args.length; i++) {
                args[i] = TOKENS.get(random.nextInt(TOKENS.size()));
            }
            assertAgree(args);
            accepted += FastParser.parse(args) != null ? 1 : 0;
        }
        assertTrue(accepted > 3_000, "the fast path took only " + accepted + " of 30000");
    }

    @Test
    void agreesWithPicocliOnEveryPairOfTokensBeforeACommand() {
        for (String a : TOKENS) {
            for (String b : TOKENS) {
                assertAgree(new String[] {a, b, "npm", "run"});
                assertAgree(new String[] {a, b});
            }
        }
    }

    @Test
    void takesTheCommonCommandLines() {
        for (String line : List.of(
                "npm run dev", "-- npm run dev", "-v -- npm run dev --port 3000", "-C web -w /tmp --poll 1s true",
                "--grace=5s --signal INT -- ./server", "-vv --no-watch make watch", "-q sh -c x",
                "--cwd web --watch ../lock --poll 10ms --grace 0s --signal SIGUSR2 --verbose --quiet x")) {
            String[] args = line.split(" ");
            Options fast = FastParser.parse(args);
            assertNotNull(fast, line);
            assertEquals(picocli(args), describe(fast), line);
        }
    }

    /** A new option in {@link Options} fails here until the fast parser knows it (or declines it). */
    @Test
    void knowsEveryOptionPicocliKnows() {
        Set<String> names = new TreeSet<>();
        for (OptionSpec option : PicocliParser.commandLine(new Options()).getCommandSpec().options()) {
            names.addAll(List.of(option.names()));
        }
        assertEquals(new TreeSet<>(List.of("-C", "--cwd", "-w", "--watch", "--no-watch", "--poll", "--grace",
                "--signal", "-v", "--verbose", "-q", "--quiet", "-h", "--help", "-V", "--version", "--detach",
                "--log")), names);
        List<String[]> samples = new ArrayList<>();
        for (String name : names) {
            if (name.equals("-h") || name.equals("--help") || name.equals("-V") || name.equals("--version")) {
                continue;
            }
            String value = switch (name) {
                case "-C", "--cwd", "-w", "--watch", "--log" -> "x";
                case "--poll", "--grace" -> "20ms";
                case "--signal" -> "HUP";
                default -> null;
            };
            samples.add(value == null ? new String[] {name, "cmd"} : new String[] {name, value, "cmd"});
        }
        for (String[] sample : samples) {
            Options fast = FastParser.parse(sample);
            if (fast == null) {
                fail("the fast parser does not know " + Arrays.toString(sample));
            }
            assertEquals(picocli(sample), describe(fast), Arrays.toString(sample));
        }
    }
}
