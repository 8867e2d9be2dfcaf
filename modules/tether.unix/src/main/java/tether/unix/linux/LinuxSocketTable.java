package tether.unix.linux;

import tether.unix.CLibrary;
import tether.unix.SocketTable;

/**
 * The ports a supervising tether's own tree listens on, read as {@code --list} reads another tether's
 * ({@link ListeningPorts}): asked anew at each poll, since the sockets change, with this process's network
 * namespace read once.
 */
public final class LinuxSocketTable implements SocketTable {

    private final int self = CLibrary.getpid();
    private final String ownNetworkNamespace = ListeningPorts.ownNetworkNamespace();

    @Override
    public int[] listeningPorts(int[] pids) {
        return new ListeningPorts(ownNetworkNamespace).of(self, pids);
    }
}
