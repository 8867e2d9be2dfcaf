package tether.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A name the OS handed over as bytes (a path, an argument), made fit for a one-line message: valid UTF-8 is
 * shown as it is, any other byte as {@code \xNN}, and control characters (a newline would break the line)
 * as C escapes. Nothing is lost, so the user can tell two names apart that a locale would show alike.
 *
 * <p>Characters that show nothing of themselves are escaped too, as <code>&#92;uNNNN</code> (or <code>&#92;UNNNNNNNN</code>
 * beyond the first plane): format characters such as a right-to-left override (U+202E), which would
 * turn the rest of a line around, zero-width spaces and joiners, line and paragraph separators, spaces
 * other than the plain one, and code points no version of Unicode this JDK knows assigns. A name made to
 * look like another cannot then pass for it in a message, a table or JSON.
 *
 * <p>In the result a backslash always begins an escape, so a text made of it can be cut between
 * {@link #tokenEnd tokens} without leaving half an escape behind.
 */
public final class Printable {

    private Printable() {}

    public static String of(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        StringBuilder text = new StringBuilder(bytes.length);
        while (in.hasRemaining()) {
            CoderResult result = decoder.decode(in, out, true);
            out.flip();
            while (out.hasRemaining()) {
                char c = out.get();
                appendCodePoint(text, Character.isHighSurrogate(c) && out.hasRemaining()
                        ? Character.toCodePoint(c, out.get()) : c);
            }
            out.clear();
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    text.append(String.format("\\x%02x", in.get() & 0xff));
                }
            }
        }
        return text.toString();
    }

    /**
     * Where the token of {@code text} that starts at {@code start} ends: after a whole escape
     * ({@code \\}, {@code \n}, {@code \xNN}, <code>&#92;uNNNN</code>, <code>&#92;UNNNNNNNN</code>) or one code point.
     */
    public static int tokenEnd(String text, int start) {
        if (text.charAt(start) != '\\' || start + 1 >= text.length()) {
            return text.offsetByCodePoints(start, 1);
        }
        int length = switch (text.charAt(start + 1)) {
            case 'x' -> 4;
            case 'u' -> 6;
            case 'U' -> 10;
            default -> 2;
        };
        return Math.min(text.length(), start + length);
    }

    private static void appendCodePoint(StringBuilder text, int c) {
        switch (c) {
            case '\n' -> text.append("\\n");
            case '\t' -> text.append("\\t");
            case '\r' -> text.append("\\r");
            case '\\' -> text.append("\\\\");
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    text.append(String.format("\\x%02x", c));
                } else if (c > 0x7f && showsNothing(c)) {
                    text.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
                } else {
                    text.appendCodePoint(c);
                }
            }
        }
    }

    /** Control and format characters, separators but the plain space, and unassigned code points. */
    private static boolean showsNothing(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR, Character.UNASSIGNED, Character.SURROGATE -> true;
            default -> false;
        };
    }
}
