package tether.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tether.api.SpawnException;

/** tether's own arguments from the UTF-16 command line, carried as UTF-8, whatever the ANSI code page is. */
class WindowsOwnProcessTest {

    final FakeKernel32 kernel32 = new FakeKernel32();
    final FakeShell32 shell32 = new FakeShell32();

    WindowsOwnProcess process(boolean packaged) {
        return new WindowsOwnProcess(kernel32, shell32, WindowsProcessTreeKiller.carrier(), packaged);
    }

    static List<String> strings(List<byte[]> bytes) {
        return bytes.stream().map(word -> new String(word, StandardCharsets.UTF_8)).toList();
    }

    /** The JVM got '?' for what the ANSI code page lacks; the command line still has it. */
    @Test
    void aCyrillicArgumentComesFromTheCommandLine() {
        kernel32.commandLine = "\"C:\\Program Files\\t\\bin\\java.exe\" -XX:AOTCache=x -m tether.cli/tether.cli.Main"
                + " -C \"C:\\Users\\Пётр\\app\" -- npm run dev";
        List<byte[]> arguments = process(false).arguments(new String[] {"-C", "C:\\Users\\????\\app", "--", "npm", "run", "dev"});
        assertEquals(List.of("-C", "C:\\Users\\Пётр\\app", "--", "npm", "run", "dev"), strings(arguments));
        assertEquals(List.of("GetCommandLineW", "LocalFree"), kernel32.calls);
    }

    @Test
    void thePackagedLaunchersArgumentsFollowItsProgram() {
        kernel32.commandLine = "tether -- cmd /c \"exit 3\"";
        assertEquals(List.of("--", "cmd", "/c", "exit 3"),
                strings(process(true).arguments(new String[] {"--", "cmd", "/c", "exit 3"})));
    }

    @Test
    void anUnknownLauncherLeavesTheJvmsArguments() {
        kernel32.commandLine = "java @tether.args -- npm";
        assertEquals(List.of("--", "np?"), strings(process(false).arguments(new String[] {"--", "np?"})));
    }

    @Test
    void aCountThatDoesNotMatchLeavesTheJvmsArguments() {
        kernel32.commandLine = "java -m tether.cli -- npm run";
        assertEquals(List.of("--", "npm"), strings(process(false).arguments(new String[] {"--", "npm"})));
    }

    @Test
    void aCommandLineWindowsCannotSplitLeavesTheJvmsArguments() {
        shell32.fails = true;
        assertEquals(List.of("-v"), strings(process(false).arguments(new String[] {"-v"})));
        assertEquals(List.of("GetCommandLineW"), kernel32.calls);
    }

    /** The detached tether is started as this one was: this program, then the JVM's options and module. */
    @Test
    void theLauncherIsThisProgramAndTheWordsBeforeTethersArguments() throws Exception {
        kernel32.commandLine = "java -XX:AOTCache=x -m tether.cli/tether.cli.Main --detach -- npm";
        List<String> launcher = process(false).launcher();
        assertEquals(List.of("-XX:AOTCache=x", "-m", "tether.cli/tether.cli.Main"), launcher.subList(1, launcher.size()));
        String self = ProcessHandle.current().info().command().orElseThrow();
        assertEquals(self, launcher.getFirst());
    }

    @Test
    void withoutAKnownLauncherThereIsNoDetaching() {
        kernel32.commandLine = "java @tether.args --detach -- npm";
        SpawnException e = assertThrows(SpawnException.class, () -> process(false).launcher());
        assertEquals("--detach cannot start another tether: this one's command line does not show how it was started",
                e.getMessage());
    }

    /** The report handle is kept from COMMAND first, then written whole, then closed. */
    @Test
    void theReportChannelIsTheInheritedHandle() throws Exception {
        kernel32.adopt(FakeKernel32.PIPE_WRITE, FakeKernel32.Kind.PIPE_WRITE, true);
        kernel32.writeLimit = 1;
        try (OutputStream out = process(false).reportChannel("80")) {
            out.write("0\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("SetHandleInformation(native@0x50, 1, 0)", "WriteFile(native@0x50, 2)",
                "WriteFile(native@0x50, 1)", "CloseHandle(native@0x50)"), kernel32.calls);
        assertArrayEquals("0\n".getBytes(StandardCharsets.UTF_8), kernel32.written.toByteArray());
        assertEquals(java.util.Set.of(), kernel32.leaked());
    }

    @Test
    void aReportChannelThatCannotBeKeptFromCommandFails() {
        kernel32.adopt(FakeKernel32.PIPE_WRITE, FakeKernel32.Kind.PIPE_WRITE, true);
        kernel32.failures.put("SetHandleInformation", 6);
        IOException e = assertThrows(IOException.class, () -> process(false).reportChannel("80"));
        assertEquals("SetHandleInformation: Windows error 6", e.getMessage());
        assertThrows(IOException.class, () -> process(false).reportChannel("3x"));
    }

    @Test
    void aFailedWriteSaysWhy() throws Exception {
        kernel32.adopt(FakeKernel32.PIPE_WRITE, FakeKernel32.Kind.PIPE_WRITE, true);
        kernel32.failures.put("WriteFile", 232);
        OutputStream out = process(false).reportChannel("80");
        assertEquals("WriteFile: Windows error 232",
                assertThrows(IOException.class, () -> out.write(new byte[] {'0'})).getMessage());
    }

    @Test
    void theEnvironmentIsCarriedAsUtf8() {
        String path = System.getenv("PATH");
        List<String> entries = strings(process(false).environment());
        assertTrue(entries.contains("PATH=" + path) || entries.contains("Path=" + path), entries.toString());
    }
}
