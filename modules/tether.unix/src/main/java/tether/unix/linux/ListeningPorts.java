package tether.unix.linux;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import tether.unix.SocketTable;

/**
 * The TCP ports (IPv4 and IPv6) that a set of processes listens on, read from their own sockets, so that a
 * server that took the next free port shows the one it took: the inodes of the sockets their descriptors hold,
 * looked up in the listening sockets of their network namespace. One instance serves one listing and keeps the
 * sockets of each namespace it was asked about: those of this process's own namespace come from
 * {@link SocketDiag}; those of another (a tether in a container), which a netlink socket here cannot see, from
 * {@code /proc/PID/net/tcp} and {@code tcp6} of a process in it. A readiness poll asks anew each time, with the
 * namespace read once ({@link #ListeningPorts(String)}).
 */
final class ListeningPorts {

    /** {@code st} of a listening socket in {@code /proc/net/tcp}, where states are in hex. */
    private static final String LISTEN_STATE = java.util.HexFormat.of().withUpperCase().toHexDigits((byte) LinuxLibc.TCP_LISTEN);
    // Fields of a line of /proc/net/tcp and tcp6.
    private static final int LOCAL_ADDRESS = 1;
    private static final int STATE = 3;
    private static final int INODE = 9;
    private static final String SOCKET_PREFIX = "socket:[";

    private final String ownNetworkNamespace;
    private final Map<String, Map<String, Integer>> listening = new HashMap<>();

    ListeningPorts() {
        this(ownNetworkNamespace());
    }

    /** {@code ownNetworkNamespace} as {@link #ownNetworkNamespace()} read it, for a caller that asks often. */
    ListeningPorts(String ownNetworkNamespace) {
        this.ownNetworkNamespace = ownNetworkNamespace;
    }

    /** This process's network namespace, as {@code /proc/self/ns/net} names it. */
    static String ownNetworkNamespace() {
        return ProcFiles.linkText("/proc/self/ns/net");
    }

    /** The ports {@code pids} listen on, sorted, each once; their namespace is {@code reference}'s. */
    int[] of(int reference, int[] pids) {
        Set<String> inodes = new HashSet<>();
        for (int pid : pids) {
            socketInodes(pid, inodes);
        }
        if (inodes.isEmpty()) {
            return new int[0];
        }
        String namespace = ProcFiles.linkText("/proc/" + reference + "/ns/net");
        String key = namespace == null ? "pid " + reference : namespace;
        Map<String, Integer> sockets = listening.get(key);
        if (sockets == null) {
            sockets = key.equals(ownNetworkNamespace) ? ownListeningSockets(reference) : procListeningSockets(reference);
            listening.put(key, sockets);
        }
        SortedSet<Integer> ports = new TreeSet<>();
        for (String inode : inodes) {
            Integer port = sockets.get(inode);
            if (port != null) {
                ports.add(port);
            }
        }
        return SocketTable.toArray(ports);
    }

    private static void socketInodes(int pid, Set<String> inodes) {
        String[] descriptors = new File("/proc/" + pid + "/fd").list();
        if (descriptors == null) {
            return;
        }
        for (String fd : descriptors) {
            String target = ProcFiles.linkText("/proc/" + pid + "/fd/" + fd);
            if (target != null && target.startsWith(SOCKET_PREFIX) && target.endsWith("]")) {
                inodes.add(target.substring(SOCKET_PREFIX.length(), target.length() - 1));
            }
        }
    }

    /** sock_diag's answer, or where the kernel has no sock_diag (a module not loaded), {@code /proc}'s. */
    private static Map<String, Integer> ownListeningSockets(int reference) {
        try {
            return SocketDiag.listening();
        } catch (IllegalStateException e) {
            return procListeningSockets(reference);
        }
    }

    private static Map<String, Integer> procListeningSockets(int reference) {
        Map<String, Integer> sockets = new HashMap<>();
        listening("/proc/" + reference + "/net/tcp", sockets);
        listening("/proc/" + reference + "/net/tcp6", sockets);
        return sockets;
    }

    /**
     * Adds the inode and local port of every listening socket of {@code table}. A line is {@code sl
     * local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...}, the address
     * {@code HEXADDR:HEXPORT} (the kernel's net/ipv4/tcp_ipv4.c and net/ipv6/tcp_ipv6.c).
     */
    static void listening(String table, Map<String, Integer> sockets) {
        String text = new String(ProcFiles.readAll(table), StandardCharsets.ISO_8859_1);
        for (String line : text.split("\n")) {
            List<String> fields = ProcFiles.fields(line, INODE + 1);
            if (fields.size() > INODE && fields.get(STATE).equals(LISTEN_STATE)) {
                String address = fields.get(LOCAL_ADDRESS);
                sockets.put(fields.get(INODE), Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16));
            }
        }
    }
}
