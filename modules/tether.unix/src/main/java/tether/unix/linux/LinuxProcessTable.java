package tether.unix.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tether.api.SpawnException;
import tether.unix.CLibrary;
import tether.unix.ProcessTable;
import tether.unix.UnixPaths;

/**
 * The process table in {@code /proc}: a process is live unless its state is zombie ({@code Z}) or dead
 * ({@code X}).
 *
 * <p>A scan starts at tether's own children and follows {@code /proc/PID/task/TID/children} down from them,
 * so it costs what tether's own tree costs, whatever else runs on the machine: tether is a child subreaper,
 * so every live descendant hangs from it through live parents. (A process outside tether's tree that joins
 * the group with {@code setpgid} is still signalled with the group, but not waited for.)
 *
 * <p>tether's own children are what proves the tree empty, so they are found without opening anything:
 * their {@code children} files, one per thread of tether (a child's parent is the thread that forked it,
 * an orphan's the main thread), are opened when the table is made, before the command starts, and read
 * again from their start each time; whether a child exited comes from {@code waitid(WNOWAIT)}, its group
 * and session from {@code getpgid} and {@code getsid}. tether forks only from threads that exist by then.
 * Deeper down, every read opens a file of {@code /proc}; one that fails for another reason than the process
 * being gone (no descriptor left, {@code ENFILE}) makes the scan {@link Scan#unread() incomplete}, never
 * empty.
 *
 * <p>The files are read with {@code java.io} and one buffer: three times faster here than
 * {@code java.nio.file} streams, and much of it runs before the JIT has compiled it.
 */
public final class LinuxProcessTable implements ProcessTable {

    /** Enough for {@code pid (comm) state ppid pgrp session}: a command name is at most 15 bytes. */
    private static final int STAT_PREFIX = 512;
    /** More than the lines of {@code /proc/PID/status} up to {@code ShdPnd}, which is among the first 40. */
    private static final int STATUS_PREFIX = 4096;
    private static final String SHARED_PENDING = "\nShdPnd:";
    /** Enough for the children of one thread; a longer list is read on in further chunks. */
    private static final int CHILDREN_CHUNK = 4096;
    // Indexes into parse's fields: the state, then proc(5)'s fields from ppid (4th) on.
    private static final int PGRP = 2;
    private static final int SESSION = 3;

    /** One per thread of tether when the table was made: {@code /proc/self/task/TID/children}. */
    private final int[] ownChildrenFiles;
    private final int ownSession;
    private final byte[] ownChildrenBuffer = new byte[CHILDREN_CHUNK];
    private final Memory exitInfo = new Memory(LinuxLibc.SIGINFO_SIZE);

    private LinuxProcessTable(int[] ownChildrenFiles, int ownSession) {
        this.ownChildrenFiles = ownChildrenFiles;
        this.ownSession = ownSession;
    }

    /** Opens the {@code children} file of every thread of tether. */
    public static LinuxProcessTable open() throws SpawnException {
        String[] threads = new File("/proc/self/task").list();
        if (threads == null) {
            throw new SpawnException(SpawnException.Reason.FAILED, "cannot list /proc/self/task");
        }
        int[] files = new int[threads.length];
        int count = 0;
        for (String thread : threads) {
            String path = "/proc/self/task/" + thread + "/children";
            int fd = CLibrary.open(UnixPaths.cString(path.getBytes(StandardCharsets.US_ASCII)),
                    CLibrary.O_RDONLY | LinuxLibc.O_CLOEXEC, 0);
            if (fd >= 0) {
                files[count++] = fd;
            } else if (Native.getLastError() != CLibrary.ENOENT) {
                int errno = Native.getLastError();
                for (int i = 0; i < count; i++) {
                    CLibrary.close(files[i]);
                }
                throw new SpawnException(SpawnException.Reason.FAILED,
                        "cannot open " + path + ": " + CLibrary.strerror(errno));
            }
            // ENOENT: the thread ended after the listing, and has no children to hand on.
        }
        return new LinuxProcessTable(Arrays.copyOf(files, count), CLibrary.getsid(0));
    }

    @Override
    public Scan scan(int excluded, int pgid) {
        Reading reading = new Reading();
        Pids children = new Pids();
        reading.unread = readOwnChildren(children);
        boolean childrenRead = reading.unread == null;
        Pids frontier = new Pids();
        for (int i = 0; i < children.size; i++) {
            int child = children.pids[i];
            if (child != excluded && reading.addOwnChild(child, hasExited(child))) {
                frontier.add(child);
            }
        }
        while (frontier.size > 0) {
            int parent = frontier.pids[--frontier.size];
            for (int child : reading.childrenOf(parent)) {
                if (reading.add(child)) {
                    frontier.add(child);
                }
            }
        }
        return new Scan(reading.liveInGroup(pgid), reading.liveOutsideGroup(pgid),
                reading.groupsOfOtherSessions(pgid, ownSession), reading.exitedChildren.toArray(), reading.unread,
                childrenRead);
    }

    @Override
    public int[] ownChildren() {
        Pids children = new Pids();
        readOwnChildren(children);
        return children.toArray();
    }

    @Override
    public boolean isStopped(int pid) {
        byte[] buffer = new byte[STAT_PREFIX];
        return parse(buffer, read("/proc/" + pid + "/stat", buffer, STAT_PREFIX), new long[1]) == 'T';
    }

    /** The shared pending set (proc(5)'s {@code ShdPnd}): a terminal's or a {@code killpg}'s signals wait there. */
    @Override
    public boolean stopPending(int pid) {
        byte[] buffer = new byte[STATUS_PREFIX];
        long pending = sharedPending(buffer, read("/proc/" + pid + "/status", buffer, STATUS_PREFIX));
        return (pending & (signalBit(LinuxLibc.SIGTSTP) | signalBit(LinuxLibc.SIGSTOP))) != 0;
    }

    /** Signal n is bit n - 1 of the masks proc(5) shows in hexadecimal. */
    private static long signalBit(int signal) {
        return 1L << (signal - 1);
    }

    /**
     * The {@code ShdPnd} mask of the first {@code length} bytes of a {@code /proc/PID/status}: its first 64
     * signals, which hold every stop signal; 0 if the line is not there (the process is gone).
     */
    static long sharedPending(byte[] status, int length) {
        String text = new String(status, 0, length, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(SHARED_PENDING);
        if (at < 0) {
            return 0;
        }
        int start = at + SHARED_PENDING.length();
        int end = text.indexOf('\n', start);
        String mask = text.substring(start, end < 0 ? text.length() : end).strip();
        try {
            // The mask is 16 hexadecimal digits for 64 signals; the low 64 bits are the last 16 digits.
            return Long.parseUnsignedLong(mask.substring(Math.max(0, mask.length() - 16)), 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public int parentOf(int pid) {
        byte[] buffer = new byte[STAT_PREFIX];
        long[] fields = new long[PGRP + 1];
        return parse(buffer, read("/proc/" + pid + "/stat", buffer, STAT_PREFIX), fields) < 0 ? -1 : (int) fields[1];
    }

    /** One pass over every process's stat line: Linux lists no group's members by themselves. */
    @Override
    public boolean hasOtherMembers(int pgid) {
        String[] entries = new File("/proc").list();
        if (entries == null) {
            return false;
        }
        int self = CLibrary.getpid();
        byte[] buffer = new byte[STAT_PREFIX];
        long[] fields = new long[PGRP + 1];
        for (String entry : entries) {
            if (entry.isEmpty() || entry.charAt(0) < '0' || entry.charAt(0) > '9' || entry.equals(Integer.toString(self))) {
                continue;
            }
            int state = parse(buffer, read("/proc/" + entry + "/stat", buffer, STAT_PREFIX), fields);
            if (state > 0 && isLive(state) && fields[PGRP] == pgid) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        for (int fd : ownChildrenFiles) {
            CLibrary.close(fd);
        }
    }

    /**
     * Adds tether's children to {@code children}, from the files opened with the table, each read again
     * from its start (the kernel writes it anew then). Returns what could not be read, or {@code null}.
     */
    private String readOwnChildren(Pids children) {
        String unread = null;
        for (int fd : ownChildrenFiles) {
            Decimals parser = new Decimals(children::add);
            long offset = 0;
            while (true) {
                long n = LinuxLibc.pread(fd, ownChildrenBuffer, CHILDREN_CHUNK, offset);
                if (n <= 0) {
                    // ESRCH: the thread ended; its children went to another thread of tether.
                    if (n < 0 && Native.getLastError() != CLibrary.ESRCH && unread == null) {
                        unread = "cannot read tether's children: " + CLibrary.lastError();
                    }
                    break;
                }
                parser.feed(ownChildrenBuffer, (int) n);
                offset += n;
            }
            parser.end();
        }
        return unread;
    }

    /**
     * Whether tether's child {@code pid} has exited (and is a zombie), asked without reaping it: 1 if it
     * has, 0 if it has not, -1 if it is no child of tether's any more (reaped meanwhile).
     */
    private int hasExited(int pid) {
        exitInfo.setInt(LinuxLibc.SIGINFO_PID_OFFSET, 0);
        if (CLibrary.waitid(CLibrary.P_PID, pid, exitInfo, CLibrary.WEXITED | CLibrary.WNOHANG | LinuxLibc.WNOWAIT) != 0) {
            return -1;
        }
        return exitInfo.getInt(LinuxLibc.SIGINFO_PID_OFFSET) == pid ? 1 : 0;
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

    /** A growable list of pids. */
    private static final class Pids {
        int[] pids = new int[16];
        int size;

        void add(int pid) {
            if (size == pids.length) {
                pids = Arrays.copyOf(pids, size * 2);
            }
            pids[size++] = pid;
        }

        boolean contains(int pid) {
            for (int i = 0; i < size; i++) {
                if (pids[i] == pid) {
                    return true;
                }
            }
            return false;
        }

        int[] toArray() {
            return Arrays.copyOf(pids, size);
        }
    }

    /** One reading of tether's descendants: process ids, groups, sessions and whether each is live. */
    static final class Reading {
        private int[] pids = new int[16];
        private int[] groups = new int[16];
        private int[] sessions = new int[16];
        private boolean[] live = new boolean[16];
        private int size;
        final Pids exitedChildren = new Pids();
        /** The first read that failed for another reason than its process being gone, or {@code null}. */
        String unread;
        private final byte[] buffer = new byte[Math.max(STAT_PREFIX, CHILDREN_CHUNK)];
        private final long[] fields = new long[SESSION + 1];

        /**
         * Adds tether's child {@code pid}, whose state {@link #hasExited} gave; returns whether it is live.
         * Its group and session come from the kernel directly: no file needs opening for tether's children.
         */
        boolean addOwnChild(int pid, int exited) {
            if (exited < 0) {
                return false;
            }
            int group = CLibrary.getpgid(pid);
            int session = CLibrary.getsid(pid);
            if (exited > 0) {
                exitedChildren.add(pid);
            }
            if (group < 0 || session < 0) {
                return false;
            }
            append(pid, group, session, exited == 0);
            return exited == 0;
        }

        /**
         * Reads {@code pid}'s stat into the table; returns whether it is live and its children are to be
         * read. A process that is gone is no error; a file that cannot be read for another reason is.
         */
        boolean add(int pid) {
            String path = "/proc/" + pid + "/stat";
            int state;
            try {
                state = parse(buffer, readOrThrow(path, buffer, STAT_PREFIX), fields);
            } catch (IOException e) {
                noteUnreadable(e, "/proc/" + pid);
                return false;
            }
            if (state < 0) {
                return false;
            }
            append(pid, (int) fields[PGRP], (int) fields[SESSION], isLive(state));
            return isLive(state);
        }

        private void append(int pid, int group, int session, boolean isLive) {
            if (size == pids.length) {
                int capacity = size * 2;
                pids = Arrays.copyOf(pids, capacity);
                groups = Arrays.copyOf(groups, capacity);
                sessions = Arrays.copyOf(sessions, capacity);
                live = Arrays.copyOf(live, capacity);
            }
            pids[size] = pid;
            groups[size] = group;
            sessions[size] = session;
            live[size] = isLive;
            size++;
        }

        /** The children of every thread of {@code pid}: a child's parent is the thread that forked it. */
        int[] childrenOf(int pid) {
            Pids children = new Pids();
            String task = "/proc/" + pid + "/task";
            String[] threads = new File(task).list();
            if (threads == null) {
                if (new File(task).exists()) {
                    noteUnreadable(whyUnlisted(task));
                }
                return children.toArray();
            }
            for (String thread : threads) {
                String path = task + "/" + thread + "/children";
                Decimals parser = new Decimals(children::add);
                try (FileInputStream in = new FileInputStream(path)) {
                    int n;
                    while ((n = in.read(buffer, 0, CHILDREN_CHUNK)) > 0) {
                        parser.feed(buffer, n);
                    }
                } catch (IOException e) {
                    noteUnreadable(e, task + "/" + thread);
                }
                parser.end();
            }
            return children.toArray();
        }

        /**
         * {@code File.list} says only that a listing failed; asked again through {@code java.nio}, which
         * tether's scans otherwise do without, the OS gives its reason.
         */
        private static String whyUnlisted(String directory) {
            try (java.nio.file.DirectoryStream<java.nio.file.Path> listing =
                    java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of(directory))) {
                return "cannot list " + directory;
            } catch (IOException | RuntimeException e) {
                return "cannot list " + e.getMessage();
            }
        }

        /** A read that failed: no error if {@code owner}, the process or thread it is about, is gone. */
        private void noteUnreadable(IOException e, String owner) {
            if (new File(owner).exists()) {
                noteUnreadable("cannot read " + pathAndReason(e.getMessage()));
            }
        }

        /**
         * {@code java.io}'s "PATH (REASON)" as tether's messages put it, "PATH: REASON" (the reason in
         * parentheses would read as advice); another wording is kept as it is.
         */
        static String pathAndReason(String message) {
            int open = message.lastIndexOf(" (");
            return open < 0 || !message.endsWith(")") ? message
                    : message.substring(0, open) + ": " + message.substring(open + 2, message.length() - 1);
        }

        private void noteUnreadable(String what) {
            if (unread == null) {
                unread = what;
            }
        }

        /** The live processes in group {@code pgid}. */
        int[] liveInGroup(int pgid) {
            Pids found = new Pids();
            for (int i = 0; i < size; i++) {
                if (live[i] && groups[i] == pgid) {
                    found.add(pids[i]);
                }
            }
            return found.toArray();
        }

        /** The live processes outside group {@code pgid}: the escapees. */
        int[] liveOutsideGroup(int pgid) {
            Pids found = new Pids();
            for (int i = 0; i < size; i++) {
                if (live[i] && groups[i] != pgid) {
                    found.add(pids[i]);
                }
            }
            return found.toArray();
        }

        /**
         * The groups outside {@code pgid} of processes in sessions other than {@code ownSession}, tether's:
         * a descendant's session that is not tether's was started by a descendant (setsid), and only its
         * descendants can be in it. (A group in tether's own session may hold the shell that runs tether.)
         */
        int[] groupsOfOtherSessions(int pgid, int ownSession) {
            Pids found = new Pids();
            for (int i = 0; i < size; i++) {
                if (groups[i] != pgid && groups[i] > 0 && sessions[i] != ownSession && !found.contains(groups[i])) {
                    found.add(groups[i]);
                }
            }
            return found.toArray();
        }
    }

    /** The number of bytes read, or 0 if the file cannot be read (the process exited and was reaped). */
    static int read(String path, byte[] buffer, int length) {
        try {
            return readOrThrow(path, buffer, length);
        } catch (IOException e) {
            return 0;
        }
    }

    private static int readOrThrow(String path, byte[] buffer, int length) throws IOException {
        try (FileInputStream in = new FileInputStream(path)) {
            return Math.max(0, in.read(buffer, 0, length));
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
