package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tether.api.SpawnException;

/** The order and arguments of the kernel32 calls that start the command in a job, and every failure. */
class JobSpawnerTest {

    final FakeKernel32 kernel32 = new FakeKernel32();

    JobTree spawn() throws SpawnException {
        return new JobSpawner(kernel32).spawn("npm", "npm run dev\0".toCharArray(), FakeKernel32.block("PATH=C:\\bin"), null);
    }

    SpawnException spawnFails() {
        return assertThrows(SpawnException.class, this::spawn);
    }

    static final String CREATE_JOB = "CreateJobObjectW(null, null)";
    static final String KILL_ON_CLOSE = "SetInformationJobObject(native@0x10, 9, 144)";
    static final String MEASURE = "InitializeProcThreadAttributeList(null, 1)";
    static final String INITIALIZE = "InitializeProcThreadAttributeList(list, 1)";
    static final String JOB_LIST = "UpdateProcThreadAttribute(0x2000d, native@0x10, 8)";
    static final String DELETE = "DeleteProcThreadAttributeList";
    static final String ASSIGN = "AssignProcessToJobObject(native@0x10, native@0x20)";
    static final String TERMINATE = "TerminateProcess(native@0x20, 1)";

    @Test
    void theCommandIsCreatedInAJobThatKillsOnClose() throws Exception {
        JobTree tree = spawn();
        assertEquals(List.of(CREATE_JOB, KILL_ON_CLOSE, MEASURE, INITIALIZE, JOB_LIST, "CreateProcessW(in job)", DELETE,
                "CloseHandle(native@0x30)"), kernel32.calls);
        assertEquals(Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, kernel32.limitFlags);
        assertEquals(List.of(0x200 | 0x400 | 0x80000), kernel32.creationFlags);
        assertEquals(List.of(112), kernel32.startupSizes);
        assertTrue(kernel32.attributeLists.getFirst() != null);
        assertEquals(FakeKernel32.PID, tree.pid());
    }

    @Test
    void releaseClosesTheProcessAndTheJob() throws Exception {
        JobTree tree = spawn();
        kernel32.calls.clear();
        tree.release();
        assertEquals(List.of("CloseHandle(native@0x20)", "CloseHandle(native@0x10)"), kernel32.calls);
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
        kernel32.failures.put("UpdateProcThreadAttribute", 50);
        spawn();
        assertEquals(List.of(CREATE_JOB, KILL_ON_CLOSE, MEASURE, INITIALIZE, JOB_LIST, DELETE,
                "CreateProcessW(suspended)", ASSIGN, "ResumeThread(native@0x30)", "CloseHandle(native@0x30)"),
                kernel32.calls);
        assertEquals(List.of(0x200 | 0x400 | 0x4), kernel32.creationFlags);
        assertEquals(List.of(104), kernel32.startupSizes);
    }

    @Test
    void anAttributeListThatCannotBeMeasuredOrInitializedFallsBackToo() throws Exception {
        kernel32.failures.put("InitializeProcThreadAttributeList(null)", 87);
        spawn();
        assertEquals(List.of(CREATE_JOB, KILL_ON_CLOSE, MEASURE, "CreateProcessW(suspended)", ASSIGN,
                "ResumeThread(native@0x30)", "CloseHandle(native@0x30)"), kernel32.calls);

        FakeKernel32 other = new FakeKernel32();
        other.failures.put("InitializeProcThreadAttributeList", 87);
        new JobSpawner(other).spawn("npm", "npm\0".toCharArray(), FakeKernel32.block("PATH=C:\\bin"), null);
        // A list that was never initialized is not deleted.
        assertEquals(List.of(CREATE_JOB, KILL_ON_CLOSE, MEASURE, INITIALIZE, "CreateProcessW(suspended)", ASSIGN, "ResumeThread(native@0x30)", "CloseHandle(native@0x30)"), other.calls);
    }

    @Test
    void aProcessThatCannotBeAssignedIsTerminatedAndReported() {
        kernel32.failures.put("UpdateProcThreadAttribute", 50);
        kernel32.failures.put("AssignProcessToJobObject", 1450);
        SpawnException e = spawnFails();
        assertEquals(SpawnException.Reason.FAILED, e.reason());
        assertEquals("AssignProcessToJobObject: Windows error 1450", e.getMessage());
        assertEquals(List.of("CreateProcessW(suspended)", ASSIGN, TERMINATE, "CloseHandle(native@0x30)",
                "CloseHandle(native@0x20)", "CloseHandle(native@0x10)"), kernel32.calls.subList(6, kernel32.calls.size()));
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
        assertEquals("cannot put 'npm' in a job object: tether runs in a job that does not allow nesting (Windows error 5)",
                e.getMessage());
        assertEquals(List.of(CREATE_JOB, KILL_ON_CLOSE, MEASURE, INITIALIZE, JOB_LIST, "CreateProcessW(in job)", DELETE,
                "CreateProcessW(suspended)", ASSIGN, TERMINATE, "CloseHandle(native@0x30)", "CloseHandle(native@0x20)",
                "CloseHandle(native@0x10)"), kernel32.calls);
    }

    @Test
    void aProgramThatIsDeniedInBothWaysIsNotExecutable() {
        kernel32.failures.put("CreateProcessW(in job)", Kernel32.ERROR_ACCESS_DENIED);
        kernel32.failures.put("CreateProcessW(suspended)", Kernel32.ERROR_ACCESS_DENIED);
        SpawnException e = spawnFails();
        assertEquals(SpawnException.Reason.NOT_EXECUTABLE, e.reason());
        assertEquals("CloseHandle(native@0x10)", kernel32.calls.getLast());
    }

    @Test
    void aMissingProgramIsReportedOnceAndTheJobClosed() {
        kernel32.failures.put("CreateProcessW(in job)", Kernel32.ERROR_FILE_NOT_FOUND);
        SpawnException e = spawnFails();
        assertEquals("cannot run 'npm': No such file or directory", e.getMessage());
        assertEquals(List.of(CREATE_JOB, KILL_ON_CLOSE, MEASURE, INITIALIZE, JOB_LIST, "CreateProcessW(in job)", DELETE,
                "CloseHandle(native@0x10)"), kernel32.calls);
    }

    @Test
    void aThreadThatCannotBeResumedEndsTheProcess() {
        kernel32.failures.put("UpdateProcThreadAttribute", 50);
        kernel32.failures.put("ResumeThread", 6);
        assertEquals("ResumeThread: Windows error 6", spawnFails().getMessage());
        assertEquals(List.of(TERMINATE, "CloseHandle(native@0x30)", "CloseHandle(native@0x20)", "CloseHandle(native@0x10)"),
                kernel32.calls.subList(kernel32.calls.size() - 4, kernel32.calls.size()));
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
