package tether.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The marker every process of a tethered tree carries in its environment: {@value #VARIABLE}{@code =PID:PATH},
 * the tether's pid and the path its tree belongs to (the watched path, or COMMAND's directory under
 * {@code --no-watch}), absolute and canonical, in {@link Printable}'s form.
 *
 * <p>Every descendant inherits it, whatever it does to its process group, its session, its working directory
 * or its parent: it is how {@code --all} places a process that {@code cd}'d out of its worktree, and how an
 * escapee whose tether was SIGKILLed is found at all where the OS has no subreaper to keep it in the tree
 * (macOS). The path is written in printable form so that the value is one line of text whatever bytes the
 * path holds: the sentinel matches it with {@code grep}, and {@code --list --json} shows it as it is.
 * A process started with an environment of its own making ({@code env -i}) drops it, like any variable.
 */
public final class Provenance {

    /** The variable's name. */
    public static final String VARIABLE = "TETHER_TREE";

    private static final byte[] PREFIX = (VARIABLE + "=").getBytes(StandardCharsets.US_ASCII);

    /** What a marker says: which tether, and the path its tree belongs to (bytes, as the OS names it). */
    public record Marker(long tether, byte[] path) {}

    private Provenance() {}

    /** The marker's value for the tree of tether {@code pid} that belongs to {@code path}. */
    public static String value(long pid, byte[] path) {
        return pid + ":" + Printable.of(path);
    }

    /** {@code environment} with the marker of tether {@code pid} for {@code path} in place of any inherited one. */
    public static List<byte[]> marked(List<byte[]> environment, long pid, byte[] path) {
        List<byte[]> marked = new ArrayList<>(environment.size() + 1);
        for (byte[] entry : environment) {
            if (!isMarker(entry)) {
                marked.add(entry);
            }
        }
        marked.add((VARIABLE + "=" + value(pid, path)).getBytes(StandardCharsets.UTF_8));
        return marked;
    }

    /** Whether {@code entry} ({@code NAME=value}) is a marker. */
    public static boolean isMarker(byte[] entry) {
        if (entry.length < PREFIX.length) {
            return false;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (entry[i] != PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /** The marker entry of {@code environment}, or {@code null}. */
    public static byte[] entryIn(List<byte[]> environment) {
        for (byte[] entry : environment) {
            if (isMarker(entry)) {
                return entry;
            }
        }
        return null;
    }

    /**
     * What marker entry {@code entry} ({@code NAME=value}) says, or {@code null} if it is not a marker or not
     * one tether wrote (a variable of that name set by hand).
     */
    public static Marker parse(byte[] entry) {
        if (!isMarker(entry)) {
            return null;
        }
        String value = new String(entry, PREFIX.length, entry.length - PREFIX.length, StandardCharsets.UTF_8);
        int colon = value.indexOf(':');
        if (colon <= 0 || colon > 18 || value.length() == colon + 1) {
            return null;
        }
        for (int i = 0; i < colon; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return null;
            }
        }
        byte[] path = unprintable(value.substring(colon + 1));
        return path == null ? null : new Marker(Long.parseLong(value.substring(0, colon)), path);
    }

    /**
     * The bytes {@link Printable#of} turned into {@code text}: its escapes ({@code \\}, {@code \n}, {@code \t},
     * {@code \r}, {@code \xNN} for a byte, {@code \\u} and four hex digits for a character) undone, the rest UTF-8. {@code null}
     * for text Printable cannot have written.
     */
    static byte[] unprintable(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '\\') {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != '\\') {
                    end++;
                }
                bytes.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
                continue;
            }
            if (i + 1 == text.length()) {
                return null;
            }
            char kind = text.charAt(i + 1);
            switch (kind) {
                case '\\' -> bytes.write('\\');
                case 'n' -> bytes.write('\n');
                case 't' -> bytes.write('\t');
                case 'r' -> bytes.write('\r');
                case 'x', 'u' -> {
                    int digits = kind == 'x' ? 2 : 4;
                    if (i + 2 + digits > text.length()) {
                        return null;
                    }
                    int code = hex(text, i + 2, digits);
                    if (code < 0) {
                        return null;
                    }
                    if (kind == 'x') {
                        bytes.write(code);
                    } else {
                        bytes.writeBytes(String.valueOf((char) code).getBytes(StandardCharsets.UTF_8));
                    }
                    i += digits;
                }
                default -> {
                    return null;
                }
            }
            i += 2;
        }
        return bytes.toByteArray();
    }

    /** The {@code digits} hexadecimal digits of {@code text} at {@code start}, or -1 if they are not all there. */
    private static int hex(String text, int start, int digits) {
        int value = 0;
        for (int i = start; i < start + digits; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
