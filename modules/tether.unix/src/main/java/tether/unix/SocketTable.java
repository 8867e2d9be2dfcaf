package tether.unix;

import tether.unix.darwin.DarwinSocketTable;
import tether.unix.linux.LinuxSocketTable;

/** How one system tells which TCP ports a set of processes listens on, from their own sockets. */
public interface SocketTable {

    /** The ports the sockets of {@code pids} listen on, IPv4 and IPv6, sorted, each once. */
    int[] listeningPorts(int[] pids);

    /** {@code ports}, which a sorted set keeps in order and each once, as the array the tables answer with. */
    static int[] toArray(java.util.SortedSet<Integer> ports) {
        int[] sorted = new int[ports.size()];
        int n = 0;
        for (int port : ports) {
            sorted[n++] = port;
        }
        return sorted;
    }

    /** The table of {@code platform}. */
    static SocketTable of(UnixPlatform platform) {
        return switch (platform.kernel()) {
            case LINUX -> new LinuxSocketTable();
            case DARWIN -> new DarwinSocketTable(DarwinSocketTable.SYSTEM);
        };
    }
}
