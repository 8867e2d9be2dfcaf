package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * Windows' UTF-16 strings in native memory, two bytes a unit. JNA's own wide strings and char arrays are
 * the C library's wchar_t, which is four bytes off Windows, where the tests run.
 */
final class Utf16 {

    private Utf16() {}

    /** {@code chars} as UTF-16LE, the byte order of every Windows on x64 and arm64. */
    static Memory memory(char[] chars) {
        byte[] bytes = new String(chars).getBytes(StandardCharsets.UTF_16LE);
        Memory memory = new Memory(Math.max(1, bytes.length));
        memory.write(0, bytes, 0, bytes.length);
        return memory;
    }

    /** The NUL-terminated string at {@code string}. */
    static String read(Pointer string) {
        StringBuilder text = new StringBuilder();
        for (long offset = 0; ; offset += Character.BYTES) {
            char c = (char) string.getShort(offset);
            if (c == 0) {
                return text.toString();
            }
            text.append(c);
        }
    }
}
