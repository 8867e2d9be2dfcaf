package tether.unix.darwin;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tether.unix.ProcessTable;

/**
 * The process table as libproc reports it on macOS, which has no {@code /proc}.
 *
 * <p>The group's members are listed by group ({@code PROC_PGRP_ONLY}), wherever their parents are; the
 * descendants that left the group are found by following children ({@code PROC_PPID_ONLY}) down from tether
 * and from every member. macOS has no subreaper: a descendant outside the group whose parent exits is
 * reparented to launchd, and out of reach.
 *
 * <p>Every listed pid is looked up with {@code PROC_PIDT_SHORTBSDINFO} before it counts: a process listed and
 * reaped right after may have its pid given to a stranger, which has another group or another parent. The
 * lookup asks for zombies too (arg 1), whose status is SZOMB, the only dead state; a zombie is no member.
 */
public final class DarwinProcessTable implements ProcessTable {

    /** The pids a first listing has room for; a listing that fills its buffer is made again, twice as large. */
    private static final int FIRST_CAPACITY = 256;

    /** The two libproc calls a table makes, apart so that a scan can be tested on recorded buffers. */
    interface Libproc {
        /** {@code proc_listpids}: the bytes written, 0 on error. */
        int listPids(int type, int typeinfo, Pointer buffer, int bufferSize);

        /** {@code proc_pidinfo(pid, PROC_PIDT_SHORTBSDINFO, 1, ...)}: the bytes written, 0 on error. */
        int shortInfo(int pid, Pointer buffer, int bufferSize);
    }

    public static final Libproc SYSTEM = new Libproc() {
        @Override
        public int listPids(int type, int typeinfo, Pointer buffer, int bufferSize) {
            return SystemB.proc_listpids(type, typeinfo, buffer, bufferSize);
        }

        @Override
        public int shortInfo(int pid, Pointer buffer, int bufferSize) {
            return SystemB.proc_pidinfo(pid, SystemB.PROC_PIDT_SHORTBSDINFO, 1, buffer, bufferSize);
        }
    };

    private final Libproc libproc;
    /** tether's own pid, where the walk for descendants that left the group starts. */
    private final int root;

    public DarwinProcessTable(Libproc libproc, int root) {
        this.libproc = libproc;
        this.root = root;
    }

    /**
     * Not yet on macOS: the groups of escapees in sessions of their own ({@link Scan#outsideGroups()}), and
     * failed listings as {@link Scan#unread()}.
     */
    @Override
    public Scan scan(int excluded, int pgid) {
        List<Integer> inGroup = new ArrayList<>();
        List<Integer> outside = new ArrayList<>();
        List<Integer> exitedChildren = new ArrayList<>();
        Set<Integer> seen = new HashSet<>(List.of(excluded));
        Deque<Integer> parents = new ArrayDeque<>(List.of(root));
        for (int pid : listPids(SystemB.PROC_PGRP_ONLY, pgid)) {
            ShortInfo info = shortInfo(pid);
            if (info != null && info.pgid() == pgid && seen.add(pid) && info.live()) {
                inGroup.add(pid);
                parents.add(pid);
            }
        }
        while (!parents.isEmpty()) {
            int parent = parents.poll();
            for (int child : listPids(SystemB.PROC_PPID_ONLY, parent)) {
                ShortInfo info = seen.contains(child) && parent != root ? null : shortInfo(child);
                if (info != null && info.ppid() == parent && parent == root && !info.live() && child != excluded) {
                    exitedChildren.add(child);
                }
                if (info != null && info.ppid() == parent && seen.add(child) && info.live()) {
                    (info.pgid() == pgid ? inGroup : outside).add(child);
                    parents.add(child);
                }
            }
        }
        return new Scan(toArray(inGroup), toArray(outside), new int[0], toArray(exitedChildren), null, true);
    }

    @Override
    public int[] ownChildren() {
        return listPids(SystemB.PROC_PPID_ONLY, root);
    }

    /** The children of {@code pid}, zombies included. */
    List<Integer> childrenOf(int pid) {
        return Arrays.stream(listPids(SystemB.PROC_PPID_ONLY, pid)).boxed().toList();
    }

    /** Nothing is held. */
    @Override
    public void close() {}

    @Override
    public int parentOf(int pid) {
        ShortInfo info = shortInfo(pid);
        return info == null ? -1 : info.ppid();
    }

    @Override
    public boolean hasOtherMembers(int pgid) {
        for (int pid : listPids(SystemB.PROC_PGRP_ONLY, pgid)) {
            ShortInfo info = pid == root ? null : shortInfo(pid);
            if (info != null && info.pgid() == pgid && info.live()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isStopped(int pid) {
        ShortInfo info = shortInfo(pid);
        return info != null && info.status() == SystemB.SSTOP;
    }

    /**
     * Not looked at: the short info tether reads holds no pending signals. A Ctrl-Z that reached a command
     * stopped for the terminal before tether took the terminal back from it is then lost to the SIGCONT that
     * continues it.
     */
    @Override
    public boolean stopPending(int pid) {
        return false;
    }

    /**
     * No live process listed in the group. Not {@code kill(-pgid, 0)}: xnu's killpg1 (bsd/kern/kern_sig.c)
     * skips zombies and then, as libSystem's kill asks for POSIX behaviour, fails with EPERM when it found no
     * other member, the same error as for live members tether may not signal.
     */
    @Override
    public boolean groupIsEmpty(int pgid) {
        for (int pid : listPids(SystemB.PROC_PGRP_ONLY, pgid)) {
            ShortInfo info = shortInfo(pid);
            if (info != null && info.pgid() == pgid && info.live()) {
                return false;
            }
        }
        return true;
    }

    private int[] listPids(int type, int typeinfo) {
        for (long capacity = FIRST_CAPACITY; ; capacity *= 2) {
            Memory buffer = new Memory(capacity * Integer.BYTES);
            int bytes = libproc.listPids(type, typeinfo, buffer, (int) buffer.size());
            if (bytes < buffer.size()) {
                return pids(buffer.getByteBuffer(0, buffer.size()), bytes);
            }
        }
    }

    private ShortInfo shortInfo(int pid) {
        Memory buffer = new Memory(SystemB.PROC_BSDSHORTINFO_SIZE);
        return shortInfo(buffer.getByteBuffer(0, buffer.size()), libproc.shortInfo(pid, buffer, (int) buffer.size()));
    }

    /**
     * The pids in the first {@code bytes} of a {@code proc_listpids} buffer, an array of pid_t. Never 0, which
     * {@code kill} would take for tether's own group.
     */
    static int[] pids(ByteBuffer buffer, int bytes) {
        ByteBuffer ints = buffer.order(ByteOrder.nativeOrder());
        int[] found = new int[Math.max(0, bytes) / Integer.BYTES];
        int count = 0;
        for (int i = 0; i < found.length; i++) {
            int pid = ints.getInt(i * Integer.BYTES);
            if (pid > 0) {
                found[count++] = pid;
            }
        }
        return Arrays.copyOf(found, count);
    }

    /** The fields of a {@code struct proc_bsdshortinfo} a scan reads. */
    record ShortInfo(int ppid, int pgid, int status) {
        boolean live() {
            return status != SystemB.SZOMB;
        }
    }

    /**
     * The {@code struct proc_bsdshortinfo} at the start of {@code buffer}, or {@code null} if {@code bytes},
     * what {@code proc_pidinfo} returned, is short of it: 0 for a process that is gone (ESRCH).
     */
    static ShortInfo shortInfo(ByteBuffer buffer, int bytes) {
        if (bytes < SystemB.PROC_BSDSHORTINFO_SIZE) {
            return null;
        }
        ByteBuffer fields = buffer.order(ByteOrder.nativeOrder());
        return new ShortInfo(fields.getInt(SystemB.PBSI_PPID_OFFSET), fields.getInt(SystemB.PBSI_PGID_OFFSET),
                fields.getInt(SystemB.PBSI_STATUS_OFFSET));
    }

    private static int[] toArray(List<Integer> pids) {
        return pids.stream().mapToInt(Integer::intValue).toArray();
    }
}
