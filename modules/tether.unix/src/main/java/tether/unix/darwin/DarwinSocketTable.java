package tether.unix.darwin;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SortedSet;
import java.util.TreeSet;
import tether.unix.SocketTable;

/**
 * The TCP ports a set of processes listens on, as libproc reports their descriptors on macOS, which has no
 * {@code /proc} and no sock_diag: each process's descriptors ({@code PROC_PIDLISTFDS}), then each socket's
 * state ({@code PROC_PIDFDSOCKETINFO}), as {@code lsof -iTCP -sTCP:LISTEN} reads them.
 */
public final class DarwinSocketTable implements SocketTable {

    /** The two libproc calls a table makes, apart so that the reading can be tested on recorded buffers. */
    interface Libproc {
        /** {@code proc_pidinfo(pid, PROC_PIDLISTFDS, 0, ...)}: the bytes written, 0 on error. */
        int listFds(int pid, Pointer buffer, int bufferSize);

        /** {@code proc_pidfdinfo(pid, fd, PROC_PIDFDSOCKETINFO, ...)}: the bytes written, 0 on error. */
        int socketInfo(int pid, int fd, Pointer buffer, int bufferSize);
    }

    public static final Libproc SYSTEM = new Libproc() {
        @Override
        public int listFds(int pid, Pointer buffer, int bufferSize) {
            return SystemB.proc_pidinfo(pid, SystemB.PROC_PIDLISTFDS, 0, buffer, bufferSize);
        }

        @Override
        public int socketInfo(int pid, int fd, Pointer buffer, int bufferSize) {
            return SystemB.proc_pidfdinfo(pid, fd, SystemB.PROC_PIDFDSOCKETINFO, buffer, bufferSize);
        }
    };

    private final Libproc libproc;

    public DarwinSocketTable(Libproc libproc) {
        this.libproc = libproc;
    }

    @Override
    public int[] listeningPorts(int[] pids) {
        SortedSet<Integer> ports = new TreeSet<>();
        Memory info = new Memory(SystemB.SOCKET_FDINFO_SIZE);
        for (int pid : pids) {
            for (int fd : sockets(pid)) {
                int bytes = libproc.socketInfo(pid, fd, info, (int) info.size());
                int port = listeningPort(info.getByteBuffer(0, info.size()), bytes);
                if (port > 0) {
                    ports.add(port);
                }
            }
        }
        return SocketTable.toArray(ports);
    }

    /**
     * The socket descriptors of {@code pid}. Asked without a buffer, xnu answers with room for every descriptor
     * and 20 more (proc_pidfdlist in bsd/kern/proc_info.c); a process that ended answers 0.
     */
    private int[] sockets(int pid) {
        int size = libproc.listFds(pid, null, 0);
        if (size <= 0) {
            return new int[0];
        }
        Memory buffer = new Memory(size);
        int bytes = libproc.listFds(pid, buffer, size);
        return sockets(buffer.getByteBuffer(0, size), bytes);
    }

    /** The descriptors of type PROX_FDTYPE_SOCKET among the first {@code bytes} of an array of struct proc_fdinfo. */
    static int[] sockets(ByteBuffer buffer, int bytes) {
        ByteBuffer fields = buffer.order(ByteOrder.nativeOrder());
        int count = Math.max(0, bytes) / SystemB.PROC_FDINFO_SIZE;
        int[] found = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            int at = i * SystemB.PROC_FDINFO_SIZE;
            if (fields.getInt(at + SystemB.PROC_FDINFO_TYPE_OFFSET) == SystemB.PROX_FDTYPE_SOCKET) {
                found[n++] = fields.getInt(at);
            }
        }
        return java.util.Arrays.copyOf(found, n);
    }

    /**
     * The local port of the struct socket_fdinfo in {@code buffer} when it is a TCP socket in LISTEN, or -1
     * ({@code bytes} short of the struct: the descriptor was closed meanwhile). xnu copies the port as the
     * protocol control block keeps it, in network byte order, into the int insi_lport (fill_socketinfo in
     * bsd/kern/socket_info.c), so it is swapped as {@code ntohs} does.
     */
    static int listeningPort(ByteBuffer buffer, int bytes) {
        if (bytes < SystemB.SOCKET_FDINFO_SIZE) {
            return -1;
        }
        ByteBuffer fields = buffer.order(ByteOrder.nativeOrder());
        if (fields.getInt(SystemB.SOI_KIND_OFFSET) != SystemB.SOCKINFO_TCP
                || fields.getInt(SystemB.TCPSI_STATE_OFFSET) != SystemB.TSI_S_LISTEN) {
            return -1;
        }
        short network = (short) fields.getInt(SystemB.INSI_LPORT_OFFSET);
        return (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Short.reverseBytes(network) : network) & 0xffff;
    }
}
