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
                appendChar(text, out.get());
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

    private static void appendChar(StringBuilder text, char c) {
        switch (c) {
            case '\n' -> text.append("\\n");
            case '\t' -> text.append("\\t");
            case '\r' -> text.append("\\r");
            case '\\' -> text.append("\\\\");
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    text.append(String.format("\\x%02x", (int) c));
                } else if (c >= 0x80 && c < 0xa0) {
                    text.append(String.format("\\u%04x", (int) c));
                } else {
                    text.append(c);
                }
            }
        }
    }
}
