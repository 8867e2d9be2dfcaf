package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import tether.api.NativePaths;
import tether.api.OwnProcess;
import tether.api.ProcessTree;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnRequest;
import tether.cli.ready.Condition;

/** {@code --ready} and its options as the command line gives them, and what is refused before anything starts. */
class ReadyOptionsTest {

    @Test
    void withoutReadyThereAreNone() throws Exception {
        assertNull(CommandLineParserTest.settings("npm", "run", "dev").ready());
    }

    @Test
    void conditionsInOrderWithTheDefaults() throws Exception {
        ReadyOptions ready = CommandLineParserTest.settings("--ready", "port", "--ready=http://localhost:5173/",
                "--ready", "output:Local:", "npm", "run", "dev").ready();
        assertEquals(List.of("port", "http://localhost:5173/", "output:Local:"),
                ready.conditions().stream().map(Condition::text).toList());
        assertEquals(Duration.ofSeconds(60), ready.timeout());
        assertEquals(false, ready.keep());
        assertEquals(-1, ready.fd());
    }

    @Test
    void timeoutKeepAndDescriptor() throws Exception {
        ReadyOptions ready = CommandLineParserTest.settings("--ready", "port:8000", "--ready-timeout", "1.5s",
                "--keep-unready", "--ready-fd", "3", "x").ready();
        assertEquals(Duration.ofMillis(1500), ready.timeout());
        assertEquals(true, ready.keep());
        assertEquals(3, ready.fd());
    }

    @Test
    void refused() {
        assertEquals("--ready-timeout goes with --ready", CommandLineParserTest.usageError("--ready-timeout", "5s", "x"));
        assertEquals("--keep-unready goes with --ready", CommandLineParserTest.usageError("--keep-unready", "x"));
        assertEquals("--ready-fd goes with --ready", CommandLineParserTest.usageError("--ready-fd", "3", "x"));
        assertEquals("invalid --ready-timeout '0s': expected more than 0s",
                CommandLineParserTest.usageError("--ready", "port", "--ready-timeout", "0s", "x"));
        assertEquals("--ready-fd and --detach cannot be combined (with --detach, tether itself returns once COMMAND is "
                + "ready)",
                CommandLineParserTest.usageError("--detach", "--ready", "port", "--ready-fd", "3", "x"));
        assertEquals("invalid --ready-fd '2': below the minimum of 3 (0, 1 and 2 are COMMAND's stdin, stdout and stderr)",
                CommandLineParserTest.usageError("--ready", "port", "--ready-fd", "2", "x"));
        assertEquals("--ready output: with --detach needs --log (the detached tether reads COMMAND's output from its "
                + "FILE)",
                CommandLineParserTest.usageError("--detach", "--ready", "output:x", "x"));
        assertEquals("invalid --ready 'tcp:80': expected port, port:N, an http:// URL or output:REGEX",
                CommandLineParserTest.usageError("--ready", "tcp:80", "x"));
        assertEquals("--list cannot be combined with --ready", CommandLineParserTest.usageError("--ready", "port",
                "--list"));
    }

    /** The launcher keeps COMMAND's stdout on a descriptor of its own, which --ready-fd may not take. */
    @Test
    void theDescriptorOfCommandsStdoutIsRefused() throws Exception {
        CommandLineParser.UsageException refused = assertThrows(CommandLineParser.UsageException.class,
                () -> ReadyOptions.of(ArgumentParser.parse(new String[] {"--ready", "port", "--ready-fd", "9", "x"}), 9));
        assertEquals("invalid --ready-fd '9': tether's launcher keeps COMMAND's stdout there (use another descriptor)",
                refused.getMessage());
        assertEquals(9, ReadyOptions.of(ArgumentParser.parse(new String[] {"--ready", "port", "--ready-fd", "9", "x"}),
                1).fd(), "without the launcher, stdout is 1 and 9 is free");
    }

    /** A platform that cannot read a tree's sockets refuses {@code port} before anything starts; a URL it takes. */
    @Test
    void portIsRefusedWhereTheProviderCannotReadSockets() throws Exception {
        ProcessTreeKiller blind = new ProcessTreeKiller() {
            @Override
            public String name() {
                return "blind";
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public boolean isSupported() {
                return true;
            }

            @Override
            public ProcessTree spawn(SpawnRequest request, IntConsumer stopRequested) {
                throw new AssertionError("nothing may start");
            }

            @Override
            public NativePaths paths() {
                throw new AssertionError();
            }

            @Override
            public OwnProcess ownProcess() {
                throw new AssertionError();
            }
        };
        Main.UsageProblem refused = assertThrows(Main.UsageProblem.class, () -> ReadyWatch.check(blind,
                CommandLineParserTest.settings("--ready", "http://localhost/", "--ready", "port:5173", "x").ready()));
        assertEquals("cannot wait for --ready 'port:5173' on " + System.getProperty("os.name") + " yet: tether cannot "
                + "read a tree's sockets there (use an http:// URL)", refused.getMessage());
        ReadyWatch.check(blind, CommandLineParserTest.settings("--ready", "http://localhost/", "x").ready());
    }
}
