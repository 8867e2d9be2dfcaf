package tether.unix.linux;

import java.util.HashMap;
import tether.unix.CLibrary;
import tether.unix.SocketTable;

/**
 * The ports a supervising tether's own tree listens on, read as {@code --list} reads another tether's: the
 * socket inodes in the members' {@code /proc/PID/fd}, looked up among the listening sockets that sock_diag
 * reports for this network namespace.
 */
public final class LinuxSocketTable implements SocketTable {

    private final int self = CLibrary.getpid();
    private final String ownNetworkNamespace = LinuxCensus.linkText("/proc/self/ns/net");

    @Override
    public int[] listeningPorts(int[] pids) {
        return LinuxCensus.listeningPorts(self, pids, new HashMap<>(), ownNetworkNamespace);
    }
}
