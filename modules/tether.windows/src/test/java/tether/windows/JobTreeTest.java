package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tether.api.ExitStatus;
import tether.api.Members;
import tether.api.Teardown;
import tether.api.TreeSignal;

/** The job's members as QueryInformationJobObject lists them, and the teardown's calls on the job. */
class JobTreeTest {

    static final String QUERY_64 = "QueryInformationJobObject(native@0x10, 3, " + (8 + 8 * 64) + ")";
    static final String BREAK = "GenerateConsoleCtrlEvent(1, " + FakeKernel32.PID + ")";
    static final String TERMINATE_JOB = "TerminateJobObject(native@0x10, 1)";

    final FakeKernel32 kernel32 = withJobAndProcess(new FakeKernel32());
    final JobTree tree = tree(kernel32, false);

    /** The job and COMMAND's process as JobSpawner leaves them: open, in tether's handle table. */
    static FakeKernel32 withJobAndProcess(FakeKernel32 kernel32) {
        kernel32.adopt(FakeKernel32.JOB, FakeKernel32.Kind.JOB, false);
        kernel32.adopt(FakeKernel32.PROCESS, FakeKernel32.Kind.PROCESS, false);
        return kernel32;
    }

    static JobTree tree(FakeKernel32 kernel32, boolean rootIsInterpreter) {
        return new JobTree(kernel32, FakeKernel32.JOB, new Win32Process(kernel32, FakeKernel32.PROCESS, FakeKernel32.PID),
                rootIsInterpreter, () -> kernel32.calls.add("released"));
    }

    @Test
    void membersAreTheJobsProcessesEvenWhenTheCommandIsGone() {
        kernel32.jobPids = List.of(77L, 78L);
        assertEquals(2, tree.members().count());
        assertEquals(List.of(QUERY_64), kernel32.calls);
    }

    @Test
    void anEmptyJobIsAnEmptyTreeAndNothingIsSignalled() {
        Members members = tree.members();
        assertEquals(0, members.count());
        assertEquals(List.of(), members.signal(TreeSignal.TERM));
        assertEquals(List.of(), members.signal(TreeSignal.KILL));
        assertEquals(List.of(QUERY_64), kernel32.calls);
    }

    @Test
    void aJobBiggerThanTheFirstBufferIsAskedAgainWithRoomForAll() {
        kernel32.jobPids = LongStream.rangeClosed(1, 100).boxed().toList();
        assertEquals(100, tree.members().count());
        assertEquals(List.of(QUERY_64, "QueryInformationJobObject(native@0x10, 3, " + (8 + 8 * 100) + ")"), kernel32.calls);
    }

    @Test
    void theFirstSignalIsCtrlBreakToTheGroupAndSigkillEndsTheJob() {
        kernel32.jobPids = List.of((long) FakeKernel32.PID, 78L);
        Members members = tree.members();
        assertEquals(List.of(), members.signal(TreeSignal.TERM));
        assertEquals(List.of(), members.signal(TreeSignal.CONT));
        assertEquals(List.of(), members.signal(TreeSignal.INT));
        assertEquals(List.of(), members.signal(TreeSignal.KILL));
        assertEquals(List.of(QUERY_64, BREAK, BREAK, TERMINATE_JOB), kernel32.calls);
    }

    @Test
    void newcomersAreNotSentASecondBreak() {
        kernel32.jobPids = List.of(1L);
        Members first = tree.members();
        kernel32.jobPids = List.of(1L, 2L);
        assertEquals(0, tree.members().newSince(first).count());
    }

    @Test
    void failuresToSignalAreReportedWithWindowsReason() {
        kernel32.jobPids = List.of(1L, 2L);
        kernel32.failures.put("GenerateConsoleCtrlEvent", 6);
        kernel32.failures.put("TerminateJobObject", 5);
        Members members = tree.members();
        assertEquals(List.of(new Members.Unreachable(FakeKernel32.PID, "GenerateConsoleCtrlEvent: Windows error 6")),
                members.signal(TreeSignal.TERM));
        assertEquals(List.of(new Members.Unreachable(1, "TerminateJobObject: Windows error 5"),
                new Members.Unreachable(2, "TerminateJobObject: Windows error 5")), members.signal(TreeSignal.KILL));
    }

    /** An unreadable job is not taken for empty: it is killed once, and the teardown says it could not confirm the end. */
    @Test
    void aJobThatCannotBeListedIsKilledAndNotReportedEmpty() throws Exception {
        kernel32.failures.put("QueryInformationJobObject", 5);
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofMillis(20));
        assertFalse(report.empty());
        assertEquals(List.of(new Members.Unreachable(FakeKernel32.PID, "QueryInformationJobObject: Windows error 5")),
                report.unreachable());
        assertTrue(kernel32.calls.contains(BREAK));
        assertEquals(TERMINATE_JOB, kernel32.calls.getLast());
        assertEquals(1, kernel32.calls.stream().filter(TERMINATE_JOB::equals).count());
    }

    /** A tree whose members ignore Ctrl-Break, as a JVM does, ends at the grace deadline with the job. */
    @Test
    void teardownBreaksFirstAndEndsTheJobAtGrace() throws Exception {
        kernel32.jobPids = List.of(1L, 2L, 3L);
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofMillis(50));
        assertTrue(report.empty());
        assertEquals(3, report.reachedByFirst());
        assertEquals(3, report.reachedByKill());
        assertEquals(List.of(BREAK, TERMINATE_JOB), kernel32.calls.stream().filter(c -> !c.startsWith("Query")).toList());
    }

    /**
     * A batch COMMAND: after Ctrl-Break its children end, and cmd.exe, left alone, would ask "Terminate batch
     * job (Y/N)?" until the grace deadline; it is ended as soon as it is the job's last process.
     */
    @Test
    void aBatchInterpreterLeftAloneAfterTheBreakIsEndedAtOnce() throws Exception {
        JobTree batch = tree(kernel32, true);
        kernel32.jobPids = List.of((long) FakeKernel32.PID, 78L);
        Members first = batch.members();
        first.signal(TreeSignal.TERM);
        kernel32.jobPids = List.of((long) FakeKernel32.PID);
        assertEquals(1, batch.members().count());
        assertEquals(TERMINATE_JOB, kernel32.calls.getLast());
        assertEquals(0, batch.members().count());
    }

    /** Before the first signal, the interpreter alone is a batch file still running, not one to end. */
    @Test
    void aBatchInterpreterIsNotEndedBeforeTheBreak() {
        JobTree batch = tree(kernel32, true);
        kernel32.jobPids = List.of((long) FakeKernel32.PID);
        assertEquals(1, batch.members().count());
        assertFalse(kernel32.calls.contains(TERMINATE_JOB));
        assertFalse(tree.members().count() == 0);
    }

    @Test
    void releaseClosesTheRootAndTheJobAndThenSaysSo() {
        tree.release();
        assertEquals(List.of("CloseHandle(native@0x20)", "CloseHandle(native@0x10)", "released"), kernel32.calls);
        assertEquals(java.util.Set.of(), kernel32.leaked());
    }

    /** Windows' WaitForSingleObject fails on a handle that is not open; the root's wait says so. */
    @Test
    void aWaitOnAClosedRootFails() {
        tree.release();
        assertEquals("WaitForSingleObject(" + FakeKernel32.PID + "): error 6",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, tree::awaitExit).getMessage());
    }

    @Test
    void theExitCodeIsTheRootProcesss() throws Exception {
        assertEquals(ExitStatus.exited(3), tree.awaitExit());
        assertEquals(List.of("WaitForSingleObject(native@0x20)"), kernel32.calls);
    }
}
