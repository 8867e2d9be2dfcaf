package tether.unix.linux;

import com.sun.jna.Native;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.unix.CLibrary;
import tether.unix.ProcessTable;

/**
 * The process table in {@code /proc}: a process is live unless its state is zombie ({@code Z}) or dead
 * ({@code X}).
 *
 * <p>A scan follows {@code /proc/PID/task/TID/children} down from tether, so it costs what tether's own tree
 * costs, whatever else runs on the machine: tether is a child subreaper, so every live descendant is
 * reachable through live parents. (A process outside tether's tree that joins the group with
 * {@code setpgid} is still signalled with the group, but not waited for.)
 *
 * <p>The files are read with {@code java.io} and one buffer: three times faster here than
 * {@code java.nio.file} streams, and much of it runs before the JIT has compiled it.
 */
public final class LinuxProcessTable implements ProcessTable {

    /** Enough for {@code pid (comm) state ppid pgrp}: a command name is at most 15 bytes. */
    private static final int STAT_PREFIX = 512;
    /** Enough for the children of one thread; a longer list is read on in further chunks. */
    private static final int CHILDREN_CHUNK = 4096;
    private static final int PGRP = 2;

    /**
     * A walk that finds no live process is repeated once before it is believed: the kernel may skip a child
     * in a {@code children} file when a sibling exits while it is read, and two walks in a row would both
     * have to race an exit that way.
     */
    @Override
    public Scan scan(int root, int excluded, int pgid) {
        Reading reading = descendantsOf(root, excluded);
        Scan scan = new Scan(reading.liveInGroup(pgid), reading.liveOutsideGroup(pgid));
        if (scan.inGroup().length + scan.outside().length > 0) {
            return scan;
        }
        reading = descendantsOf(root, excluded);
        return new Scan(reading.liveInGroup(pgid), reading.liveOutsideGroup(pgid));
    }

    @Override
    public boolean isStopped(int pid) {
        byte[] buffer = new byte[STAT_PREFIX];
        return parse(buffer, read("/proc/" + pid + "/stat", buffer, STAT_PREFIX), new long[1]) == 'T';
    }

    /**
     * ESRCH from {@code kill(-pgid, 0)}: the group has no process at all. A group that holds only zombies
     * counts as not empty here (Linux signals them successfully); their parents reap them with the tree.
     */
    @Override
    public boolean groupIsEmpty(int pgid) {
        return CLibrary.kill(-pgid, 0) != 0 && Native.getLastError() == CLibrary.ESRCH;
    }

    /** Neither a zombie nor dead: a stopped process is live. */
    static boolean isLive(int state) {
        return state != 'Z' && state != 'X';
    }

    /**
     * The descendants of {@code root} (which is not itself included), leaving out {@code excluded} and
     * its descendants; {@code root} may be this process, whose threads each have children of their own.
     */
    static Reading descendantsOf(int root, int excluded) {
        Reading reading = new Reading();
        List<Integer> frontier = new ArrayList<>(List.of(root));
        while (!frontier.isEmpty()) {
            int parent = frontier.removeLast();
            for (int child : childrenOf(parent, reading.buffer)) {
                if (child != excluded && reading.add(child)) {
                    frontier.add(child);
                }
            }
        }
        return reading;
    }

    /** One reading of tether's descendants: process ids, process groups and whether each is live. */
    static final class Reading {
        private int[] pids = new int[16];
        private int[] groups = new int[16];
        private boolean[] live = new boolean[16];
        private int size;
        private final byte[] buffer = new byte[Math.max(STAT_PREFIX, CHILDREN_CHUNK)];
        private final long[] fields = new long[PGRP + 1];

        /** The live processes in group {@code pgid}. */
        int[] liveInGroup(int pgid) {
            int[] found = new int[size];
            int count = 0;
            for (int i = 0; i < size; i++) {
                if (live[i] && groups[i] == pgid) {
                    found[count++] = pids[i];
                }
            }
            return Arrays.copyOf(found, count);
        }

        /** The live processes outside group {@code pgid}: in a {@link #descendantsOf} walk, the escapees. */
        int[] liveOutsideGroup(int pgid) {
            int[] found = new int[size];
            int count = 0;
            for (int i = 0; i < size; i++) {
                if (live[i] && groups[i] != pgid) {
                    found[count++] = pids[i];
                }
            }
            return Arrays.copyOf(found, count);
        }

        /** Reads {@code pid}'s stat into the table; false if it exited and was reaped meanwhile. */
        private boolean add(int pid) {
            int state = parse(buffer, read("/proc/" + pid + "/stat", buffer, STAT_PREFIX), fields);
            if (state < 0) {
                return false;
            }
            if (size == pids.length) {
                int capacity = size * 2;
                pids = Arrays.copyOf(pids, capacity);
                groups = Arrays.copyOf(groups, capacity);
                live = Arrays.copyOf(live, capacity);
            }
            pids[size] = pid;
            groups[size] = (int) fields[PGRP];
            live[size] = isLive(state);
            size++;
            return true;
        }
    }

    /** The children of every thread of {@code pid}: a child's parent is the thread that forked it. */
    @Override
    public List<Integer> childrenOf(int pid) {
        return childrenOf(pid, new byte[CHILDREN_CHUNK]);
    }

    private static List<Integer> childrenOf(int pid, byte[] buffer) {
        List<Integer> children = new ArrayList<>();
        String[] threads = new File("/proc/" + pid + "/task").list();
        if (threads == null) {
            return children;
        }
        for (String thread : threads) {
            try (FileInputStream in = new FileInputStream("/proc/" + pid + "/task/" + thread + "/children")) {
                Decimals pids = new Decimals(children);
                int n;
                while ((n = in.read(buffer, 0, CHILDREN_CHUNK)) > 0) {
                    pids.feed(buffer, n);
                }
                pids.end();
            } catch (IOException e) {
                // the thread ended after the listing
            }
        }
        return children;
    }

    /** The number of bytes read, or 0 if the process exited and was reaped after the listing. */
    static int read(String path, byte[] buffer, int length) {
        try (FileInputStream in = new FileInputStream(path)) {
            return Math.max(0, in.read(buffer, 0, length));
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Reads {@code pid (comm) state ppid pgrp ...} (proc(5)) from the first {@code length} bytes of
     * {@code stat}: the state into {@code fields[0]}, and the numbers after it, ppid first, into the rest of
     * {@code fields}, as many as it holds. Returns the state, or -1 if the line is malformed or ends before
     * {@code fields} is full. The command name may hold spaces and parentheses, so the fields are found after
     * the last ')'; a number may be negative (nice).
     */
    static int parse(byte[] stat, int length, long[] fields) {
        int i = length - 1;
        while (i >= 0 && stat[i] != ')') {
            i--;
        }
        if (i < 0 || i + 2 >= length) {
            return -1;
        }
        int field = 0;
        long value = 0;
        boolean negative = false;
        for (int j = i + 4; j < length && field < fields.length - 1; j++) {
            byte b = stat[j];
            if (b == ' ') {
                fields[++field] = negative ? -value : value;
                value = 0;
                negative = false;
            } else if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
            } else if (b == '-' && value == 0 && !negative) {
                negative = true;
            } else {
                return -1;
            }
        }
        fields[0] = stat[i + 2];
        return field == fields.length - 1 ? stat[i + 2] : -1;
    }
}
