package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tether.api.SpawnException;
import tether.api.SpawnRequest;
import tether.api.TreeSignal;

/** spawn as a whole: the console handler first, then the program found and started from COMMAND's directory. */
class WindowsProcessTreeKillerTest {

    final FakeKernel32 kernel32 = new FakeKernel32();
    final List<Integer> stops = new ArrayList<>();

    WindowsProcessTreeKillerTest() {
        kernel32.directory("C:\\nodejs");
        kernel32.file("C:\\nodejs\\npm.cmd");
        kernel32.file("C:\\nodejs\\node.exe");
        kernel32.directory("C:\\work\\web");
    }

    static List<byte[]> bytes(String... strings) {
        List<byte[]> list = new ArrayList<>();
        for (String string : strings) {
            list.add(string.getBytes(StandardCharsets.UTF_8));
        }
        return list;
    }

    JobTree spawn(String directory, String... command) throws SpawnException {
        SpawnRequest request = new SpawnRequest(bytes(command),
                directory == null ? null : directory.getBytes(StandardCharsets.UTF_8),
                bytes("Path=C:\\nodejs", "TEMP=C:\\tmp", "APPDATA=C:\\a"), TreeSignal.TERM, Duration.ofSeconds(1), 1);
        return WindowsProcessTreeKiller.spawn(kernel32, request, new ConsoleEvents(stops::add), "C:\\work",
                "C:\\Windows");
    }

    @Test
    void theConsoleHandlerIsInPlaceBeforeCommandStarts() throws Exception {
        spawn(null, "node", "server.js");
        assertEquals("SetConsoleCtrlHandler(add)", kernel32.calls.getFirst());
        kernel32.deliver(Kernel32.CTRL_C_EVENT);
        assertEquals(List.of(2), stops);
    }

    @Test
    void theProgramIsFoundOnCommandsPathAndStartedByItsFullPath() throws Exception {
        spawn(null, "node", "server.js");
        FakeKernel32.Child child = kernel32.children.getFirst();
        assertEquals("C:\\nodejs\\node.EXE", child.application());
        assertEquals("node server.js", child.commandLine());
        assertEquals("C:\\work", child.directory());
    }

    /** -C web: COMMAND runs in C:\work\web, taken from tether's directory. */
    @Test
    void minusCIsTakenFromTethersDirectory() throws Exception {
        spawn("web", "npm", "--version");
        FakeKernel32.Child child = kernel32.children.getFirst();
        assertEquals("C:\\work\\web", child.directory());
        assertEquals("C:\\Windows\\system32\\cmd.exe", child.application());
        assertEquals("C:\\Windows\\system32\\cmd.exe /d /e:on /v:off /s /c \"\"C:\\nodejs\\npm.CMD\" --version\"",
                child.commandLine());
    }

    @Test
    void theEnvironmentIsSortedWithSystemRoot() throws Exception {
        spawn(null, "node");
        assertEquals(List.of("APPDATA=C:\\a", "Path=C:\\nodejs", "SystemRoot=C:\\Windows", "TEMP=C:\\tmp"),
                kernel32.children.getFirst().environment());
    }

    @Test
    void aProgramNotFoundIs127AndNothingIsLeftOpen() {
        SpawnException e = assertThrows(SpawnException.class, () -> spawn(null, "vite"));
        assertEquals(127, e.reason().exitStatus());
        assertEquals(java.util.Set.of(), kernel32.leaked());
    }
}
