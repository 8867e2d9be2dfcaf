package tether.windows;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The one shell32 function the provider uses: Windows' own split of a command line into words, the rules
 * the Microsoft C runtime also follows, so tether reads its arguments as UTF-16 words without the ANSI
 * code page the java launcher's {@code main} received them in.
 */
interface Shell32 extends Library {

    /**
     * @param argc out: the number of words
     * @return an array of that many pointers to NUL-terminated UTF-16 words, to be freed with LocalFree as one
     *         block, or {@code null} on failure
     */
    Pointer CommandLineToArgvW(Pointer commandLine, int[] argc);
}
