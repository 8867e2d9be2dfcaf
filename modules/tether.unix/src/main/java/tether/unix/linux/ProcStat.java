package tether.unix.linux;

import java.nio.charset.StandardCharsets;

/**
 * The fields of {@code /proc/PID/stat} a listing needs (proc(5)): the process's name, its state, parent,
 * process group, session, controlling terminal and that terminal's foreground group, and its start in clock
 * ticks after boot. Every process's file is readable by every user, so one pass reads them all.
 *
 * @param terminal        the device number of its controlling terminal, 0 without one
 * @param foregroundGroup the foreground process group of that terminal, -1 without one
 */
record ProcStat(String name, char state, int parent, int group, int session, int terminal, int foregroundGroup,
        long startTicks) {

    /** A stat line is about 300 bytes; a command name is at most 15 (TASK_COMM_LEN), each number 20 digits. */
    static final int SIZE = 1024;

    // Indexes into LinuxProcessTable.parse's fields: the state, then proc(5)'s fields from ppid (4th) on.
    private static final int PARENT = 1;
    private static final int GROUP = 2;
    private static final int SESSION = 3;
    private static final int TERMINAL = 4;
    private static final int FOREGROUND_GROUP = 5;
    private static final int START_TIME = 19;

    /** Reads {@code pid}'s line with {@code buffer} ({@link #SIZE} bytes), or {@code null} if it is gone. */
    static ProcStat read(int pid, byte[] buffer) {
        int length = LinuxProcessTable.read("/proc/" + pid + "/stat", buffer, buffer.length);
        long[] fields = new long[START_TIME + 1];
        int state = LinuxProcessTable.parse(buffer, length, fields);
        int open = 0;
        while (open < length && buffer[open] != '(') {
            open++;
        }
        int close = length - 1;
        while (close > open && buffer[close] != ')') {
            close--;
        }
        if (state < 0 || close <= open) {
            return null;
        }
        return new ProcStat(new String(buffer, open + 1, close - open - 1, StandardCharsets.ISO_8859_1), (char) state,
                (int) fields[PARENT], (int) fields[GROUP], (int) fields[SESSION], (int) fields[TERMINAL],
                (int) fields[FOREGROUND_GROUP], fields[START_TIME]);
    }

    boolean isLive() {
        return LinuxProcessTable.isLive(state);
    }

    /** Whether it is in the foreground group of the terminal it has. */
    boolean isInForeground() {
        return terminal != 0 && foregroundGroup == group;
    }
}
