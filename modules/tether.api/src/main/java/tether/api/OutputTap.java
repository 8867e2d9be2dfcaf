package tether.api;

import java.time.Duration;

/**
 * COMMAND's stdout and stderr passing through pipes that tether reads on their way to where they were going,
 * so that tether can look for a line in them. Every chunk read is written on before anyone looks at it, and
 * as it came: nothing is held back for a newline, and the bytes are not changed.
 *
 * <p>A stream that is a terminal is never tapped: a pipe in its place would tell COMMAND that it writes to
 * no terminal, which changes what it writes (colours, progress) and how (stdio buffers whole blocks for a
 * pipe). A stream that is not a terminal is buffered the same way on a pipe as on a file or another pipe.
 */
public interface OutputTap {

    /** The descriptor to give COMMAND as its stdout: the pipe's, or where it went anyway if not tapped. */
    int stdout();

    /** The descriptor to give COMMAND as its stderr, as {@link #stdout()}. */
    int stderr();

    /** Whether any stream is tapped; {@code false} when both go to a terminal. */
    boolean tapsAnything();

    /**
     * Starts passing the streams on, once COMMAND has been spawned with them: tether's own copies of the
     * pipes' write ends are closed, so that a stream ends when the tree no longer holds it. Each chunk is
     * handed to {@code reader} after it was written on, until {@link #stopReading()}.
     */
    void start(Reader reader);

    /** From now on the streams are only passed on. */
    void stopReading();

    /**
     * Waits until every tapped stream has ended, or {@code timeout} passed: after the tree is gone, so that
     * the last lines COMMAND wrote reach their destination before tether exits.
     */
    void drain(Duration timeout) throws InterruptedException;

    /** Gets what COMMAND wrote, chunk by chunk, on the thread that passes the stream on. */
    interface Reader {
        /** @param stream 1 for stdout, 2 for stderr (both 1 when they go to the same file and share one pipe) */
        void read(int stream, byte[] bytes, int length);
    }
}
