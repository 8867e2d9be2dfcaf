package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import com.sun.jna.WString;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tether.api.SpawnException;

/** The order and arguments of the kernel32 calls that start the command in a job, and every failure. */
class JobSpawnerTest {

    static final String NODE = "C:\\nodejs\\node.exe";

    final FakeKernel32 kernel32 = new FakeKernel32();
    final AtomicInteger released = new AtomicInteger();

    JobSpawnerTest() {
        kernel32.directory("C:\\nodejs");
        kernel32.file(NODE);
    }

    JobTree spawn() throws SpawnException {
        return spawn(new Launch("node", NODE, "node server.js\0".toCharArray(), false));
    }

    JobTree spawn(Launch launch) throws SpawnException {
        return new JobSpawner(kernel32).spawn(launch, FakeKernel32.block("PATH=C:\\bin"), new WString("C:\\work"),
                released::incrementAndGet);
    }

    SpawnException spawnFails() {
        SpawnException e = assertThrows(SpawnException.class, this::spawn);
        assertEquals(Set.of(), kernel32.leaked(), "a failed spawn leaves no handle open");
        return e;
    }

    static final String CREATE_JOB = "CreateJobObjectW(null, null)";
    static final String KILL_ON_CLOSE = "SetInformationJobObject(native@0x10, 9, 144)";
    static final List<String> DUPLICATE_STD = List.of("DuplicateHandle(native@0x10a, inheritable)",
            "DuplicateHandle(native@0x10b, inheritable)", "DuplicateHandle(native@0x10c, inheritable)");
    static final String MEASURE_TWO = "InitializeProcThreadAttributeList(null, 2)";
    static final String INITIALIZE_TWO = "InitializeProcThreadAttributeList(list, 2)";
    static final String MEASURE_ONE = "InitializeProcThreadAttributeList(null, 1)";
    static final String INITIALIZE_ONE = "InitializeProcThreadAttributeList(list, 1)";
    static final String JOB_LIST = "UpdateProcThreadAttribute(0x2000d, native@0x10, 8)";
    static final String HANDLE_LIST = "UpdateProcThreadAttribute(0x20002, native@0x200 native@0x204 native@0x208, 24)";
    static final String DELETE = "DeleteProcThreadAttributeList";
    static final String ASSIGN = "AssignProcessToJobObject(native@0x10, native@0x20)";
    static final String TERMINATE = "TerminateProcess(native@0x20, 1)";
    static final String CLOSE_THREAD = "CloseHandle(native@0x30)";
    static final List<String> CLOSE_STD = List.of("CloseHandle(native@0x200)", "CloseHandle(native@0x204)",
            "CloseHandle(native@0x208)");
    static final Set<Pointer> STD_COPIES = Set.of(new Pointer(0x200), new Pointer(0x204), new Pointer(0x208));

    static List<String> concat(Object... parts) {
        List<String> all = new java.util.ArrayList<>();
        for (Object part : parts) {
            if (part instanceof List<?> list) {
                list.forEach(item -> all.add((String) item));
            } else {
                all.add((String) part);
            }
        }
        return all;
    }

    @Test
    void theCommandIsCreatedInAJobThatKillsOnCloseWithItsStandardHandlesOnly() throws Exception {
        JobTree tree = spawn();
        assertEquals(concat(CREATE_JOB, KILL_ON_CLOSE, DUPLICATE_STD, MEASURE_TWO, INITIALIZE_TWO, JOB_LIST,
                HANDLE_LIST, "CreateProcessW(in job)", DELETE, CLOSE_THREAD, CLOSE_STD), kernel32.calls);
        assertEquals(Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, kernel32.limitFlags);
        assertEquals(List.of(0x200 | 0x400 | 0x80000), kernel32.creationFlags);
        assertEquals(List.of(112), kernel32.startupSizes);
        FakeKernel32.Child child = kernel32.children.getFirst();
        assertEquals(NODE, child.application());
        assertEquals("node server.js", child.commandLine());
        assertEquals("C:\\work", child.directory());
        assertEquals(List.of(FakeKernel32.JOB), child.jobs());
        assertEquals(STD_COPIES, child.inherited());
        assertTrue(child.stdInherited());
        assertEquals(FakeKernel32.PID, tree.pid());
        assertEquals(Set.of(FakeKernel32.JOB, FakeKernel32.PROCESS), kernel32.leaked());
    }

    /** bInheritHandles without a handle list would hand the child every inheritable handle tether has. */
    @Test
    void anInheritableHandleOfTethersIsNotInherited() throws Exception {
        Pointer other = new Pointer(0x90);
        kernel32.adopt(other, FakeKernel32.Kind.FILE, true);
        spawn();
        assertFalse(kernel32.children.getFirst().inherited().contains(other));
    }

    /** tether started with stdout closed: COMMAND gets NUL there, as /dev/null on Unix. */
    @Test
    void aStandardHandleTetherLacksIsNul() throws Exception {
        kernel32.std[1] = null;
        spawn();
        FakeKernel32.Child child = kernel32.children.getFirst();
        assertEquals(FakeKernel32.NUL, child.std().get(1));
        assertEquals(Set.of(new Pointer(0x200), FakeKernel32.NUL, new Pointer(0x204)), child.inherited());
        assertTrue(child.stdInherited());
        assertTrue(kernel32.calls.contains("CreateFileW(NUL, 0xc0000000, 3, inheritable, 3, 0x0)"));
    }

    @Test
    void aStandardHandleThatCannotBeCopiedStartsNothing() {
        kernel32.failures.put("DuplicateHandle", 8);
        assertEquals("DuplicateHandle: Windows error 8", spawnFails().getMessage());
    }

    @Test
    void releaseClosesTheProcessAndTheJobAndSaysSo() throws Exception {
        JobTree tree = spawn();
        kernel32.calls.clear();
        tree.release();
        assertEquals(List.of("CloseHandle(native@0x20)", "CloseHandle(native@0x10)"), kernel32.calls);
        assertEquals(1, released.get());
        assertEquals(Set.of(), kernel32.leaked());
    }

    /** A batch file runs as cmd.exe, which the stand-in, as Windows' documentation, requires. */
    @Test
    void aBatchFileRunsThroughCmd() throws Exception {
        kernel32.file("C:\\nodejs\\npm.cmd");
        Launch launch = Launch.of(kernel32, List.of("npm", "--version"), "C:\\nodejs\\npm.cmd");
        spawn(launch);
        assertEquals("C:\\Windows\\system32\\cmd.exe", kernel32.children.getFirst().application());
        assertEquals("C:\\Windows\\system32\\cmd.exe /d /e:on /v:off /s /c \"\"C:\\nodejs\\npm.cmd\" --version\"",
                kernel32.children.getFirst().commandLine());
    }

    @Test
    void aFailedJobCreationStartsNothing() {
        kernel32.failures.put("CreateJobObjectW", 1450);
        SpawnException e = spawnFails();
        assertEquals(SpawnException.Reason.FAILED, e.reason());
        assertEquals("CreateJobObjectW: Windows error 1450", e.getMessage());
        assertEquals(List.of(CREATE_JOB), kernel32.calls);
    }

    @Test
    void aJobThatCannotKillOnCloseIsClosedAndStartsNothing() {
        kernel32.failures.put("SetInformationJobObject", 87);
        assertEquals("SetInformationJobObject: Windows error 87", spawnFails().getMessage());
        assertEquals(List.of(CREATE_JOB, KILL_ON_CLOSE, "CloseHandle(native@0x10)"), kernel32.calls);
    }

    /** Windows 10 before 1607 has no PROC_THREAD_ATTRIBUTE_JOB_LIST: created suspended, assigned, resumed. */
    @Test
    void withoutTheJobListAttributeTheProcessIsAssignedWhileSuspended() throws Exception {
        kernel32.failures.put("UpdateProcThreadAttribute(0x2000d)", Kernel32.ERROR_NOT_SUPPORTED);
        spawn();
        assertEquals(concat(CREATE_JOB, KILL_ON_CLOSE, DUPLICATE_STD, MEASURE_TWO, INITIALIZE_TWO, JOB_LIST, DELETE,
                MEASURE_ONE, INITIALIZE_ONE, HANDLE_LIST, "CreateProcessW(suspended)", DELETE, ASSIGN,
                "ResumeThread(native@0x30)", CLOSE_THREAD, CLOSE_STD), kernel32.calls);
        assertEquals(List.of(0x200 | 0x400 | 0x80000 | 0x4), kernel32.creationFlags);
        assertEquals(STD_COPIES, kernel32.children.getFirst().inherited());
    }

    @Test
    void anAttributeListThatCannotBeMadeStartsNothing() throws Exception {
        kernel32.failures.put("InitializeProcThreadAttributeList(null)", 87);
        assertThrows(SpawnException.class, this::spawn);

        FakeKernel32 other = new FakeKernel32();
        other.file(NODE);
        other.failures.put("InitializeProcThreadAttributeList", 87);
        assertThrows(SpawnException.class, () -> new JobSpawner(other).spawn(
                new Launch("node", NODE, "node\0".toCharArray(), false), FakeKernel32.block(), new WString("C:\\work"),
                released::incrementAndGet));
        // A list that was never initialized is not deleted, and nothing is left open.
        assertFalse(other.calls.contains(DELETE));
        assertEquals(Set.of(), other.leaked());
    }

    @Test
    void aProcessThatCannotBeAssignedIsTerminatedAndReported() {
        kernel32.failures.put("UpdateProcThreadAttribute(0x2000d)", Kernel32.ERROR_NOT_SUPPORTED);
        kernel32.failures.put("AssignProcessToJobObject", 1450);
        SpawnException e = spawnFails();
        assertEquals(SpawnException.Reason.FAILED, e.reason());
        assertEquals("AssignProcessToJobObject: Windows error 1450", e.getMessage());
        assertEquals(concat(ASSIGN, TERMINATE, CLOSE_THREAD, "CloseHandle(native@0x20)", CLOSE_STD,
                "CloseHandle(native@0x10)"), kernel32.calls.subList(kernel32.calls.indexOf(ASSIGN), kernel32.calls.size()));
    }

    /**
     * A tether inside a job that refuses nesting: creation in the job is denied, which could also be the
     * program's permissions; the suspended path tells them apart, and a refused nesting is tether's 125.
     */
    @Test
    void aJobThatRefusesNestingIsTethersFailureAndTheChildIsTerminated() {
        kernel32.failures.put("CreateProcessW(in job)", Kernel32.ERROR_ACCESS_DENIED);
        kernel32.failures.put("AssignProcessToJobObject", Kernel32.ERROR_ACCESS_DENIED);
        SpawnException e = spawnFails();
        assertEquals(SpawnException.Reason.FAILED, e.reason());
        assertEquals(125, e.reason().exitStatus());
        assertEquals("cannot put 'node' in a job object: tether runs in a job that does not allow nesting (Windows error 5)",
                e.getMessage());
        assertEquals(concat("CreateProcessW(in job)", DELETE, MEASURE_ONE, INITIALIZE_ONE, HANDLE_LIST,
                "CreateProcessW(suspended)", DELETE, ASSIGN, TERMINATE, CLOSE_THREAD, "CloseHandle(native@0x20)",
                CLOSE_STD, "CloseHandle(native@0x10)"),
                kernel32.calls.subList(kernel32.calls.indexOf("CreateProcessW(in job)"), kernel32.calls.size()));
    }

    @Test
    void aProgramThatIsDeniedInBothWaysIsNotExecutable() {
        kernel32.failures.put("CreateProcessW(in job)", Kernel32.ERROR_ACCESS_DENIED);
        kernel32.failures.put("CreateProcessW(suspended)", Kernel32.ERROR_ACCESS_DENIED);
        SpawnException e = spawnFails();
        assertEquals(SpawnException.Reason.NOT_EXECUTABLE, e.reason());
        assertEquals("CloseHandle(native@0x10)", kernel32.calls.getLast());
    }

    /** A file that is gone by the time it is started: Windows' own answer, ERROR_FILE_NOT_FOUND, is 127. */
    @Test
    void aMissingProgramIsReportedOnceAndTheJobClosed() {
        kernel32.files.remove(NODE);
        SpawnException e = spawnFails();
        assertEquals("cannot run 'node': No such file or directory", e.getMessage());
        assertEquals(concat(CREATE_JOB, KILL_ON_CLOSE, DUPLICATE_STD, MEASURE_TWO, INITIALIZE_TWO, JOB_LIST,
                HANDLE_LIST, "CreateProcessW(in job)", DELETE, CLOSE_STD, "CloseHandle(native@0x10)"), kernel32.calls);
    }

    @Test
    void aThreadThatCannotBeResumedEndsTheProcess() {
        kernel32.failures.put("UpdateProcThreadAttribute(0x2000d)", Kernel32.ERROR_NOT_SUPPORTED);
        kernel32.failures.put("ResumeThread", 6);
        assertEquals("ResumeThread: Windows error 6", spawnFails().getMessage());
        assertEquals(concat(TERMINATE, CLOSE_THREAD, "CloseHandle(native@0x20)", CLOSE_STD, "CloseHandle(native@0x10)"),
                kernel32.calls.subList(kernel32.calls.indexOf(TERMINATE), kernel32.calls.size()));
    }

    @Test
    void spawnErrorsFollowTheShellsConventions() {
        assertEquals(SpawnException.Reason.NOT_FOUND, WindowsErrors.cannotRun("x", 2).reason());
        assertEquals(SpawnException.Reason.NOT_FOUND, WindowsErrors.cannotRun("x", 3).reason());
        assertEquals(SpawnException.Reason.NOT_EXECUTABLE, WindowsErrors.cannotRun("x", 5).reason());
        assertEquals(SpawnException.Reason.NOT_EXECUTABLE, WindowsErrors.cannotRun("x", 193).reason());
        assertEquals(SpawnException.Reason.FAILED, WindowsErrors.cannotRun("x", 1450).reason());
        assertEquals("cannot run 'npm': No such file or directory", WindowsErrors.cannotRun("npm", 2).getMessage());
    }

    @Test
    void supportedOnWindowsOnly() {
        assertEquals(System.getProperty("os.name").startsWith("Windows"), new WindowsProcessTreeKiller().isSupported());
        assertEquals("windows", new WindowsProcessTreeKiller().name());
    }
}
