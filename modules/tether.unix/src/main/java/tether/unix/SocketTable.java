package tether.unix;

import tether.unix.darwin.DarwinSocketTable;
import tether.unix.linux.LinuxSocketTable;

/** How one system tells which TCP ports a set of processes listens on, from their own sockets. */
public interface SocketTable {

    /** The ports the sockets of {@code pids} listen on, IPv4 and IPv6, sorted, each once. */
    int[] listeningPorts(int[] pids);

    /** The table of {@code platform}. */
    static SocketTable of(UnixPlatform platform) {
        return switch (platform.kernel()) {
            case LINUX -> new LinuxSocketTable();
            case DARWIN -> new DarwinSocketTable(DarwinSocketTable.SYSTEM);
        };
    }
}
