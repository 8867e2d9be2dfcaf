package tether.unix;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ProcessTableTest {

    /** {state, ppid, pgrp}, or null when the line is not understood. */
    static int[] parse(String stat, int length) {
        int[] fields = new int[3];
        return ProcessTable.parse(stat.getBytes(UTF_8), length, fields) < 0 ? null : fields;
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

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisJvmIsALiveMemberOfItsOwnGroupAndHasNoDescendants() {
        ProcessTable table = ProcessTable.read();
        int self = (int) ProcessHandle.current().pid();
        int group = Integer.parseInt(new String(readStat(self), UTF_8).split("\\) ")[1].split(" ")[2]);
        assertTrue(table.liveInGroup(group) >= 1);
        assertEquals(List.of(), table.liveDescendantsOutsideGroup(self, group, 0));
    }

    static byte[] readStat(int pid) {
        try {
            return java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
