package tether.unix.linux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;
import tether.unix.ProcessTable;

class LinuxProcessTableTest {

    /** {state, ppid, pgrp}, or null when the line is not understood. */
    static int[] parse(String stat, int length) {
        long[] fields = new long[3];
        return LinuxProcessTable.parse(stat.getBytes(UTF_8), length, fields) < 0 ? null
                : java.util.Arrays.stream(fields).mapToInt(field -> (int) field).toArray();
    }

    static int[] parse(String stat) {
        return parse(stat, stat.getBytes(UTF_8).length);
    }

    @Test
    void readsStateParentAndGroupAfterTheCommandName() {
        assertArrayEquals(new int[] {'S', 1, 4242}, parse("123 (sleep) S 1 4242 4242 0 -1 4194560 96 0"));
        assertArrayEquals(new int[] {'Z', 77, 4242}, parse("123 (sh) Z 77 4242 4242 0"));
        assertArrayEquals(new int[] {'T', 9, 10}, parse("5 (x) T 9 10 10 0"));
    }

    @Test
    void commandNamesWithSpacesAndParenthesesDoNotShiftTheFields() {
        assertArrayEquals(new int[] {'R', 1, 4242}, parse("123 (a) S 9 9 (b) R 1 4242 4242 0"));
    }

    @Test
    void onlyTheBytesReadCount() {
        String stat = "123 (sleep) S 1 4242 4242 0 -1 9 (stale) Z 1 77 77";
        assertArrayEquals(new int[] {'S', 1, 4242}, parse(stat, 31));
        assertEquals(null, parse(stat, 0));
    }

    @Test
    void malformedLinesAreNotUnderstood() {
        assertEquals(null, parse(""));
        assertEquals(null, parse("123 (sh"));
        assertEquals(null, parse("123 (sh)"));
        assertEquals(null, parse("123 (sh) S 1"));
    }

    /** java.io's wording of a failed open, as tether's messages word a reason: after a colon. */
    @Test
    void aReadThatFailedIsWordedPathThenReason() {
        assertEquals("/proc/42/stat: Too many open files",
                LinuxProcessTable.Reading.pathAndReason("/proc/42/stat (Too many open files)"));
        assertEquals("/proc/42/task: Too many open files",
                LinuxProcessTable.Reading.pathAndReason("/proc/42/task: Too many open files"));
    }

    /**
     * A scan starts at this process's children and finds children of children through every thread's
     * children file, in other sessions too, and skips an excluded subtree.
     */
    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads /proc")
    void aScanFindsGrandchildrenInOtherSessionsAndSkipsTheExcluded() throws Exception {
        LinuxProcessTable table = LinuxProcessTable.open();
        Process shell = new ProcessBuilder("sh", "-c", "sleep 600 & setsid sleep 600 & echo $!; wait").start();
        Process other = new ProcessBuilder("sleep", "600").start();
        try {
            int escapee = Integer.parseInt(new java.io.BufferedReader(
                    new java.io.InputStreamReader(shell.getInputStream(), UTF_8)).readLine());
            int shellGroup = (int) Procs.groupOf(shell.pid());
            // The shell's two children exist once $! is printed, but the second leaves the group only when
            // its setsid runs, and the first is in it only once forked: wait for both, then scan.
            Procs.await(() -> Procs.groupOf(escapee) == escapee && Procs.childrenOf(shell.pid()).size() == 2,
                    java.time.Duration.ofSeconds(10), "the escapee to leave the group and the sleep to start");
            ProcessTable.Scan scan = table.scan((int) other.pid(), shellGroup);
            assertEquals(2, scan.inGroup().length, "the shell and its sleep");
            assertTrue(java.util.Arrays.stream(scan.outside()).anyMatch(pid -> pid == escapee));
            assertTrue(java.util.Arrays.stream(scan.outside()).noneMatch(pid -> pid == other.pid()), "excluded");
            assertTrue(java.util.Arrays.stream(scan.outsideGroups()).anyMatch(group -> group == escapee),
                    "the escapee's session is its own: its group may be signalled");
            assertEquals(null, scan.unread());
            assertTrue(scan.childrenRead());
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly().waitFor();
            other.destroyForcibly().waitFor();
            table.close();
        }
    }

    /**
     * A SIGTSTP sent to a stopped process waits, and the SIGCONT that continues it discards it: what job
     * control looks at before it continues a command stopped for the terminal.
     */
    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads /proc")
    void aStoppedProcessIsStoppedUntilContinuedWhichDiscardsAStopSentMeanwhile() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "600").start();
        ProcessTable table = LinuxProcessTable.open();
        try {
            int pid = (int) sleep.pid();
            assertFalse(table.isStopped(pid));
            Procs.kill(pid, "STOP");
            Procs.await(() -> table.isStopped(pid), Duration.ofSeconds(10), "the stop");
            assertFalse(table.stopPending(pid));
            Procs.kill(pid, "TSTP");
            assertTrue(table.stopPending(pid));
            Procs.kill(pid, "CONT");
            assertFalse(table.stopPending(pid), "discarded by the SIGCONT");
            Procs.await(() -> !table.isStopped(pid), Duration.ofSeconds(10), "the continue");
        } finally {
            sleep.destroyForcibly().waitFor();
            table.close();
        }
    }

    @Test
    void readsTheSharedPendingMask() {
        String status = "Name:\tsh\nState:\tT (stopped)\nSigQ:\t1/63432\nSigPnd:\t0000000000000000\n"
                + "ShdPnd:\t0000000000080000\nSigBlk:\t0000000000000000\n";
        byte[] bytes = status.getBytes(UTF_8);
        assertEquals(1L << (LinuxLibc.SIGTSTP - 1), LinuxProcessTable.sharedPending(bytes, bytes.length));
        assertEquals(0, LinuxProcessTable.sharedPending(bytes, status.indexOf("ShdPnd")), "cut before the line");
    }

    /** A group with a process in it is not empty; once its last process is reaped, it is. */
    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads /proc")
    void aGroupIsEmptyOnceItsLastProcessIsReaped() throws Exception {
        Process leader = new ProcessBuilder("setsid", "sleep", "600").start();
        ProcessTable table = LinuxProcessTable.open();
        try {
            int group = (int) leader.pid();
            Procs.await(() -> Procs.groupOf(group) == group, Duration.ofSeconds(10), "setsid to make the group");
            assertFalse(table.groupIsEmpty(group));
            leader.destroyForcibly().waitFor();
            assertTrue(table.groupIsEmpty(group));
        } finally {
            leader.destroyForcibly().waitFor();
            table.close();
        }
    }
}
