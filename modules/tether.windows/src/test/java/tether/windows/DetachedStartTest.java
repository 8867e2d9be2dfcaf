package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tether.api.SpawnException;

/** The kernel32 calls that start a detached tether and read its report, and every failure. */
class DetachedStartTest {

    static final List<String> COMMAND = List.of("C:\\Program Files\\t\\bin\\java.exe", "-m",
            "tether.cli/tether.cli.Main", "--detach", "--", "npm", "run", "dev");
    static final List<String> ENVIRONMENT = List.of("PATH=C:\\bin");

    static final String OPEN_LOG = "CreateFileW(C:\\logs\\dev.log, 0x4, 7, inheritable, 4, 0x80)";
    static final String OPEN_NUL = "CreateFileW(NUL, 0xc0000000, 3, inheritable, 3, 0x0)";
    static final String PIPE = "CreatePipe(inheritable)";
    static final String MEASURE = "InitializeProcThreadAttributeList(null, 1)";
    static final String INITIALIZE = "InitializeProcThreadAttributeList(list, 1)";
    static final String HANDLE_LIST = "UpdateProcThreadAttribute(0x20002, native@0x60 native@0x70 native@0x50, 24)";
    static final String DELETE = "DeleteProcThreadAttributeList";
    static final String CREATE = "CreateProcessW(detached, breakaway)";
    static final String CLOSE_THREAD = "CloseHandle(native@0x30)";
    static final String CLOSE_PROCESS = "CloseHandle(native@0x20)";
    static final String CLOSE_WRITE_END = "CloseHandle(native@0x50)";
    static final String CLOSE_NUL = "CloseHandle(native@0x60)";
    static final String CLOSE_LOG = "CloseHandle(native@0x70)";
    static final String CLOSE_READ_END = "CloseHandle(native@0x40)";

    final FakeKernel32 kernel32 = new FakeKernel32();

    DetachedStartTest() {
        kernel32.directory("C:\\logs");
        kernel32.directory("C:\\Program Files\\t\\bin");
        kernel32.file(COMMAND.getFirst());
    }

    String start() throws SpawnException {
        return new DetachedStart(kernel32).start(COMMAND, ENVIRONMENT, "C:\\logs\\dev.log");
    }

    SpawnException startFails() {
        SpawnException e = assertThrows(SpawnException.class, this::start);
        assertEquals(Set.of(), kernel32.leaked(), "a failed start leaves no handle open");
        return e;
    }

    @Test
    void startsOutsideTheConsoleAndJobWithOnlyItsThreeHandlesAndReadsTheReport() throws Exception {
        kernel32.pipeContent = "0\nmore".getBytes(StandardCharsets.UTF_8);
        assertEquals("0", start());
        assertEquals(List.of(OPEN_LOG, OPEN_NUL, PIPE, MEASURE, INITIALIZE, HANDLE_LIST, CREATE, CLOSE_THREAD,
                CLOSE_PROCESS, DELETE, CLOSE_WRITE_END, CLOSE_NUL, CLOSE_LOG, CLOSE_READ_END), kernel32.calls);
        assertEquals(List.of(0x08000000 | 0x200 | 0x400 | 0x80000 | 0x01000000), kernel32.creationFlags);
        assertEquals(List.of(112), kernel32.startupSizes);
        assertEquals(List.of(List.of(FakeKernel32.NUL, FakeKernel32.FILE, FakeKernel32.FILE)), kernel32.stdHandles);
        assertEquals(COMMAND.getFirst(), kernel32.applicationNames.getFirst());
        assertEquals("\"C:\\Program Files\\t\\bin\\java.exe\" -m tether.cli/tether.cli.Main --detach -- npm run dev",
                kernel32.commandLines.getFirst());
        assertEquals(List.of("PATH=C:\\bin", "TETHER_DETACHED_REPORT_FD=80"), kernel32.environments.getFirst());
        FakeKernel32.Child child = kernel32.children.getFirst();
        assertEquals(Set.of(FakeKernel32.NUL, FakeKernel32.FILE, FakeKernel32.PIPE_WRITE), child.inherited());
        assertTrue(child.stdInherited());
        assertEquals(Set.of(), kernel32.leaked());
    }

    @Test
    void aFailureReportIsReturnedAsItCame() throws Exception {
        kernel32.pipeContent = "127 cannot run 'npm': No such file or directory\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("127 cannot run 'npm': No such file or directory", start());
    }

    @Test
    void aTetherThatEndedWithoutReportingIsNull() throws Exception {
        kernel32.pipeContent = "12".getBytes(StandardCharsets.UTF_8);
        assertNull(start());
        assertEquals("ReadFile(native@0x40) at the end", kernel32.calls.get(kernel32.calls.size() - 2));
    }

    /** The caller's job refuses breakaway: the tether is created in it, and lives as long as it does. */
    @Test
    void aJobThatRefusesBreakawayKeepsTheDetachedTether() throws Exception {
        kernel32.callerJobAllowsBreakaway = false;
        kernel32.pipeContent = "0\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("0", start());
        assertEquals(List.of(CREATE, "CreateProcessW(detached)", CLOSE_THREAD, CLOSE_PROCESS, DELETE),
                kernel32.calls.subList(6, 11));
        assertEquals(List.of(0x08000000 | 0x200 | 0x400 | 0x80000 | 0x01000000, 0x08000000 | 0x200 | 0x400 | 0x80000),
                kernel32.creationFlags);
    }

    @Test
    void aProgramDeniedWithoutBreakawayTooIsNotExecutable() {
        kernel32.callerJobAllowsBreakaway = false;
        kernel32.failures.put("CreateProcessW(detached)", Kernel32.ERROR_ACCESS_DENIED);
        SpawnException e = startFails();
        assertEquals(SpawnException.Reason.NOT_EXECUTABLE, e.reason());
        assertEquals(List.of(CREATE, "CreateProcessW(detached)", DELETE, CLOSE_READ_END, CLOSE_WRITE_END, CLOSE_NUL,
                CLOSE_LOG), kernel32.calls.subList(6, kernel32.calls.size()));
    }

    @Test
    void anotherCreationFailureIsNotRetried() {
        kernel32.files.remove(COMMAND.getFirst());
        SpawnException e = startFails();
        assertEquals("cannot run 'C:\\Program Files\\t\\bin\\java.exe': No such file or directory", e.getMessage());
        assertEquals(List.of(CREATE, DELETE, CLOSE_READ_END, CLOSE_WRITE_END, CLOSE_NUL, CLOSE_LOG),
                kernel32.calls.subList(6, kernel32.calls.size()));
    }

    @Test
    void aLogThatCannotBeOpenedStartsNothing() {
        kernel32.failures.put("CreateFileW(C:\\logs\\dev.log)", Kernel32.ERROR_PATH_NOT_FOUND);
        SpawnException e = startFails();
        assertEquals(SpawnException.Reason.FAILED, e.reason());
        assertEquals("cannot open the log 'C:\\logs\\dev.log': No such file or directory", e.getMessage());
        assertEquals(List.of(OPEN_LOG), kernel32.calls);
    }

    @Test
    void noNulDeviceClosesTheLog() {
        kernel32.failures.put("CreateFileW(NUL)", 2);
        assertEquals("CreateFileW(NUL): Windows error 2", startFails().getMessage());
        assertEquals(List.of(OPEN_LOG, OPEN_NUL, CLOSE_LOG), kernel32.calls);
    }

    @Test
    void noPipeClosesWhatWasOpened() {
        kernel32.failures.put("CreatePipe", 8);
        assertEquals("CreatePipe: Windows error 8", startFails().getMessage());
        assertEquals(List.of(OPEN_LOG, OPEN_NUL, PIPE, CLOSE_NUL, CLOSE_LOG), kernel32.calls);
    }

    @Test
    void aHandleListThatCannotBeMadeStartsNothing() {
        kernel32.failures.put("UpdateProcThreadAttribute", 87);
        assertEquals("UpdateProcThreadAttribute(0x20002): Windows error 87", startFails().getMessage());
        assertEquals(List.of(OPEN_LOG, OPEN_NUL, PIPE, MEASURE, INITIALIZE, HANDLE_LIST, DELETE, CLOSE_READ_END,
                CLOSE_WRITE_END, CLOSE_NUL, CLOSE_LOG), kernel32.calls);
    }

    @Test
    void anAttributeListThatCannotBeInitializedIsNotDeleted() {
        kernel32.failures.put("InitializeProcThreadAttributeList", 87);
        assertEquals("InitializeProcThreadAttributeList: Windows error 87", startFails().getMessage());
        assertEquals(List.of(OPEN_LOG, OPEN_NUL, PIPE, MEASURE, INITIALIZE, CLOSE_READ_END, CLOSE_WRITE_END, CLOSE_NUL,
                CLOSE_LOG), kernel32.calls);
    }

    @Test
    void anAttributeListThatCannotBeMeasuredStartsNothing() {
        kernel32.failures.put("InitializeProcThreadAttributeList(null)", 87);
        assertEquals("InitializeProcThreadAttributeList: Windows error 87", startFails().getMessage());
        assertEquals(List.of(OPEN_LOG, OPEN_NUL, PIPE, MEASURE, CLOSE_READ_END, CLOSE_WRITE_END, CLOSE_NUL, CLOSE_LOG),
                kernel32.calls);
    }
}
