package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tether.api.TreeSignal;

class CommandLineParserTest {

    static Settings settings(String... args) throws Exception {
        return assertInstanceOf(CommandLineParser.Run.class, CommandLineParser.parse(args, null)).settings();
    }

    static List<String> command(String[] args) throws Exception {
        return Arrays.asList(args).subList(settings(args).commandStart(), args.length);
    }

    static String usageError(String... args) {
        return assertThrows(CommandLineParser.UsageException.class, () -> CommandLineParser.parse(args, null))
                .getMessage();
    }

    @Test
    void defaults() throws Exception {
        Settings s = settings("npm", "run", "dev");
        assertEquals(0, s.commandStart());
        assertNull(s.directory());
        assertNull(s.watch());
        assertFalse(s.noWatch());
        assertEquals(Duration.ofMillis(250), s.poll());
        assertEquals(Duration.ofSeconds(1), s.grace());
        assertEquals(TreeSignal.TERM, s.signal());
        assertEquals(LogLevel.WARN, s.logLevel());
    }

    @Test
    void optionsStopAtTheFirstNonOptionWord() throws Exception {
        String[] args = {"--grace", "2s", "npm", "run", "dev", "--port", "3000", "-v"};
        assertEquals(List.of("npm", "run", "dev", "--port", "3000", "-v"), command(args));
        assertEquals(LogLevel.WARN, settings(args).logLevel());
    }

    @Test
    void everythingAfterTheFirstDoubleDashIsTheCommandSecondDoubleDashIncluded() throws Exception {
        assertEquals(List.of("-v", "--", "x"), command(new String[] {"--", "-v", "--", "x"}));
        assertEquals(List.of("npm", "run", "dev", "--", "--port", "1"),
                command(new String[] {"-q", "--", "npm", "run", "dev", "--", "--port", "1"}));
        assertEquals(List.of("sh", "--"), command(new String[] {"sh", "--"}));
    }

    @Test
    void everyOption() throws Exception {
        Settings s = settings("-C", "web", "-w", "/tmp/x", "--poll", "1.5s", "--grace", "2m",
                "--signal", "sigint", "-vv", "--", "true");
        assertEquals("web", text(s.directory()));
        assertEquals("/tmp/x", text(s.watch()));
        assertEquals(Duration.ofMillis(1500), s.poll());
        assertEquals(Duration.ofMinutes(2), s.grace());
        assertEquals(TreeSignal.INT, s.signal());
        assertEquals(LogLevel.DEBUG, s.logLevel());
        assertEquals(12, s.commandStart());
    }

    @Test
    void longFormsAndAttachedValues() throws Exception {
        Settings s = settings("--cwd=web", "--watch=/w", "--poll=10ms", "--grace=0s", "--signal=USR2",
                "--verbose", "--verbose", "--verbose", "true");
        assertEquals("web", text(s.directory()));
        assertEquals("/w", text(s.watch()));
        assertEquals(Duration.ofMillis(10), s.poll());
        assertEquals(Duration.ZERO, s.grace());
        assertEquals(TreeSignal.USR2, s.signal());
        assertEquals(LogLevel.TRACE, s.logLevel());
    }

    @Test
    void quietAndNoWatch() throws Exception {
        Settings s = settings("-q", "--no-watch", "true");
        assertEquals(LogLevel.OFF, s.logLevel());
        assertTrue(s.noWatch());
    }

    @Test
    void tetherLogSetsTheLevelUnlessAFlagDoes() throws Exception {
        assertEquals(LogLevel.DEBUG, ((CommandLineParser.Run) CommandLineParser.parse(new String[] {"true"}, "debug"))
                .settings().logLevel());
        assertEquals(LogLevel.INFO, ((CommandLineParser.Run) CommandLineParser.parse(new String[] {"-v", "true"},
                "trace")).settings().logLevel());
        assertThrows(CommandLineParser.UsageException.class,
                () -> CommandLineParser.parse(new String[] {"true"}, "loud"));
    }

    @Test
    void helpAndVersion() throws Exception {
        String help = assertInstanceOf(CommandLineParser.Print.class,
                CommandLineParser.parse(new String[] {"--help"}, null)).text();
        assertTrue(help.startsWith("Usage: tether [OPTION]... [--] COMMAND [ARG]...\n"), help);
        assertTrue(help.contains("Examples:"), help);
        for (String option : List.of("--cwd", "--watch", "--no-watch", "--poll", "--grace", "--signal",
                "--verbose", "--quiet", "--help", "--version")) {
            assertTrue(help.contains(option), option);
        }
        String version = assertInstanceOf(CommandLineParser.Print.class,
                CommandLineParser.parse(new String[] {"-V"}, null)).text();
        assertTrue(version.matches("tether \\S+ \\(commit \\S+\\)\nJava \\S+.*, \\S+ \\S+ \\S+\n"), version);
    }

    @Test
    void usageErrorsAreOneLine() {
        for (String message : List.of(
                usageError(),
                usageError("-v"),
                usageError("--bogus", "true"),
                usageError("--poll", "5ms", "true"),
                usageError("--poll", "1x", "true"),
                usageError("--grace", "soon", "true"),
                usageError("--signal", "KILL", "true"),
                usageError("--watch", "/x", "--no-watch", "true"),
                usageError("-q", "-v", "true"),
                usageError("--grace"))) {
            assertFalse(message.contains("\n"), message);
            assertFalse(message.isBlank());
        }
        assertTrue(usageError("--signal", "KILL", "true").startsWith("invalid --signal 'KILL': "));
        assertTrue(usageError("--poll", "5ms", "true").contains("minimum of 10ms"));
        assertTrue(usageError("--bogus", "true").contains("--bogus"));
        assertTrue(usageError().contains("COMMAND"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-C", "--cwd", "-w", "--watch", "--poll", "--grace", "--signal"})
    void optionsThatTakeAValueFailWithoutOne(String option) {
        String message = usageError(option);
        assertTrue(message.startsWith("missing ") && message.endsWith(" after " + option), message);
    }

    static String text(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Every byte of a path survives the parser, whatever it would mean in a locale. */
    @Test
    void pathsKeepTheirBytes() throws Exception {
        byte[] name = {'/', 'c', 'a', 'f', (byte) 0xe9, (byte) 0xc3, (byte) 0xa9};
        String carried = text(name);
        Settings s = settings("-C", carried, "--watch=" + carried, "--detach", "--log", carried, "true");
        org.junit.jupiter.api.Assertions.assertArrayEquals(name, s.directory());
        org.junit.jupiter.api.Assertions.assertArrayEquals(name, s.watch());
        org.junit.jupiter.api.Assertions.assertArrayEquals(name, s.log());
    }
}
