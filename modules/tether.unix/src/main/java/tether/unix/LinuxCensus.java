package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tether.api.Census;
import tether.api.PathBytes;
import tether.api.PathException;
import tether.api.RunningTether;

/**
 * Tethers found in {@code /proc}: a process whose program is an image's {@code bin/tether} launcher (which
 * runs the JVM inside its own process) is a tether. Its tree is what {@link LinuxProcessTable} walks down
 * from it, less its sentinel; the ports are the tree's own listening sockets, so a server that took the
 * next free port shows the one it took.
 */
final class LinuxCensus implements Census {

    /** The launcher's file name in every image; {@code /usr/bin/tether} of the package links to it. */
    private static final String LAUNCHER = "tether";
    /** An image's launcher has its runtime's module file beside it; another program named tether does not. */
    private static final String IMAGE_MODULES = "/../lib/modules";
    /** How the kernel marks a link to a file that was removed, such as an image replaced by an upgrade. */
    private static final String DELETED = " (deleted)";
    /** {@code st} of a listening socket in {@code /proc/net/tcp}: TCP_LISTEN in the kernel's net/tcp_states.h. */
    private static final String TCP_LISTEN = "0A";
    private static final String SOCKET_PREFIX = "socket:[";

    private final UnixPlatform os = UnixPlatform.current();
    private final int self = (int) ProcessHandle.current().pid();

    @Override
    public List<RunningTether> tethers() throws IOException {
        String[] entries = new File("/proc").list();
        if (entries == null) {
            throw new IOException("cannot list /proc");
        }
        int uid = CLibrary.getuid();
        List<RunningTether> found = new ArrayList<>();
        for (String entry : entries) {
            int pid = pidOf(entry);
            if (pid <= 0 || pid == self || !isTether(pid) || !(uid == 0 || ownerOf(pid) == uid)) {
                continue;
            }
            describe(pid).ifPresent(found::add);
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
        byte[] stat = new byte[512];
        int state = LinuxProcessTable.parse(stat, read("/proc/" + tether.pid() + "/stat", stat), new int[3]);
        return state > 0 && state != 'Z' && state != 'X' && startOf(tether.pid()).equals(Optional.of(tether.started()));
    }

    @Override
    public byte[] canonical(byte[] path) {
        Memory resolved = new Memory(os.pathMax());
        if (CLibrary.realpath(UnixPaths.cString(path), resolved) != null) {
            return resolved.getByteArray(0, (int) resolved.indexOf(0, (byte) 0));
        }
        try {
            return PathBytes.normal(PathBytes.resolve(new UnixPaths().workingDirectory(), path));
        } catch (PathException e) {
            return PathBytes.normal(PathBytes.resolve(new byte[] {'/'}, path));
        }
    }

    /** Whether {@code pid} runs an image's launcher; other users' programs cannot be read unless root. */
    private boolean isTether(int pid) {
        byte[] link = UnixPaths.readLink(UnixPaths.cString(ascii("/proc/" + pid + "/exe")));
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

    private Optional<RunningTether> describe(int pid) {
        Optional<Instant> started = startOf(pid);
        List<byte[]> argv = split(readAll("/proc/" + pid + "/cmdline"));
        byte[] directory = UnixPaths.readLink(UnixPaths.cString(ascii("/proc/" + pid + "/cwd")));
        if (started.isEmpty() || argv.isEmpty() || directory == null) {
            return Optional.empty(); // it ended while it was read
        }
        List<byte[]> environment = split(readAll("/proc/" + pid + "/environ"));
        int[] tree = LinuxProcessTable.descendantsOf(pid, sentinelOf(pid)).allLive();
        return Optional.of(new RunningTether(pid, started.get(), argv.subList(1, argv.size()), environment,
                directory, tree.length, listeningPorts(pid, tree)));
    }

    /** The sentinel among {@code tether}'s children, or 0 if it has none (it ended, or tether is starting). */
    private static int sentinelOf(int tether) {
        for (int child : new LinuxProcessTable().childrenOf(tether)) {
            if (Sentinel.isSentinel(split(readAll("/proc/" + child + "/cmdline")))) {
                return child;
            }
        }
        return 0;
    }

    /** The ports of the TCP sockets (IPv4 and IPv6) in LISTEN state that a process of {@code tree} holds. */
    private static int[] listeningPorts(int tether, int[] tree) {
        Set<String> inodes = new HashSet<>();
        for (int pid : tree) {
            socketInodes(pid, inodes);
        }
        if (inodes.isEmpty()) {
            return new int[0];
        }
        Set<Integer> ports = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            listening("/proc/" + tether + "/net/" + table, inodes, ports);
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void socketInodes(int pid, Set<String> inodes) {
        String[] descriptors = new File("/proc/" + pid + "/fd").list();
        if (descriptors == null) {
            return;
        }
        for (String fd : descriptors) {
            byte[] link = UnixPaths.readLink(UnixPaths.cString(ascii("/proc/" + pid + "/fd/" + fd)));
            String target = link == null ? "" : new String(link, StandardCharsets.ISO_8859_1);
            if (target.startsWith(SOCKET_PREFIX) && target.endsWith("]")) {
                inodes.add(target.substring(SOCKET_PREFIX.length(), target.length() - 1));
            }
        }
    }

    /**
     * Adds the local port of every listening socket of {@code table} whose inode is one of {@code inodes}.
     * A line is {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...}, the
     * address {@code HEXADDR:HEXPORT} (the kernel's net/ipv4/tcp_ipv4.c and net/ipv6/tcp_ipv6.c).
     */
    static void listening(String table, Set<String> inodes, Set<Integer> ports) {
        String text = new String(readAll(table), StandardCharsets.ISO_8859_1);
        for (String line : text.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 10 || !fields[3].equals(TCP_LISTEN) || !inodes.contains(fields[9])) {
                continue;
            }
            int colon = fields[1].lastIndexOf(':');
            ports.add(Integer.parseInt(fields[1].substring(colon + 1), 16));
        }
    }

    /** The real user id of {@code pid}, from the {@code Uid:} line of its status, or -1. */
    private static int ownerOf(int pid) {
        String status = new String(readAll("/proc/" + pid + "/status"), StandardCharsets.ISO_8859_1);
        int at = status.indexOf("\nUid:");
        if (at < 0) {
            return -1;
        }
        String[] fields = status.substring(at + 5).trim().split("\\s+", 2);
        return Integer.parseInt(fields[0]);
    }

    private static Optional<Instant> startOf(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().startInstant());
    }

    private static int pidOf(String entry) {
        for (int i = 0; i < entry.length(); i++) {
            if (entry.charAt(i) < '0' || entry.charAt(i) > '9') {
                return -1;
            }
        }
        return entry.isEmpty() || entry.length() > 9 ? -1 : Integer.parseInt(entry);
    }

    /** NUL-terminated strings, as {@code cmdline} and {@code environ} hold them. */
    static List<byte[]> split(byte[] strings) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < strings.length; i++) {
            if (strings[i] == 0) {
                parts.add(Arrays.copyOfRange(strings, start, i));
                start = i + 1;
            }
        }
        if (start < strings.length) {
            parts.add(Arrays.copyOfRange(strings, start, strings.length));
        }
        return parts;
    }

    /** The whole file, or nothing if it cannot be read (the process ended, or is another user's). */
    private static byte[] readAll(String path) {
        try (FileInputStream in = new FileInputStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static int read(String path, byte[] buffer) {
        try (FileInputStream in = new FileInputStream(path)) {
            return Math.max(0, in.read(buffer));
        } catch (IOException e) {
            return 0;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
