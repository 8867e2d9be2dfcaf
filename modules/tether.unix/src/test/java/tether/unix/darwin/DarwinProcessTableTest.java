package tether.unix.darwin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tether.unix.ProcessTable;

/**
 * The macOS process table on buffers laid out as xnu's bsd/sys/proc_info.h declares them: proc_listpids fills
 * an array of pid_t, and struct proc_bsdshortinfo (64 bytes) opens with uint32_t pbsi_pid, pbsi_ppid, pbsi_pgid
 * and pbsi_status at 0, 4, 8 and 12, then char pbsi_comm[16] at 16 and the flags and ids to 64.
 */
class DarwinProcessTableTest {

    // p_stat values, bsd/sys/proc.h.
    static final int SRUN = 2;
    static final int SSLEEP = 3;
    static final int SSTOP = 4;
    static final int SZOMB = 5;
    // proc_listpids types, bsd/sys/proc_info.h.
    static final int PROC_PGRP_ONLY = 2;
    static final int PROC_PPID_ONLY = 6;

    record Proc(int pid, int ppid, int pgid, int status) {}

    /** A struct proc_bsdshortinfo as the kernel writes it. */
    static ByteBuffer shortInfoRecord(int pid, int ppid, int pgid, int status) {
        ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        buffer.putInt(0, pid).putInt(4, ppid).putInt(8, pgid).putInt(12, status);
        buffer.put(16, "sleep".getBytes(StandardCharsets.US_ASCII));
        buffer.putInt(32, 0).putInt(36, 501).putInt(40, 20).putInt(44, 501).putInt(48, 20).putInt(52, 501)
                .putInt(56, 20).putInt(60, 0);
        return buffer;
    }

    static ByteBuffer pidArray(int... pids) {
        ByteBuffer buffer = ByteBuffer.allocate(pids.length * 4 + 16).order(ByteOrder.nativeOrder());
        for (int i = 0; i < pids.length; i++) {
            buffer.putInt(i * 4, pids[i]);
        }
        return buffer;
    }

    /**
     * A recorded process table answering as libproc does: listings by group or parent, truncated to the
     * buffer; lookups that return 0 for a pid that is gone. {@code listedOnly} are pids a listing names that
     * were reaped, or given to a stranger, before their lookup.
     */
    static final class Recorded implements DarwinProcessTable.Libproc {
        final Map<Integer, Proc> table = new LinkedHashMap<>();
        final Map<Integer, int[]> listedUnderParent = new LinkedHashMap<>();
        final Map<Integer, int[]> listedInGroup = new LinkedHashMap<>();

        Recorded with(int pid, int ppid, int pgid, int status) {
            table.put(pid, new Proc(pid, ppid, pgid, status));
            return this;
        }

        @Override
        public int listPids(int type, int typeinfo, Pointer buffer, int bufferSize) {
            int[] pids = table.values().stream()
                    .filter(p -> type == PROC_PGRP_ONLY ? p.pgid() == typeinfo : p.ppid() == typeinfo)
                    .mapToInt(Proc::pid).toArray();
            int[] extra = (type == PROC_PGRP_ONLY ? listedInGroup : listedUnderParent).getOrDefault(typeinfo, new int[0]);
            int[] all = java.util.stream.IntStream.concat(Arrays.stream(pids), Arrays.stream(extra)).toArray();
            int written = Math.min(all.length, bufferSize / 4);
            for (int i = 0; i < written; i++) {
                buffer.setInt(i * 4L, all[i]);
            }
            return written * 4;
        }

        @Override
        public int shortInfo(int pid, Pointer buffer, int bufferSize) {
            Proc p = table.get(pid);
            if (p == null) {
                return 0;
            }
            byte[] bytes = shortInfoRecord(p.pid(), p.ppid(), p.pgid(), p.status()).array();
            buffer.write(0, bytes, 0, Math.min(bytes.length, bufferSize));
            return Math.min(bytes.length, bufferSize);
        }
    }

    @Test
    void aListingIsAnArrayOfPidsAsLongAsTheBytesWritten() {
        assertArrayEquals(new int[] {101, 102}, DarwinProcessTable.pids(pidArray(101, 102, 103), 8));
        assertArrayEquals(new int[] {101, 102, 103}, DarwinProcessTable.pids(pidArray(101, 102, 103), 12));
        assertArrayEquals(new int[] {101}, DarwinProcessTable.pids(pidArray(101, 102), 7), "a partial pid is no pid");
        assertArrayEquals(new int[0], DarwinProcessTable.pids(pidArray(101), 0), "0: an error, or no process");
    }

    @Test
    void pidZeroIsNeverListedSinceKillWouldTakeItForTethersOwnGroup() {
        assertArrayEquals(new int[] {7, 9}, DarwinProcessTable.pids(pidArray(7, 0, 9), 12));
    }

    @Test
    void shortInfoReadsParentGroupAndStatus() {
        DarwinProcessTable.ShortInfo live = DarwinProcessTable.shortInfo(shortInfoRecord(200, 100, 200, SSLEEP), 64);
        assertEquals(new DarwinProcessTable.ShortInfo(100, 200, SSLEEP), live);
        assertTrue(live.live());
        assertTrue(DarwinProcessTable.shortInfo(shortInfoRecord(201, 200, 200, SRUN), 64).live());
        assertTrue(DarwinProcessTable.shortInfo(shortInfoRecord(202, 200, 200, SSTOP), 64).live(), "stopped is live");
        assertFalse(DarwinProcessTable.shortInfo(shortInfoRecord(203, 200, 200, SZOMB), 64).live(), "a zombie is dead");
        assertEquals(300, DarwinProcessTable.shortInfo(shortInfoRecord(301, 201, 300, SRUN), 64).pgid(), "another group");
    }

    @Test
    void aProcessThatIsGoneOrAShortRecordIsNoProcess() {
        assertNull(DarwinProcessTable.shortInfo(shortInfoRecord(200, 100, 200, SRUN), 0), "ESRCH: proc_pidinfo returns 0");
        assertNull(DarwinProcessTable.shortInfo(shortInfoRecord(200, 100, 200, SRUN), 63), "a short read");
    }

    /**
     * tether (1000) with its sentinel (1001, left out, and its sleep 1002); the command's group 2000: the
     * leader, a running child, a zombie, a stopped one, and a member orphaned to launchd (2100); escapees in
     * groups of their own below a member (3000 and its child 3001) and below the orphaned member (3100); a
     * stranger (4000); pids listed and then reaped or given to a stranger before their lookup.
     */
    static Recorded recordedTree() {
        Recorded recorded = new Recorded()
                .with(1001, 1000, 1001, SSLEEP).with(1002, 1001, 1001, SSLEEP)
                .with(2000, 1000, 2000, SSLEEP).with(2001, 2000, 2000, SRUN).with(2002, 2000, 2000, SZOMB)
                .with(2003, 2000, 2000, SSTOP).with(2100, 1, 2000, SSLEEP)
                .with(3000, 2001, 3000, SSLEEP).with(3001, 3000, 3000, SRUN).with(3100, 2100, 3100, SSLEEP)
                .with(4000, 1, 4000, SRUN).with(2999, 1, 2999, SRUN).with(2998, 1, 5000, SRUN);
        recorded.listedUnderParent.put(2001, new int[] {2999, 2997});
        recorded.listedInGroup.put(2000, new int[] {2998, 2997});
        return recorded;
    }

    @Test
    void aScanFindsTheLiveMembersAndTheDescendantsThatLeftTheGroup() {
        ProcessTable.Scan scan = new DarwinProcessTable(recordedTree(), 1000).scan(1001, 2000);
        assertEquals(List.of(2000, 2001, 2003, 2100), sorted(scan.inGroup()));
        assertEquals(List.of(3000, 3001, 3100), sorted(scan.outside()));
    }

    @Test
    void aGroupOfZombiesIsEmpty() {
        Recorded recorded = new Recorded().with(2000, 1000, 2000, SZOMB).with(2001, 1, 2000, SZOMB);
        ProcessTable.Scan scan = new DarwinProcessTable(recorded, 1000).scan(1001, 2000);
        assertEquals(0, scan.inGroup().length + scan.outside().length);
        assertEquals(List.of(2000), sorted(scan.exitedChildren()), "tether's zombie child, the leader");
    }

    /** The question JobControl asks of a group it handed the terminal to, answered from libproc, not kill. */
    @Test
    void aGroupIsEmptyWhenNoLiveProcessIsListedInIt() {
        Recorded recorded = new Recorded().with(5000, 1, 5000, SZOMB).with(5001, 5000, 5000, SZOMB)
                .with(6000, 1, 6000, SZOMB).with(6001, 1, 6000, SSTOP).with(2998, 1, 7777, SRUN);
        recorded.listedInGroup.put(5000, new int[] {2998, 2997});
        DarwinProcessTable table = new DarwinProcessTable(recorded, 1000);
        assertTrue(table.groupIsEmpty(5000), "zombies, a pid reused by another group, and one gone");
        assertFalse(table.groupIsEmpty(6000), "a stopped member is live");
        assertTrue(table.groupIsEmpty(8000), "no member at all");
    }

    @Test
    void aListingThatFillsItsBufferIsMadeAgainLarger() {
        Recorded recorded = new Recorded();
        for (int pid = 2000; pid < 2600; pid++) {
            recorded.with(pid, 1000, 2000, SRUN);
        }
        ProcessTable.Scan scan = new DarwinProcessTable(recorded, 1000).scan(1001, 2000);
        assertEquals(600, scan.inGroup().length);
        assertEquals(600, new DarwinProcessTable(recorded, 1000).childrenOf(1000).size());
    }

    @Test
    void stoppedIsTheStatusSstop() {
        DarwinProcessTable table = new DarwinProcessTable(recordedTree(), 1000);
        assertTrue(table.isStopped(2003));
        assertFalse(table.isStopped(2001));
        assertFalse(table.isStopped(2997), "gone");
    }

    @Test
    void childrenAreListedByParentZombiesIncluded() {
        DarwinProcessTable table = new DarwinProcessTable(recordedTree(), 1000);
        assertEquals(List.of(1001, 2000), table.childrenOf(1000));
        assertEquals(List.of(2001, 2002, 2003), table.childrenOf(2000));
    }

    static List<Integer> sorted(int[] pids) {
        return Arrays.stream(pids).sorted().boxed().toList();
    }
}
