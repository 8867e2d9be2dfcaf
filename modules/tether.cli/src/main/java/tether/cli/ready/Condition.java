package tether.cli.ready;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code --ready CONDITION}: what must hold before tether calls COMMAND ready. Each is written the way a
 * person says it: {@code port} (the tree listens on a TCP port), {@code port:N} (on that one), an
 * {@code http://} URL (it answers with a status below 500: a server that answers 404 is up; one that answers 503
 * is still starting), or {@code output:REGEX} (COMMAND printed a line with a match).
 *
 * <p>The text is one of tether's arguments, each byte carried as one character; a URL and a pattern are UTF-8.
 */
public sealed interface Condition {

    /** The condition as it was written, which is how it is shown. */
    String text();

    /** A TCP port the tree's own processes listen on: {@code number}, or any when it is 0. */
    record Port(int number, String text) implements Condition {
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * An HTTP URL that must answer below 500.
     *
     * @param host   as the URL names it, an IPv6 address without its brackets
     * @param target the path and query to ask for, at least {@code /}
     */
    record Url(String text, String host, int port, String target) implements Condition {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A line of COMMAND's output in which {@code pattern} finds a match. */
    record Output(String text, Pattern pattern) implements Condition {
        @Override
        public String toString() {
            return text;
        }
    }

    String PORT = "port";
    String OUTPUT = "output:";
    String HTTP = "http://";
    String EXPECTED = "expected port, port:N, an http:// URL or output:REGEX";

    /**
     * @param latin1 the argument, a byte a character
     * @throws IllegalArgumentException naming what is wrong, for the usage error
     */
    static Condition parse(String latin1) {
        String text = new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        String lower = text.toLowerCase(Locale.ROOT);
        if (text.equals(PORT)) {
            return new Port(0, text);
        }
        if (text.startsWith(PORT + ":")) {
            return new Port(portNumber(text.substring(PORT.length() + 1)), text);
        }
        if (text.startsWith(OUTPUT)) {
            try {
                return new Output(text, Pattern.compile(text.substring(OUTPUT.length())));
            } catch (PatternSyntaxException e) {
                throw invalid("expected a regular expression: " + Character.toLowerCase(e.getDescription().charAt(0))
                        + e.getDescription().substring(1) + " near index " + e.getIndex());
            }
        }
        if (lower.startsWith(HTTP)) {
            return url(text);
        }
        if (lower.startsWith("https://")) {
            throw invalid("https is not supported, a dev server's certificate being its own (use port:N or an "
                    + "http:// URL)");
        }
        throw invalid(EXPECTED);
    }

    private static Url url(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("expected http://HOST[:PORT][/PATH]");
        }
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null) {
            throw invalid("expected http://HOST[:PORT][/PATH]");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        if (port == 0) {
            throw invalid("expected a port from 1 to 65535");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new Url(text, host, port, uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    }

    private static int portNumber(String digits) {
        int port = -1;
        if (!digits.isEmpty() && digits.length() <= 5 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            port = Integer.parseInt(digits);
        }
        if (port < 1 || port > 65535) {
            throw invalid("expected a port from 1 to 65535");
        }
        return port;
    }

    /** Says only what is wrong: the caller names the option and the value (see {@code Fatal}). */
    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException(why);
    }
}
