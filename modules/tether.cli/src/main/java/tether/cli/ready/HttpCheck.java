package tether.cli.ready;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * One {@code GET} of a {@link Condition.Url}, HTTP/1.1 over a plain socket: the runtime image has no
 * {@code java.net.http}, and readiness needs only the status line. That module would add 352 classes (0.6 MB
 * compressed) to the image, and its client, with the selector thread it starts, made one GET in a fresh JVM load
 * 2,293 classes and take 423 ms, where this socket's took 871 classes and 19 ms (bench/ready.md).
 *
 * <p>Every address the host name resolves to is tried in turn, as curl does: {@code localhost} is {@code ::1} and
 * {@code 127.0.0.1}, and a dev server may listen on either alone. After the status line the answer is read to its
 * end ({@code Connection: close}), up to {@link #DRAINED}: a server whose client hangs up while it still writes
 * the body may log an error about it (Python's does), which would land in COMMAND's output.
 */
public final class HttpCheck {

    /** The longest status line read; a real one is a few dozen bytes. */
    private static final int STATUS_LINE = 8 * 1024;
    /** How much of a body is read before the connection is closed regardless. */
    private static final int DRAINED = 1024 * 1024;

    private HttpCheck() {}

    /**
     * What one request got: a status, or why there was none.
     *
     * @param status  the status code, or 0 with {@code failure}
     * @param failure why no status came, such as {@code connection refused}; {@code null} with a status
     */
    public record Answer(int status, String failure) {
        /** Below 500: the server answers, even if with 404 or a redirect. */
        public boolean holds() {
            return failure == null && status < 500;
        }

        @Override
        public String toString() {
            return failure == null ? "answered " + status : failure;
        }
    }

    /** Asks {@code url} once, waiting for the connection and the status line until {@code deadline} (System.nanoTime). */
    public static Answer ask(Condition.Url url, long deadline) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.host());
        } catch (UnknownHostException e) {
            return new Answer(0, "unknown host " + url.host());
        }
        Answer last = new Answer(0, "no address for " + url.host());
        for (InetAddress address : addresses) {
            last = ask(url, address, deadline);
            if (last.failure() == null) {
                return last;
            }
        }
        return last;
    }

    private static Answer ask(Condition.Url url, InetAddress address, long deadline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, url.port()), millisUntil(deadline));
            socket.setSoTimeout(millisUntil(deadline));
            OutputStream out = socket.getOutputStream();
            out.write(request(url).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            Answer answer = status(in);
            if (answer.failure() == null) {
                drain(in);
            }
            return answer;
        } catch (ConnectException e) {
            return new Answer(0, "connection refused");
        } catch (SocketTimeoutException e) {
            return new Answer(0, "no answer");
        } catch (IOException e) {
            return new Answer(0, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    static String request(Condition.Url url) {
        String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
        return "GET " + url.target() + " HTTP/1.1\r\n"
                + "Host: " + host + (url.port() == 80 ? "" : ":" + url.port()) + "\r\n"
                + "User-Agent: tether\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n"
                + "\r\n";
    }

    /** {@code HTTP/1.1 200 OK}: the three digits after the version. */
    static Answer status(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.length() < STATUS_LINE) {
            line.append((char) b);
        }
        String text = line.toString();
        int space = text.indexOf(' ');
        if (!text.startsWith("HTTP/") || space < 0 || text.length() < space + 4) {
            return new Answer(0, text.isEmpty() ? "closed without an answer" : "not an HTTP answer");
        }
        String code = text.substring(space + 1, space + 4);
        for (int i = 0; i < code.length(); i++) {
            if (code.charAt(i) < '0' || code.charAt(i) > '9') {
                return new Answer(0, "not an HTTP answer");
            }
        }
        return new Answer(Integer.parseInt(code), null);
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            int total = 0;
            int n;
            while (total < DRAINED && (n = in.read(buffer)) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // the status is what was asked; the rest is manners
        }
    }

    /** At least 1: a socket timeout of 0 would mean no timeout at all. */
    private static int millisUntil(long deadline) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (deadline - System.nanoTime()) / 1_000_000));
    }
}
