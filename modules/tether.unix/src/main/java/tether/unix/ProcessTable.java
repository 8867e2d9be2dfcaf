package tether.unix;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One reading of {@code /proc}: every process's id, parent, process group and whether it is live.
 *
 * <p>{@code kill(-pgid, 0)} cannot tell whether a group is empty: it keeps succeeding while the group's
 * only member is the unreaped zombie leader that tether holds on purpose. A process counts as live
 * unless its state is zombie ({@code Z}) or dead ({@code X}); a stopped process is live.
 *
 * <p>The scan runs every few milliseconds during a teardown, mostly before the JIT has compiled it, so it
 * uses {@code java.io} and one buffer: three times faster here than {@code java.nio.file} streams.
 */
final class ProcessTable {

    /** Enough for {@code pid (comm) state ppid pgrp}: a command name is at most 15 bytes. */
    private static final int STAT_PREFIX = 512;
    private static final int PPID = 1;
    private static final int PGRP = 2;

    private final int[] pids;
    private final int[] parents;
    private final int[] groups;
    private final boolean[] live;
    private final int size;

    private ProcessTable(int[] pids, int[] parents, int[] groups, boolean[] live, int size) {
        this.pids = pids;
        this.parents = parents;
        this.groups = groups;
        this.live = live;
        this.size = size;
    }

    static ProcessTable read() {
        String[] entries = new File("/proc").list();
        if (entries == null) {
            throw new IllegalStateException("cannot list /proc");
        }
        int[] pids = new int[entries.length];
        int[] parents = new int[entries.length];
        int[] groups = new int[entries.length];
        boolean[] live = new boolean[entries.length];
        byte[] buffer = new byte[STAT_PREFIX];
        int size = 0;
        int[] fields = new int[3];
        for (String name : entries) {
            char first = name.charAt(0);
            if (first < '0' || first > '9') {
                continue;
            }
            int length = read("/proc/" + name + "/stat", buffer);
            int state = parse(buffer, length, fields);
            if (state < 0) {
                continue; // exited and reaped after the listing
            }
            pids[size] = Integer.parseInt(name);
            parents[size] = fields[PPID];
            groups[size] = fields[PGRP];
            live[size] = state != 'Z' && state != 'X';
            size++;
        }
        return new ProcessTable(pids, parents, groups, live, size);
    }

    /** How many live processes are in process group {@code pgid}. */
    int liveInGroup(int pgid) {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (live[i] && groups[i] == pgid) {
                count++;
            }
        }
        return count;
    }

    /**
     * The live descendants of {@code ancestor} that are not in group {@code pgid}, leaving out
     * {@code excluded} and its descendants: processes that left the group on purpose ({@code setsid}),
     * and orphans of theirs that were reparented to {@code ancestor}.
     */
    List<Integer> liveDescendantsOutsideGroup(int ancestor, int pgid, int excluded) {
        List<Integer> found = new ArrayList<>();
        List<Integer> frontier = new ArrayList<>(List.of(ancestor));
        boolean[] seen = new boolean[size];
        while (!frontier.isEmpty()) {
            int parent = frontier.removeLast();
            for (int i = 0; i < size; i++) {
                if (!seen[i] && parents[i] == parent && pids[i] != excluded) {
                    seen[i] = true;
                    frontier.add(pids[i]);
                    if (live[i] && groups[i] != pgid) {
                        found.add(pids[i]);
                    }
                }
            }
        }
        return found;
    }

    /** The number of bytes read, or 0 if the process exited and was reaped after the listing. */
    private static int read(String path, byte[] buffer) {
        try (FileInputStream in = new FileInputStream(path)) {
            return Math.max(0, in.read(buffer));
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Reads {@code pid (comm) state ppid pgrp ...} from the first {@code length} bytes of {@code stat}
     * into {@code fields} (state, ppid, pgrp) and returns the state, or -1 if the line is malformed. The
     * command name may hold spaces and parentheses, so the fields are found after the last ')'.
     */
    static int parse(byte[] stat, int length, int[] fields) {
        int i = length - 1;
        while (i >= 0 && stat[i] != ')') {
            i--;
        }
        if (i < 0 || i + 2 >= length) {
            return -1;
        }
        int field = 0;
        int value = 0;
        for (int j = i + 4; j < length && field < 2; j++) {
            byte b = stat[j];
            if (b == ' ') {
                fields[++field] = value;
                value = 0;
            } else if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
            } else {
                return -1;
            }
        }
        fields[0] = stat[i + 2];
        return field == 2 ? stat[i + 2] : -1;
    }
}
