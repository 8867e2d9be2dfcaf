package tether.cli.ready;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One GET against servers run here: what is asked, and how each kind of answer is taken. */
class HttpCheckTest {

    static final long SECOND = 1_000_000_000L;

    static HttpCheck.Answer status(String response) throws IOException {
        return HttpCheck.status(new ByteArrayInputStream(response.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void theStatusLine() throws IOException {
        assertEquals(new HttpCheck.Answer(200, null), status("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(new HttpCheck.Answer(503, null), status("HTTP/1.0 503 Service Unavailable\r\n"));
        assertEquals(new HttpCheck.Answer(404, null), status("HTTP/2 404\r\n"));
        assertEquals(new HttpCheck.Answer(0, "not an HTTP answer"), status("SSH-2.0-OpenSSH_9.6\r\n"));
        assertEquals(new HttpCheck.Answer(0, "not an HTTP answer"), status("HTTP/1.1 2xx\r\n"));
        assertEquals(new HttpCheck.Answer(0, "closed without an answer"), status(""));
    }

    @Test
    void belowFiveHundredHolds() {
        assertTrue(new HttpCheck.Answer(200, null).holds());
        assertTrue(new HttpCheck.Answer(404, null).holds(), "a server that answers 404 is up");
        assertTrue(new HttpCheck.Answer(302, null).holds());
        assertFalse(new HttpCheck.Answer(500, null).holds());
        assertFalse(new HttpCheck.Answer(503, null).holds());
        assertFalse(new HttpCheck.Answer(0, "connection refused").holds());
    }

    @Test
    void theRequest() {
        assertEquals("GET /health?x=1 HTTP/1.1\r\nHost: localhost:5173\r\nUser-Agent: tether\r\nAccept: */*\r\n"
                + "Connection: close\r\n\r\n", HttpCheck.request(url("http://localhost:5173/health?x=1")));
        assertTrue(HttpCheck.request(url("http://[::1]:8080/")).contains("\r\nHost: [::1]:8080\r\n"));
        assertTrue(HttpCheck.request(url("http://example.test/")).contains("\r\nHost: example.test\r\n"));
    }

    static Condition.Url url(String text) {
        return (Condition.Url) Condition.parse(text);
    }

    /** A server on the loopback address that answers each connection with the next of {@code responses}. */
    static final class Server implements AutoCloseable {
        final ServerSocket socket;
        final List<String> requests = new ArrayList<>();
        final AtomicInteger bodiesSent = new AtomicInteger();
        final Thread thread;

        Server(String... responses) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                for (String response : responses) {
                    try (Socket client = socket.accept()) {
                        InputStream in = client.getInputStream();
                        StringBuilder request = new StringBuilder();
                        while (!request.toString().endsWith("\r\n\r\n")) {
                            request.append((char) in.read());
                        }
                        synchronized (requests) {
                            requests.add(request.toString());
                        }
                        OutputStream out = client.getOutputStream();
                        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                        out.write(new byte[200_000]);
                        bodiesSent.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aServerThatAnswers503ThenIsAskedAgainUntil200() throws Exception {
        try (Server server = new Server("HTTP/1.1 503 Service Unavailable\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n")) {
            Condition.Url url = url("http://127.0.0.1:" + server.port() + "/health");
            HttpCheck.Answer first = HttpCheck.ask(url, System.nanoTime() + 5 * SECOND);
            assertEquals(new HttpCheck.Answer(503, null), first);
            assertEquals(new HttpCheck.Answer(200, null), HttpCheck.ask(url, System.nanoTime() + 5 * SECOND));
            server.thread.join(5000);
            assertEquals(2, server.bodiesSent.get(), "each body was read to its end before hanging up");
            assertTrue(server.requests.getFirst().startsWith("GET /health HTTP/1.1\r\nHost: 127.0.0.1:"),
                    server.requests.getFirst());
        }
    }

    @Test
    void nothingListening() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertEquals(new HttpCheck.Answer(0, "connection refused"),
                HttpCheck.ask(url("http://127.0.0.1:" + port + "/"), System.nanoTime() + SECOND));
    }

    @Test
    void aServerThatNeverAnswersIsGivenUpOnAtTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            HttpCheck.Answer answer = HttpCheck.ask(url("http://127.0.0.1:" + silent.getLocalPort() + "/"),
                    start + SECOND / 4);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(new HttpCheck.Answer(0, "no answer"), answer);
            assertTrue(millis >= 240 && millis < 5000, millis + " ms for a 250 ms deadline");
        }
    }

    @Test
    void anUnknownHost() {
        assertEquals(new HttpCheck.Answer(0, "unknown host tether-no-such-host.invalid"),
                HttpCheck.ask(url("http://tether-no-such-host.invalid/"), System.nanoTime() + SECOND));
    }
}
