package tether.unix.darwin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The macOS socket table on buffers laid out as xnu's bsd/sys/proc_info.h declares them (the layout is derived
 * in DarwinHeadersTest): an array of struct proc_fdinfo (int32_t proc_fd, uint32_t proc_fdtype), and a 792-byte
 * struct socket_fdinfo with soi_kind at 256, insi_lport at 268 and tcpsi_state at 344, filled as
 * fill_socketinfo in bsd/kern/socket_info.c fills them.
 */
class DarwinSocketTableTest {

    // bsd/sys/proc_info.h.
    static final int PROX_FDTYPE_VNODE = 1;
    static final int PROX_FDTYPE_SOCKET = 2;
    static final int PROX_FDTYPE_PIPE = 6;
    static final int SOCKINFO_IN = 1;
    static final int SOCKINFO_TCP = 2;
    static final int TSI_S_LISTEN = 1;
    static final int TSI_S_ESTABLISHED = 4;

    /** A struct socket_fdinfo for a socket of {@code kind}, its port in network byte order as the pcb keeps it. */
    static ByteBuffer socketInfo(int kind, int port, int state) {
        ByteBuffer info = ByteBuffer.allocate(792).order(ByteOrder.nativeOrder());
        info.putInt(24 + 136 + 16 + 8, 2); // soi_family AF_INET, beside what is read
        info.putInt(256, kind);
        short network = (short) port;
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            network = Short.reverseBytes(network);
        }
        info.putInt(264, 0); // insi_fport
        info.putInt(268, network & 0xffff);
        info.putInt(344, state);
        return info;
    }

    static ByteBuffer fdList(int[][] fds) {
        ByteBuffer list = ByteBuffer.allocate(fds.length * 8 + 160).order(ByteOrder.nativeOrder());
        for (int i = 0; i < fds.length; i++) {
            list.putInt(i * 8, fds[i][0]).putInt(i * 8 + 4, fds[i][1]);
        }
        return list;
    }

    @Test
    void socketDescriptorsAreTakenFromTheList() {
        ByteBuffer list = fdList(new int[][] {{0, PROX_FDTYPE_VNODE}, {3, PROX_FDTYPE_SOCKET}, {4, PROX_FDTYPE_PIPE},
                {7, PROX_FDTYPE_SOCKET}});
        assertArrayEquals(new int[] {3, 7}, DarwinSocketTable.sockets(list, 32));
        assertArrayEquals(new int[] {3}, DarwinSocketTable.sockets(list, 16), "only the bytes the call wrote");
        assertArrayEquals(new int[0], DarwinSocketTable.sockets(list, 0));
    }

    @Test
    void aListeningTcpSocketGivesItsPortInHostOrder() {
        assertEquals(5173, DarwinSocketTable.listeningPort(socketInfo(SOCKINFO_TCP, 5173, TSI_S_LISTEN), 792));
        assertEquals(65535, DarwinSocketTable.listeningPort(socketInfo(SOCKINFO_TCP, 65535, TSI_S_LISTEN), 792));
        assertEquals(-1, DarwinSocketTable.listeningPort(socketInfo(SOCKINFO_TCP, 5173, TSI_S_ESTABLISHED), 792));
        assertEquals(-1, DarwinSocketTable.listeningPort(socketInfo(SOCKINFO_IN, 5353, TSI_S_LISTEN), 792),
                "UDP is SOCKINFO_IN");
        assertEquals(-1, DarwinSocketTable.listeningPort(socketInfo(SOCKINFO_TCP, 5173, TSI_S_LISTEN), 0),
                "a descriptor closed since the listing");
    }

    /** A recorded machine: each pid's descriptors and each socket's struct, answering as libproc does. */
    @Test
    void theTreesPortsAreItsProcessesListeningSockets() {
        Map<Integer, ByteBuffer> lists = new HashMap<>();
        Map<String, ByteBuffer> sockets = new HashMap<>();
        lists.put(100, fdList(new int[][] {{0, PROX_FDTYPE_VNODE}, {5, PROX_FDTYPE_SOCKET}, {6, PROX_FDTYPE_SOCKET}}));
        sockets.put("100/5", socketInfo(SOCKINFO_TCP, 5173, TSI_S_LISTEN));
        sockets.put("100/6", socketInfo(SOCKINFO_TCP, 51000, TSI_S_ESTABLISHED));
        lists.put(101, fdList(new int[][] {{9, PROX_FDTYPE_SOCKET}, {10, PROX_FDTYPE_SOCKET}}));
        sockets.put("101/9", socketInfo(SOCKINFO_TCP, 24678, TSI_S_LISTEN));
        sockets.put("101/10", socketInfo(SOCKINFO_TCP, 5173, TSI_S_LISTEN)); // IPv6 twin of 100's
        DarwinSocketTable.Libproc recorded = new DarwinSocketTable.Libproc() {
            @Override
            public int listFds(int pid, Pointer buffer, int bufferSize) {
                ByteBuffer list = lists.get(pid);
                if (list == null) {
                    return 0;
                }
                int written = list.capacity() - 160;
                if (buffer == null) {
                    return written + 160;
                }
                byte[] bytes = new byte[Math.min(written, bufferSize)];
                list.get(0, bytes);
                buffer.write(0, bytes, 0, bytes.length);
                return bytes.length;
            }

            @Override
            public int socketInfo(int pid, int fd, Pointer buffer, int bufferSize) {
                ByteBuffer info = sockets.get(pid + "/" + fd);
                if (info == null || bufferSize < 792) {
                    return 0;
                }
                byte[] bytes = new byte[792];
                info.get(0, bytes);
                buffer.write(0, bytes, 0, bytes.length);
                return bytes.length;
            }
        };
        assertArrayEquals(new int[] {5173, 24678},
                new DarwinSocketTable(recorded).listeningPorts(new int[] {100, 101, 102}), "102 ended meanwhile");
        assertArrayEquals(new int[0], new DarwinSocketTable(recorded).listeningPorts(new int[0]));
    }
}
