package tether.unix.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tether.api.Census;
import tether.api.PathBytes;
import tether.api.RunningTether;
import tether.unix.CLibrary;
import tether.unix.Sentinel;
import tether.unix.UnixPaths;
import tether.unix.UnixPlatform;

/**
 * Tethers found in {@code /proc}: a process whose program is an image's {@code bin/tether} launcher (which
 * runs the JVM inside its own process) is a tether. Its tree is its descendants, less its sentinel (tether
 * is a subreaper, so an orphan of the tree is still one); the ports are the tree's own listening sockets,
 * so a server that took the next free port shows the one it took.
 */
public final class LinuxCensus implements Census {

    /**
     * The launcher's file name in every image ({@code /usr/bin/tether} of the package links to it), and the
     * name it gives its process whatever name it was started by, so that only processes of that name need
     * their program read.
     */
    private static final String LAUNCHER = "tether";
    /** An image's launcher has its runtime's module file beside it; another program named tether does not. */
    private static final String IMAGE_MODULES = "/../lib/modules";
    /** How the kernel marks a link to a file that was removed, such as an image replaced by an upgrade. */
    private static final String DELETED = " (deleted)";
    /** {@code st} of a listening socket in {@code /proc/net/tcp}, where states are in hex. */
    private static final String LISTEN_STATE = java.util.HexFormat.of().withUpperCase().toHexDigits((byte) LinuxLibc.TCP_LISTEN);
    // Fields of a line of /proc/net/tcp and tcp6.
    private static final int LOCAL_ADDRESS = 1;
    private static final int STATE = 3;
    private static final int INODE = 9;
    private static final String SOCKET_PREFIX = "socket:[";
    /** A stat line is about 300 bytes; a command name is at most 15 (TASK_COMM_LEN), each number 20 digits. */
    private static final int STAT_SIZE = 1024;

    private final UnixPlatform os = UnixPlatform.current();
    private final int self = CLibrary.getpid();
    private long bootSeconds;
    private final String ownNetworkNamespace = linkText("/proc/self/ns/net");
    /** USER_HZ, the unit of a start time in {@code /proc/PID/stat}. */
    private final long ticksPerSecond = CLibrary.sysconf(LinuxLibc.SC_CLK_TCK);

    /**
     * One pass over {@code /proc} reads every process's parent, session and start, from which each tether's
     * tree is taken: walking down from each tether instead would read the {@code children} file of each of
     * its JVM's threads, ten times over for ten tethers.
     */
    @Override
    public List<RunningTether> tethers() throws IOException {
        String[] entries = new File("/proc").list();
        if (entries == null) {
            throw new IOException("cannot list /proc");
        }
        int uid = CLibrary.getuid();
        Map<Integer, Stat> table = new HashMap<>();
        Map<Integer, List<Integer>> children = new HashMap<>();
        List<Integer> tethers = new ArrayList<>();
        byte[] buffer = new byte[STAT_SIZE];
        for (String entry : entries) {
            int pid = pidOf(entry);
            Stat stat = pid > 0 ? Stat.read(pid, buffer) : null;
            if (stat == null) {
                continue;
            }
            table.put(pid, stat);
            List<Integer> siblings = children.get(stat.parent());
            if (siblings == null) {
                siblings = new ArrayList<>();
                children.put(stat.parent(), siblings);
            }
            siblings.add(pid);
            if (pid != self && stat.isLive() && stat.name().equals(LAUNCHER) && isTether(pid)
                    && (uid == 0 || ownerOf(pid) == uid)) {
                tethers.add(pid);
            }
        }
        long bootSeconds = bootSeconds();
        Map<String, Map<String, Integer>> listening = new HashMap<>();
        List<RunningTether> found = new ArrayList<>();
        for (int pid : tethers) {
            RunningTether tether = describe(pid, table, children, bootSeconds, listening);
            if (tether != null) {
                found.add(tether);
            }
        }
        return found;
    }

    @Override
    public boolean askToEnd(RunningTether tether) throws IOException {
        if (!isRunning(tether)) {
            return false;
        }
        if (CLibrary.kill((int) tether.pid(), CLibrary.SIGTERM) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == CLibrary.ESRCH) {
            return false;
        }
        throw new IOException(CLibrary.strerror(errno));
    }

    @Override
    public boolean isRunning(RunningTether tether) {
        Stat stat = Stat.read((int) tether.pid(), new byte[STAT_SIZE]);
        try {
            return stat != null && stat.isLive() && stat.started(bootSeconds(), ticksPerSecond).equals(tether.started());
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public byte[] canonical(byte[] path) {
        Memory resolved = new Memory(os.pathMax());
        if (CLibrary.realpath(UnixPaths.cString(path), resolved) != null) {
            return resolved.getByteArray(0, (int) resolved.indexOf(0, (byte) 0));
        }
        return PathBytes.normal(path);
    }

    /** Whether {@code pid} runs an image's launcher; other users' programs cannot be read unless root. */
    private boolean isTether(int pid) {
        byte[] link = link("/proc/" + pid + "/exe");
        if (link == null) {
            return false;
        }
        String program = new String(link, StandardCharsets.ISO_8859_1);
        boolean deleted = program.endsWith(DELETED);
        if (deleted) {
            program = program.substring(0, program.length() - DELETED.length());
        }
        int slash = program.lastIndexOf('/');
        if (!program.substring(slash + 1).equals(LAUNCHER)) {
            return false;
        }
        byte[] modules = (program.substring(0, slash) + IMAGE_MODULES).getBytes(StandardCharsets.ISO_8859_1);
        return deleted || UnixPaths.isRegularFile(modules);
    }

    /** {@code pid} as a running tether, or {@code null} if it ended while it was read. */
    private RunningTether describe(int pid, Map<Integer, Stat> table, Map<Integer, List<Integer>> children,
            long bootSeconds, Map<String, Map<String, Integer>> listening) {
        List<byte[]> argv = ProcSelf.splitOnNul(readAll("/proc/" + pid + "/cmdline"));
        byte[] directory = link("/proc/" + pid + "/cwd");
        if (argv.isEmpty() || directory == null) {
            return null; // it ended while it was read, or has not yet laid out its arguments
        }
        List<byte[]> environment = ProcSelf.splitOnNul(readAll("/proc/" + pid + "/environ"));
        int[] tree = liveDescendants(pid, table, children);
        return new RunningTether(pid, table.get(pid).started(bootSeconds, ticksPerSecond),
                argv.subList(1, argv.size()), environment, directory, tree.length, listeningPorts(pid, tree, listening),
                cgroupOf(pid, table, children));
    }

    /**
     * The cgroup that holds {@code tether}'s tree: its sentinel is given the directory, and the directory
     * exists while the tree has it (a tether that could not make it after all started its tree without).
     */
    private static byte[] cgroupOf(int tether, Map<Integer, Stat> table, Map<Integer, List<Integer>> children) {
        for (int child : children.getOrDefault(tether, List.of())) {
            if (table.get(child).session() == child) {
                List<byte[]> argv = ProcSelf.splitOnNul(readAll("/proc/" + child + "/cmdline"));
                byte[] cgroup = Sentinel.isSentinel(argv) ? Sentinel.cgroupOf(argv) : null;
                if (cgroup != null && UnixPaths.isDirectory(cgroup)) {
                    return cgroup;
                }
            }
        }
        return null;
    }

    /**
     * The live descendants of {@code tether} but its sentinel and what the sentinel runs (its {@code sleep}).
     * The sentinel is the child that leads a session of its own and runs the sentinel's script; an escapee
     * that called setsid leads a session too, so the script decides.
     */
    private static int[] liveDescendants(int tether, Map<Integer, Stat> table, Map<Integer, List<Integer>> children) {
        List<Integer> live = new ArrayList<>();
        List<Integer> frontier = new ArrayList<>(List.of(tether));
        while (!frontier.isEmpty()) {
            int parent = frontier.removeLast();
            for (int child : children.getOrDefault(parent, List.of())) {
                Stat stat = table.get(child);
                if (parent == tether && stat.session() == child
                        && Sentinel.isSentinel(ProcSelf.splitOnNul(readAll("/proc/" + child + "/cmdline")))) {
                    continue;
                }
                if (stat.isLive()) {
                    live.add(child);
                }
                frontier.add(child);
            }
        }
        int[] pids = new int[live.size()];
        for (int i = 0; i < pids.length; i++) {
            pids[i] = live.get(i);
        }
        return pids;
    }

    /**
     * The ports of the TCP sockets (IPv4 and IPv6) in LISTEN state that a process of {@code tree} holds.
     * {@code listening} holds the listening sockets of each network namespace asked so far: those of this
     * process's own namespace come from {@link SocketDiag}; those of another (a tether in a container),
     * which a netlink socket here cannot see, from that tether's {@code /proc/PID/net/tcp} and {@code tcp6}.
     */
    private int[] listeningPorts(int tether, int[] tree, Map<String, Map<String, Integer>> listening) {
        Set<String> inodes = new HashSet<>();
        for (int pid : tree) {
            socketInodes(pid, inodes);
        }
        if (inodes.isEmpty()) {
            return new int[0];
        }
        String namespace = linkText("/proc/" + tether + "/ns/net");
        String key = namespace == null ? "pid " + tether : namespace;
        Map<String, Integer> sockets = listening.get(key);
        if (sockets == null) {
            sockets = key.equals(ownNetworkNamespace) ? ownListeningSockets(tether) : procListeningSockets(tether);
            listening.put(key, sockets);
        }
        Set<Integer> ports = new TreeSet<>();
        for (String inode : inodes) {
            Integer port = sockets.get(inode);
            if (port != null) {
                ports.add(port);
            }
        }
        int[] sorted = new int[ports.size()];
        int n = 0;
        for (int port : ports) {
            sorted[n++] = port;
        }
        return sorted;
    }

    private static void socketInodes(int pid, Set<String> inodes) {
        String[] descriptors = new File("/proc/" + pid + "/fd").list();
        if (descriptors == null) {
            return;
        }
        for (String fd : descriptors) {
            byte[] link = link("/proc/" + pid + "/fd/" + fd);
            String target = link == null ? "" : new String(link, StandardCharsets.ISO_8859_1);
            if (target.startsWith(SOCKET_PREFIX) && target.endsWith("]")) {
                inodes.add(target.substring(SOCKET_PREFIX.length(), target.length() - 1));
            }
        }
    }

    /** sock_diag's answer, or where the kernel has no sock_diag (a module not loaded), {@code /proc}'s. */
    private static Map<String, Integer> ownListeningSockets(int tether) {
        try {
            return SocketDiag.listening();
        } catch (IllegalStateException e) {
            return procListeningSockets(tether);
        }
    }

    private static Map<String, Integer> procListeningSockets(int tether) {
        Map<String, Integer> sockets = new HashMap<>();
        listening("/proc/" + tether + "/net/tcp", sockets);
        listening("/proc/" + tether + "/net/tcp6", sockets);
        return sockets;
    }

    /**
     * Adds the inode and local port of every listening socket of {@code table}. A line is {@code sl
     * local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...}, the address
     * {@code HEXADDR:HEXPORT} (the kernel's net/ipv4/tcp_ipv4.c and net/ipv6/tcp_ipv6.c).
     */
    static void listening(String table, Map<String, Integer> sockets) {
        String text = new String(readAll(table), StandardCharsets.ISO_8859_1);
        for (String line : text.split("\n")) {
            List<String> fields = fields(line, INODE + 1);
            if (fields.size() > INODE && fields.get(STATE).equals(LISTEN_STATE)) {
                String address = fields.get(LOCAL_ADDRESS);
                sockets.put(fields.get(INODE), Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16));
            }
        }
    }

    /**
     * The first {@code count} fields of a line separated by spaces: a hand-written split, since the regular
     * expression one runs interpreted in a JVM that lives for one listing and cost milliseconds a table.
     */
    static List<String> fields(String line, int count) {
        List<String> fields = new ArrayList<>(count);
        int i = 0;
        while (fields.size() < count) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            if (i == line.length()) {
                break;
            }
            int start = i;
            while (i < line.length() && line.charAt(i) != ' ') {
                i++;
            }
            fields.add(line.substring(start, i));
        }
        return fields;
    }

    /** The real user id of {@code pid}, from the {@code Uid:} line of its status, or -1. */
    private static int ownerOf(int pid) {
        String status = new String(readAll("/proc/" + pid + "/status"), StandardCharsets.ISO_8859_1);
        int at = status.indexOf("\nUid:");
        if (at < 0) {
            return -1;
        }
        return Integer.parseInt(fields(status.substring(at + 5).replace('\t', ' '), 1).getFirst());
    }

    /** Read once: {@code --stop} asks {@link #isRunning} every 10 ms, and the kernel builds /proc/stat anew. */
    private long bootSeconds() throws IOException {
        if (bootSeconds == 0) {
            bootSeconds = bootTime();
        }
        return bootSeconds;
    }

    /** When the system booted, in seconds since the epoch: the {@code btime} line of {@code /proc/stat}. */
    static long bootTime() throws IOException {
        String stat = new String(readAll("/proc/stat"), StandardCharsets.ISO_8859_1);
        int at = stat.indexOf("\nbtime ");
        if (at < 0) {
            throw new IOException("/proc/stat has no btime");
        }
        int end = stat.indexOf('\n', at + 1);
        return Long.parseLong(stat.substring(at + 7, end < 0 ? stat.length() : end).trim());
    }

    /**
     * The fields of {@code /proc/PID/stat} a census needs (proc(5)): the process's name, its state, parent
     * and session, and its start in clock ticks after boot. The command name may hold spaces and parentheses, so the fields
     * are counted from the last ')'.
     */
    record Stat(String name, char state, int parent, int session, long startTicks) {

        // Indexes into LinuxProcessTable.parse's fields: the state, then proc(5)'s fields from ppid (4th) on.
        private static final int PARENT = 1;
        private static final int SESSION = 3;
        private static final int START_TIME = 19;

        /** Reads {@code pid}'s line with {@code buffer}, as bytes: a census reads every process's. */
        static Stat read(int pid, byte[] buffer) {
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
            return new Stat(new String(buffer, open + 1, close - open - 1, StandardCharsets.ISO_8859_1), (char) state,
                    (int) fields[PARENT], (int) fields[SESSION], fields[START_TIME]);
        }

        boolean isLive() {
            return LinuxProcessTable.isLive(state);
        }

        Instant started(long bootSeconds, long ticksPerSecond) {
            return Instant.ofEpochSecond(bootSeconds).plusNanos(startTicks * 1_000_000_000L / ticksPerSecond);
        }
    }

    private static int pidOf(String entry) {
        for (int i = 0; i < entry.length(); i++) {
            if (entry.charAt(i) < '0' || entry.charAt(i) > '9') {
                return -1;
            }
        }
        return entry.isEmpty() || entry.length() > 9 ? -1 : Integer.parseInt(entry);
    }

    /** The whole file, or nothing if it cannot be read (the process ended, or is another user's). */
    private static byte[] readAll(String path) {
        try (FileInputStream in = new FileInputStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The target of the symbolic link at {@code path}, as bytes, or {@code null} if it cannot be read. */
    private static byte[] link(String path) {
        return UnixPaths.readLink(UnixPaths.cString(ascii(path)));
    }

    private static String linkText(String path) {
        byte[] target = link(path);
        return target == null ? null : new String(target, StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
