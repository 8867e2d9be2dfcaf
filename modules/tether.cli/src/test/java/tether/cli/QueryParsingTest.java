package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --list} and {@code --stop} on the command line: their operands, and what may not go with them. */
class QueryParsingTest {

    static CommandLineParser.Parsed parse(String... args) throws Exception {
        return CommandLineParser.parse(args, null);
    }

    static String usageError(String... args) {
        return assertThrows(CommandLineParser.UsageException.class, () -> parse(args)).getMessage();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void listTakesAnOptionalPathAndJson() throws Exception {
        CommandLineParser.Listing all = assertInstanceOf(CommandLineParser.Listing.class, parse("--list"));
        assertNull(all.path());
        assertFalse(all.json());
        CommandLineParser.Listing one = assertInstanceOf(CommandLineParser.Listing.class,
                parse("--json", "--list", "--", "-odd dir"));
        assertEquals("-odd dir", text(one.path()));
        assertTrue(one.json());
        assertEquals(LogLevel.OFF, assertInstanceOf(CommandLineParser.Listing.class, parse("-q", "--list")).logLevel());
    }

    @Test
    void stopTakesPathsAndPids() throws Exception {
        CommandLineParser.Stopping none = assertInstanceOf(CommandLineParser.Stopping.class, parse("--stop"));
        assertEquals(List.of(), none.targets());
        CommandLineParser.Stopping some = assertInstanceOf(CommandLineParser.Stopping.class,
                parse("--stop", "-v", "../a", "1234", "caf\u00e9"));
        assertEquals(List.of("../a", "1234", "caf\u00e9"), some.targets().stream().map(QueryParsingTest::text).toList());
        assertEquals(LogLevel.INFO, some.logLevel());
    }

    @Test
    void allGoesWithBothAndStopAllTakesHowToEnd() throws Exception {
        CommandLineParser.Listing listing = assertInstanceOf(CommandLineParser.Listing.class,
                parse("--list", "--all", "--json", "wt"));
        assertTrue(listing.all());
        assertEquals("wt", text(listing.path()));
        assertFalse(assertInstanceOf(CommandLineParser.Listing.class, parse("--list")).all());

        CommandLineParser.Stopping stopping = assertInstanceOf(CommandLineParser.Stopping.class,
                parse("--stop", "--all", "--grace", "2s", "--signal=INT", "../a", "1234"));
        assertTrue(stopping.all());
        assertEquals(java.time.Duration.ofSeconds(2), stopping.grace());
        assertEquals(tether.api.TreeSignal.INT, stopping.signal());
        assertEquals(List.of("../a", "1234"), stopping.targets().stream().map(QueryParsingTest::text).toList());
        CommandLineParser.Stopping defaults = assertInstanceOf(CommandLineParser.Stopping.class,
                parse("--all", "--stop", "--grace=500ms"));
        assertEquals(java.time.Duration.ofMillis(500), defaults.grace());
        assertEquals(tether.api.TreeSignal.TERM, defaults.signal());
        assertEquals(List.of(), defaults.targets());
    }

    /** A lone {@code -} is the operand it is. */
    @Test
    void aDashAndAWordAfterDashesAreOperands() throws Exception {
        CommandLineParser.Listing dash = assertInstanceOf(CommandLineParser.Listing.class, parse("--list", "-"));
        assertEquals("-", text(dash.path()));
        CommandLineParser.Listing afterDashes = assertInstanceOf(CommandLineParser.Listing.class,
                parse("--list", "--", "--"));
        assertEquals("--", text(afterDashes.path()), "after the first --, every word is an operand");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--list --stop                 | --list and --stop cannot be combined",
        "--list a b                    | --list takes one PATH, not 2",
        "--list --grace 1s             | --list cannot be combined with --grace",
        "--stop --no-watch             | --stop cannot be combined with --no-watch",
        "--stop -C x                   | --stop cannot be combined with -C",
        "--list -vC x                  | --list cannot be combined with -vC",
        "--list --detach               | --list cannot be combined with --detach",
        "--stop --json                 | --json goes with --list",
        "--stop --grace 1s             | --stop cannot be combined with --grace",
        "--list --all --grace 1s       | --list cannot be combined with --grace",
        "--stop --all --poll 1s        | --stop cannot be combined with --poll",
        "--all sleep 1                 | --all goes with --list or --stop",
        "--json true                   | --json goes with --list",
        "--list -q -v                  | --quiet and --verbose cannot be combined",
        "''                            | missing COMMAND",
        "-v                            | missing COMMAND"
    })
    void whatDoesNotGoWithAQueryIsAUsageError(String args, String message) {
        String[] words = args.isEmpty() ? new String[0] : args.split(" ");
        assertEquals(message, usageError(words));
    }
}
