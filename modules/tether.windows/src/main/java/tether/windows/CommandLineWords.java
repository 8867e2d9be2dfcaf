package tether.windows;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;

/** A UTF-16 command line split into words as Windows splits it ({@code CommandLineToArgvW}, the C runtime's rules). */
final class CommandLineWords {

    private CommandLineWords() {}

    /** The words of {@code commandLine}, or {@code null} if Windows would not split it. */
    static List<String> split(Shell32 shell32, Kernel32 kernel32, Pointer commandLine) {
        int[] count = new int[1];
        Pointer words = shell32.CommandLineToArgvW(commandLine, count);
        if (words == null) {
            return null;
        }
        try {
            List<String> list = new ArrayList<>(count[0]);
            for (int i = 0; i < count[0]; i++) {
                list.add(Utf16.read(words.getPointer((long) i * Kernel32.POINTER_SIZE)));
            }
            return list;
        } finally {
            kernel32.LocalFree(words);
        }
    }
}
