package tether.cli.ready;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream of output cut into lines as it arrives, each line as a person reads it on a terminal: decoded as
 * UTF-8 and without the escape sequences that colour or move text, so that a pattern for {@code Local:}
 * matches Vite's {@code Local:} even when {@code Local} is printed in bold. A line ends at a newline or a
 * carriage return (progress output rewrites its line with the latter); an unfinished line waits for its end.
 */
public final class Lines {

    /**
     * A line longer than this is taken as it stands and the rest starts a new one: output without newlines
     * must not grow without bound while tether looks at it.
     */
    static final int LONGEST = 64 * 1024;

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** The lines that {@code length} more bytes complete. */
    public List<String> add(byte[] bytes, int length) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                lines.add(take());
            } else {
                pending.write(b);
                if (pending.size() >= LONGEST) {
                    lines.add(take());
                }
            }
        }
        return lines;
    }

    private String take() {
        String line = plain(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
        return line;
    }

    /**
     * {@code text} without ECMA-48 escape sequences: CSI ({@code ESC [} parameters, then a final byte from
     * {@code @} to {@code ~}), OSC ({@code ESC ]} up to BEL or {@code ESC \}), {@code ESC} with intermediate
     * bytes and a final one (a character set, {@code ESC ( B}), and the two-byte rest.
     */
    public static String plain(String text) {
        if (text.indexOf('\u001b') < 0) {
            return text;
        }
        StringBuilder plain = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '\u001b') {
                plain.append(c);
                i++;
                continue;
            }
            char kind = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            i += 2;
            if (kind >= ' ' && kind <= '/') {
                while (i < text.length() && text.charAt(i) >= ' ' && text.charAt(i) <= '/') {
                    i++;
                }
                i++;
            } else if (kind == '[') {
                while (i < text.length() && (text.charAt(i) < '@' || text.charAt(i) > '~')) {
                    i++;
                }
                i++;
            } else if (kind == ']') {
                while (i < text.length() && text.charAt(i) != '\u0007'
                        && !(text.charAt(i) == '\u001b' && i + 1 < text.length() && text.charAt(i + 1) == '\\')) {
                    i++;
                }
                i += i < text.length() && text.charAt(i) == '\u001b' ? 2 : 1;
            }
        }
        return plain.toString();
    }
}
