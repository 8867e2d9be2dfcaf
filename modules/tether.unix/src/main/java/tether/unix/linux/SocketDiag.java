package tether.unix.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import tether.unix.CLibrary;

/**
 * The TCP sockets listening in this process's network namespace, by inode, from the kernel's sock_diag
 * netlink interface. Asking for the LISTEN state alone makes the kernel walk its listening table only:
 * {@code /proc/net/tcp} walks every bucket of the established table too, which took 5 ms a read here.
 */
final class SocketDiag {

    /** Enough for a few hundred sockets a read; the kernel splits a longer answer over several reads. */
    private static final int BUFFER = 64 * 1024;

    private SocketDiag() {}

    /**
     * Inode to local port of every listening TCP socket, IPv4 and IPv6.
     *
     * @throws IllegalStateException naming the call that failed, for a kernel without sock_diag
     */
    static Map<String, Integer> listening() {
        int socket = LinuxLibc.socket(LinuxLibc.AF_NETLINK, LinuxLibc.SOCK_DGRAM | LinuxLibc.SOCK_CLOEXEC,
                LinuxLibc.NETLINK_SOCK_DIAG);
        if (socket < 0) {
            throw new IllegalStateException("socket(AF_NETLINK): " + CLibrary.lastError());
        }
        try {
            Map<String, Integer> sockets = new HashMap<>();
            for (int family : new int[] {LinuxLibc.AF_INET, LinuxLibc.AF_INET6}) {
                byte[] request = request(family);
                if (CLibrary.write(socket, request, request.length) != request.length) {
                    throw new IllegalStateException("sock_diag request: " + CLibrary.lastError());
                }
                readAnswer(socket, sockets);
            }
            return sockets;
        } finally {
            CLibrary.close(socket);
        }
    }

    /** A dump request for the TCP sockets of {@code family} in the LISTEN state: nlmsghdr, inet_diag_req_v2. */
    static byte[] request(int family) {
        ByteBuffer message = ByteBuffer.allocate(LinuxLibc.NLMSGHDR_SIZE + LinuxLibc.INET_DIAG_REQ_V2_SIZE)
                .order(ByteOrder.nativeOrder());
        message.putInt(message.capacity());
        message.putShort(LinuxLibc.SOCK_DIAG_BY_FAMILY);
        message.putShort((short) (LinuxLibc.NLM_F_REQUEST | LinuxLibc.NLM_F_DUMP));
        message.putInt(1); // sequence number; one request at a time
        message.putInt(0); // port id: the kernel fills it in
        message.put((byte) family);
        message.put((byte) LinuxLibc.IPPROTO_TCP);
        message.put((byte) 0); // no extensions
        message.put((byte) 0);
        message.putInt(1 << LinuxLibc.TCP_LISTEN);
        return message.array(); // the socket id that follows stays zero: any address, any port
    }

    private static void readAnswer(int socket, Map<String, Integer> sockets) {
        byte[] buffer = new byte[BUFFER];
        while (true) {
            long length = CLibrary.read(socket, buffer, buffer.length);
            if (length < 0) {
                throw new IllegalStateException("sock_diag answer: " + CLibrary.lastError());
            }
            if (parse(ByteBuffer.wrap(buffer, 0, (int) length).order(ByteOrder.nativeOrder()), sockets)) {
                return;
            }
        }
    }

    /**
     * Reads the messages of one datagram into {@code sockets}; {@code true} when it holds the end of the
     * answer (NLMSG_DONE), an error ends it with an exception.
     */
    static boolean parse(ByteBuffer datagram, Map<String, Integer> sockets) {
        int at = datagram.position();
        int end = datagram.limit();
        while (at + LinuxLibc.NLMSGHDR_SIZE <= end) {
            int length = datagram.getInt(at);
            short type = datagram.getShort(at + 4);
            if (type == LinuxLibc.NLMSG_DONE) {
                return true;
            }
            if (type == LinuxLibc.NLMSG_ERROR) {
                throw new IllegalStateException("sock_diag: " + CLibrary.strerror(-datagram.getInt(at + LinuxLibc.NLMSGHDR_SIZE)));
            }
            if (type == LinuxLibc.SOCK_DIAG_BY_FAMILY && length >= LinuxLibc.NLMSGHDR_SIZE + LinuxLibc.INET_DIAG_MSG_SIZE) {
                int body = at + LinuxLibc.NLMSGHDR_SIZE;
                int sport = body + LinuxLibc.INET_DIAG_MSG_SPORT_OFFSET; // big-endian, as on the wire
                int port = (datagram.get(sport) & 0xff) << 8 | datagram.get(sport + 1) & 0xff;
                long inode = Integer.toUnsignedLong(datagram.getInt(body + LinuxLibc.INET_DIAG_MSG_INODE_OFFSET));
                sockets.put(Long.toString(inode), port);
            }
            if (length < LinuxLibc.NLMSGHDR_SIZE) {
                return true; // malformed: nothing after it can be read
            }
            at += (length + 3) & ~3; // NLMSG_ALIGN
        }
        return false;
    }
}
