package tether.unix.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.unix.CLibrary;
import tether.unix.Natives;

class SocketDiagTest {

    /** The kernel's own answer names a socket this test listens on, and not one it is merely connected by. */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "sock_diag is Linux's")
    @Test
    void theKernelListsAListeningSocketAndNotAConnectedOne() throws Exception {
        Natives.configure();
        try (ServerSocket v4 = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                ServerSocket v6 = new ServerSocket(0, 1, InetAddress.getByName("::1"));
                Socket client = new Socket("127.0.0.1", v4.getLocalPort());
                Socket accepted = v4.accept()) {
            Map<String, Integer> listening = SocketDiag.listening();
            assertTrue(listening.containsValue(v4.getLocalPort()), listening.toString());
            assertTrue(listening.containsValue(v6.getLocalPort()), listening.toString());
            assertFalse(listening.containsValue(client.getLocalPort()), "a connected socket's port: " + listening);
        }
    }

    @Test
    void theRequestAsksForTcpInTheListenStateOfOneFamily() {
        ByteBuffer request = ByteBuffer.wrap(SocketDiag.request(LinuxLibc.AF_INET6)).order(ByteOrder.nativeOrder());
        assertEquals(72, request.capacity());
        assertEquals(72, request.getInt(0), "nlmsg_len");
        assertEquals(LinuxLibc.SOCK_DIAG_BY_FAMILY, request.getShort(4));
        assertEquals(LinuxLibc.NLM_F_REQUEST | LinuxLibc.NLM_F_DUMP, request.getShort(6));
        assertEquals(LinuxLibc.AF_INET6, request.get(16));
        assertEquals(LinuxLibc.IPPROTO_TCP, request.get(17));
        assertEquals(1 << 10, request.getInt(20), "idiag_states: TCP_LISTEN");
    }

    /** Two answers in one datagram, padded to four bytes, then the end. */
    @Test
    void anAnswerIsReadUpToItsEnd() {
        ByteBuffer datagram = ByteBuffer.allocate(3 * 88 + 16 + 20).order(ByteOrder.nativeOrder());
        answer(datagram, 5173, 111);
        answer(datagram, 0xFFFE, 0xFFFFFFF0L);
        datagram.putInt(20).putShort(LinuxLibc.NLMSG_DONE).putShort((short) 2).putInt(1).putInt(0).putInt(0);
        datagram.flip();
        Map<String, Integer> sockets = new HashMap<>();
        assertTrue(SocketDiag.parse(datagram, sockets));
        assertEquals(Map.of("111", 5173, "4294967280", 0xFFFE), sockets);
    }

    @Test
    void anErrorAnswerNamesTheError() {
        ByteBuffer datagram = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
        datagram.putInt(36).putShort(LinuxLibc.NLMSG_ERROR).putShort((short) 0).putInt(1).putInt(0).putInt(-CLibrary.EACCES);
        datagram.position(0).limit(36);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SocketDiag.parse(datagram, new HashMap<>()));
        assertTrue(e.getMessage().startsWith("sock_diag: "), e.getMessage());
    }

    /** One inet_diag_msg: a header of 16 bytes, the port big-endian at 4, the inode at 68, padded to 88. */
    static void answer(ByteBuffer datagram, int port, long inode) {
        int start = datagram.position();
        datagram.putInt(16 + 72).putShort(LinuxLibc.SOCK_DIAG_BY_FAMILY).putShort((short) 2).putInt(1).putInt(0);
        int body = datagram.position();
        datagram.put(body + 4, (byte) (port >> 8)).put(body + 5, (byte) port);
        datagram.putInt(body + 68, (int) inode);
        datagram.position(start + 88);
    }
}
