package tether.api;

import java.util.List;

/**
 * What the OS knows of tether's own process, as the bytes it holds: the JVM hands tether its arguments and
 * environment decoded with the locale's charset (in the C locale every non-ASCII byte becomes '?'), and
 * the OS still has them as they were.
 */
public interface OwnProcess {

    /**
     * tether's arguments as the OS passed them.
     *
     * @param decoded the same arguments as the JVM decoded them, which stand in where the OS cannot say
     */
    List<byte[]> arguments(String[] decoded);

    /** The environment tether was started with, each entry {@code NAME=value}. */
    List<byte[]> environment();

    /** The program file this process runs, symbolic links resolved, or {@code null} if the OS cannot say. */
    byte[] executable();

    /**
     * Writes {@code bytes} to descriptor {@code fd} of this process, through that very descriptor. Java
     * names only 0, 1 and 2; reopening another through {@code /proc/self/fd} would give it an offset of its
     * own, and in a file that the shell's other commands write to as well the texts would overwrite each
     * other.
     */
    void write(int fd, byte[] bytes) throws java.io.IOException;

    /**
     * The width in columns of the terminal descriptor {@code fd} of this process is, for output that fits
     * itself to it: 0 for a terminal whose width the OS does not know, -1 when {@code fd} is not a terminal
     * (a pipe, a file). A provider that cannot ask says -1, and output is then not cut.
     */
    default int terminalColumns(int fd) {
        return -1;
    }

    /**
     * Where a detached tether writes its one report line (see {@link ProcessTreeKiller#startDetached}), as
     * {@link ProcessTreeKiller#REPORT_VARIABLE}'s value names it (on Unix a descriptor, on Windows a
     * handle). Nothing this tether starts afterwards holds it, so once it is closed the waiting tether
     * reads its end.
     */
    java.io.OutputStream reportChannel(String name) throws java.io.IOException;

    /**
     * Pipes for COMMAND's stdout and stderr that tether reads on their way to where they go (its descriptor
     * {@code stdout}, which the launcher may have moved, and its stderr), for {@code --ready output:}; a stream
     * that is a terminal is left as it is.
     *
     * @throws UnsupportedOperationException where this platform cannot; the message says so in one line
     * @throws java.io.IOException           naming the call that failed
     */
    default OutputTap tapOutput(int stdout) throws java.io.IOException {
        throw new UnsupportedOperationException("not supported on " + System.getProperty("os.name") + " yet");
    }

    /**
     * Descriptor {@code fd}, which tether's caller gave it, as a stream that writes to that very descriptor and
     * closes it on {@link java.io.OutputStream#close()}, so that its reader sees the end ({@code --ready-fd}).
     *
     * @throws java.io.IOException           when {@code fd} is not open for writing, in the OS's words
     * @throws UnsupportedOperationException where descriptors cannot be named by number
     */
    default java.io.OutputStream descriptor(int fd) throws java.io.IOException {
        throw new UnsupportedOperationException("not supported on " + System.getProperty("os.name") + " yet");
    }
}
