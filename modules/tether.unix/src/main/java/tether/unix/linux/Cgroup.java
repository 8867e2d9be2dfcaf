package tether.unix.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.api.PathBytes;
import tether.unix.CLibrary;
import tether.unix.UnixPaths;

/**
 * The cgroup (cgroup v2) that holds one tether's tree: a directory of its own, made before COMMAND starts
 * and removed once the tree is gone. Every process born in it stays in it whatever it does with sessions
 * and parents, so its members are read from {@code cgroup.procs} rather than found through ancestry,
 * {@code cgroup.kill} (Linux 5.14) SIGKILLs all of them at once, a process in the middle of a fork
 * included, and {@code cgroup.events} says when the last one is gone.
 *
 * <p>The directory is {@code tether-PID-START} (tether's pid and start time in clock ticks after boot),
 * so that a leftover of a tether long gone cannot stand in a new one's way, and a cgroup a tether made is
 * known by its name. tether is never a member: the kill and the emptiness are the tree's alone (and
 * cgroup v2 lets a cgroup without enabled controllers hold processes beside child cgroups, so tether's own
 * cgroup can hold both tether and this one). A process of the tree may make cgroups inside this one (a
 * tether run by COMMAND does); they count as the tree, and are removed with it.
 *
 * <p>Paths are bytes, as the kernel names them in {@code /proc/self/cgroup} and the mount table, handled
 * through libc.
 */
public final class Cgroup {

    /** What every cgroup a tether makes is named with, before its pid and start. */
    static final String PREFIX = "tether-";
    private static final byte[] PROCS = bytes("cgroup.procs");
    private static final byte[] EVENTS = bytes("cgroup.events");
    private static final byte[] KILL = bytes("cgroup.kill");
    private static final byte[] POPULATED = bytes("populated 1");
    /** A cgroup's files are small: cgroup.events is two lines, cgroup.procs grows in steps of this. */
    private static final int READ_CHUNK = 4096;
    /** Owner rwx, others rx: what mkdir(1) gives, and what a cgroup made by systemd has. */
    private static final int MODE = 0755;

    private final byte[] path;
    private int events = -1;
    private int kill = -1;
    private int wake = -1;

    private Cgroup(byte[] path) {
        this.path = path;
    }

    /** The cgroup this tether makes for its tree inside {@code parent}, a cgroup directory; not yet made. */
    public static Cgroup inside(byte[] parent) {
        return new Cgroup(PathBytes.resolve(parent, bytes(name(CLibrary.getpid(), ownStartTicks()))));
    }

    /**
     * A cgroup that exists, as another tether's sentinel names it, for its members only: its descriptors are
     * never opened.
     */
    public static Cgroup at(byte[] path) {
        return new Cgroup(path);
    }

    /** The name of the cgroup of tether {@code pid} started {@code startTicks} after boot. */
    static String name(int pid, long startTicks) {
        return PREFIX + pid + "-" + startTicks;
    }

    /** Whether {@code component}, one name of a cgroup path, is a cgroup a tether made. */
    static boolean isTethers(byte[] component) {
        return tetherOf(component) >= 0;
    }

    /** The pid of the tether that made {@code component}, one name of a cgroup path; -1 if no tether made it. */
    static long tetherOf(byte[] component) {
        String name = new String(component, StandardCharsets.ISO_8859_1);
        int dash = name.indexOf('-', PREFIX.length());
        boolean tethers = name.startsWith(PREFIX) && dash > PREFIX.length() && dash < name.length() - 1
                && dash - PREFIX.length() <= 18 && digits(name, PREFIX.length(), dash)
                && digits(name, dash + 1, name.length());
        return tethers ? Long.parseLong(name.substring(PREFIX.length(), dash)) : -1;
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The directory, absolute, as the file system names it. */
    public byte[] path() {
        return path;
    }

    /**
     * Makes the directory and opens what the teardown waits on and kills with, before COMMAND starts: a tree
     * that later uses up tether's descriptors cannot keep the teardown from either. A kernel before 5.14 makes
     * a cgroup without {@code cgroup.kill}; that one is removed again, since without it a tree that forks
     * faster than it is signalled could outrun the teardown.
     *
     * @throws IOException saying what could not be done and the OS's reason
     */
    public void create() throws IOException {
        if (LinuxLibc.mkdir(UnixPaths.cString(path), MODE) != 0) {
            throw new IOException("cannot make " + shown(path) + ": " + CLibrary.lastError());
        }
        try {
            kill = CLibrary.open(UnixPaths.cString(file(KILL)), CLibrary.O_WRONLY | LinuxLibc.O_CLOEXEC, 0);
            if (kill < 0) {
                throw new IOException(Native.getLastError() == CLibrary.ENOENT
                        ? "the kernel has no cgroup.kill (Linux 5.14 and later have it)"
                        : "cannot use " + shown(file(KILL)) + ": " + CLibrary.lastError());
            }
            events = open(file(EVENTS));
            wake = LinuxLibc.eventfd(0, LinuxLibc.EFD_CLOEXEC | LinuxLibc.EFD_NONBLOCK);
            if (wake < 0) {
                throw new IOException("eventfd: " + CLibrary.lastError());
            }
        } catch (IOException e) {
            remove();
            throw e;
        }
    }

    /** Every live process of the tree, in this cgroup and the cgroups made inside it; zombies are not listed. */
    public int[] members() {
        List<Integer> pids = new ArrayList<>();
        for (byte[] directory : directories()) {
            readPids(PathBytes.resolve(directory, PROCS), pids);
        }
        int[] members = new int[pids.size()];
        for (int i = 0; i < members.length; i++) {
            members[i] = pids.get(i);
        }
        return members;
    }

    /** {@code pids} and, after them, the {@link #members} that {@code pids} does not hold. */
    public int[] withMembers(int[] pids) {
        int[] members = members();
        int[] all = Arrays.copyOf(pids, pids.length + members.length);
        int count = pids.length;
        for (int member : members) {
            boolean known = false;
            for (int pid : pids) {
                known |= pid == member;
            }
            if (!known) {
                all[count++] = member;
            }
        }
        return Arrays.copyOf(all, count);
    }

    /**
     * Whether a live process is left, from {@code populated} in {@code cgroup.events}, which counts the
     * cgroups inside too. Reading it also re-arms the notification {@link #awaitChange} waits for.
     */
    public boolean isPopulated() {
        byte[] buffer = new byte[READ_CHUNK];
        long n = LinuxLibc.pread(events, buffer, buffer.length, 0);
        // Unreadable: as if populated, so that the teardown goes on to SIGKILL and its scans decide.
        return n <= 0 || indexOf(buffer, (int) n, POPULATED) >= 0;
    }

    /**
     * SIGKILL to every process of the tree at once, through the {@code cgroup.kill} {@link #create} opened;
     * whether the kernel took the request.
     */
    public synchronized boolean killAll() {
        byte[] one = {'1'};
        return kill >= 0 && CLibrary.write(kill, one, 1) == 1;
    }

    /**
     * Waits until {@code cgroup.events} changes (the tree emptied), {@link #wake} is called, or {@code timeout}
     * passed: poll(2) on the file, which the kernel wakes with POLLPRI, not a timer.
     */
    public void awaitChange(Duration timeout) {
        Memory fds = new Memory(2L * LinuxLibc.POLLFD_SIZE);
        fds.clear();
        fds.setInt(0, events);
        fds.setShort(LinuxLibc.POLLFD_EVENTS_OFFSET, LinuxLibc.POLLPRI);
        fds.setInt(LinuxLibc.POLLFD_SIZE, wake);
        fds.setShort(LinuxLibc.POLLFD_SIZE + LinuxLibc.POLLFD_EVENTS_OFFSET, LinuxLibc.POLLIN);
        long millis = Math.max(0, (timeout.toNanos() + 999_999) / 1_000_000);
        LinuxLibc.poll(fds, 2, (int) Math.min(Integer.MAX_VALUE, millis));
        byte[] count = new byte[Long.BYTES];
        CLibrary.read(wake, count, count.length);
    }

    /**
     * Ends a current or the next {@link #awaitChange} early: something else changed, such as a child's exit.
     * Called on tether's signal thread, so it never writes to a descriptor {@link #remove} closed (and the OS
     * may have given to another file).
     */
    public synchronized void wake() {
        if (wake >= 0) {
            byte[] one = new byte[Long.BYTES];
            one[0] = 1;
            // An eventfd's counter is a native-endian 64-bit number; only whether it is 0 matters here.
            CLibrary.write(wake, one, one.length);
        }
    }

    /**
     * Removes the directory, the cgroups made inside it first; an empty cgroup can be removed while a
     * zombie of it waits for its parent. Returns the OS's reason it could not, or {@code null}.
     */
    public String remove() {
        synchronized (this) {
            if (events >= 0) {
                CLibrary.close(events);
                events = -1;
            }
            if (kill >= 0) {
                CLibrary.close(kill);
                kill = -1;
            }
            if (wake >= 0) {
                CLibrary.close(wake);
                wake = -1;
            }
        }
        List<byte[]> directories = directories();
        String failed = null;
        for (int i = directories.size() - 1; i >= 0; i--) {
            if (LinuxLibc.rmdir(UnixPaths.cString(directories.get(i))) != 0 && Native.getLastError() != CLibrary.ENOENT) {
                failed = "cannot remove " + shown(directories.get(i)) + ": " + CLibrary.lastError();
            }
        }
        return failed;
    }

    /** This cgroup and every cgroup inside it, each before those inside it. */
    private List<byte[]> directories() {
        List<byte[]> found = new ArrayList<>();
        if (UnixPaths.isRegularFile(file(PROCS))) {
            found.add(path);
        }
        for (int i = 0; i < found.size(); i++) {
            found.addAll(subdirectories(found.get(i)));
        }
        return found;
    }

    private static List<byte[]> subdirectories(byte[] directory) {
        List<byte[]> found = new ArrayList<>();
        Pointer stream = LinuxLibc.opendir(UnixPaths.cString(directory));
        if (stream == null) {
            return found;
        }
        try {
            Pointer entry;
            while ((entry = LinuxLibc.readdir(stream)) != null) {
                // indexOf counts from the offset it is given.
                byte[] name = entry.getByteArray(LinuxLibc.DIRENT_NAME_OFFSET,
                        (int) entry.indexOf(LinuxLibc.DIRENT_NAME_OFFSET, (byte) 0));
                boolean dot = Arrays.equals(name, bytes(".")) || Arrays.equals(name, bytes(".."));
                if (!dot && entry.getByte(LinuxLibc.DIRENT_TYPE_OFFSET) == LinuxLibc.DT_DIR) {
                    found.add(PathBytes.resolve(directory, name));
                }
            }
        } finally {
            LinuxLibc.closedir(stream);
        }
        return found;
    }

    private byte[] file(byte[] name) {
        return PathBytes.resolve(path, name);
    }

    /** The pids of a {@code cgroup.procs}, one decimal number a line; none if it cannot be read. */
    private static void readPids(byte[] procs, List<Integer> pids) {
        int fd = CLibrary.open(UnixPaths.cString(procs), CLibrary.O_RDONLY | LinuxLibc.O_CLOEXEC, 0);
        if (fd < 0) {
            return;
        }
        try {
            byte[] buffer = new byte[READ_CHUNK];
            Decimals numbers = new Decimals(pids::add);
            long n;
            while ((n = CLibrary.read(fd, buffer, buffer.length)) > 0) {
                numbers.feed(buffer, (int) n);
            }
            numbers.end();
        } finally {
            CLibrary.close(fd);
        }
    }

    private static int open(byte[] file) throws IOException {
        int fd = CLibrary.open(UnixPaths.cString(file), CLibrary.O_RDONLY | LinuxLibc.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot open " + shown(file) + ": " + CLibrary.lastError());
        }
        return fd;
    }

    /** tether's start in clock ticks after boot: field 22 of {@code /proc/self/stat} (proc(5)). */
    static long ownStartTicks() {
        byte[] stat = new byte[1024];
        int length = LinuxProcessTable.read("/proc/self/stat", stat, stat.length);
        // parse puts the state first and then the fields from ppid (the 4th) on: starttime is the 19th of those.
        long[] fields = new long[20];
        if (LinuxProcessTable.parse(stat, length, fields) < 0) {
            throw new IllegalStateException("cannot read /proc/self/stat");
        }
        return fields[19];
    }

    private static int indexOf(byte[] text, int length, byte[] wanted) {
        outer:
        for (int i = 0; i + wanted.length <= length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (text[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String shown(byte[] path) {
        return tether.api.Printable.of(path);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
