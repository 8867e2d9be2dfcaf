package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tether.api.OutputTap;
import tether.api.SpawnException;

/**
 * COMMAND's stdout and stderr through pipes, each passed on by a thread of its own that writes every chunk to
 * where the stream went before (tether's descriptor for COMMAND's stdout, its own stderr) as soon as it is
 * read, then shows it to the {@link OutputTap.Reader}. A stream that is a terminal keeps its terminal (see
 * {@link OutputTap}). When stdout and stderr are the same file, as after {@code 2>&1}, both share one pipe,
 * so that their order in the file stays the order COMMAND wrote them in.
 *
 * <p>When the destination refuses a write (a reader of a pipe went away), the pipe's read end is closed: COMMAND's
 * next write then fails with SIGPIPE or EPIPE, as its write to that destination would have.
 */
final class OutputPipes implements OutputTap {

    private static final UnixPlatform OS = UnixPlatform.current();
    private static final FileStat FILES = FileStat.of(OS);
    /** A pipe's capacity on Linux: one read takes what COMMAND could write before blocking. */
    private static final int CHUNK = 64 * 1024;
    private static final int STDERR = 2;

    /** One tapped stream: the pipe's ends and where what is read goes. */
    private record Stream(int number, int readEnd, int writeEnd, int destination) {}

    private final int stdout;
    private final int stderr;
    private final List<Stream> streams;
    private final List<Thread> threads = new ArrayList<>();
    private volatile Reader reader;

    private OutputPipes(int stdout, int stderr, List<Stream> streams) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.streams = streams;
    }

    /** @param stdout tether's descriptor for COMMAND's stdout (the launcher's, or 1) */
    static OutputTap open(int stdout) throws IOException {
        boolean outTapped = CLibrary.isatty(stdout) != 1;
        boolean errTapped = CLibrary.isatty(STDERR) != 1;
        List<Stream> streams = new ArrayList<>();
        int commandStdout = stdout;
        int commandStderr = STDERR;
        if (outTapped && errTapped && sameFile(stdout, STDERR)) {
            Stream both = stream(1, stdout);
            streams.add(both);
            commandStdout = both.writeEnd();
            commandStderr = both.writeEnd();
        } else {
            if (outTapped) {
                Stream out = stream(1, stdout);
                streams.add(out);
                commandStdout = out.writeEnd();
            }
            if (errTapped) {
                Stream err = stream(STDERR, STDERR);
                streams.add(err);
                commandStderr = err.writeEnd();
            }
        }
        return new OutputPipes(commandStdout, commandStderr, streams);
    }

    private static Stream stream(int number, int destination) throws IOException {
        try {
            int[] pipe = GroupSpawner.pipe();
            return new Stream(number, pipe[0], pipe[1], destination);
        } catch (SpawnException e) {
            throw new IOException(e.getMessage());
        }
    }

    /**
     * Whether two descriptors name one file, by device and inode: {@code /dev/fd/N} is the descriptor's own
     * file on Linux (a link into {@code /proc/self/fd}, which stat follows even to a pipe) and on macOS (xnu's
     * fdesc_attr, in bsd/miscfs/devfs/devfs_fdesc_support.c, answers with the open file's attributes, a pipe's
     * from pipe_stat).
     */
    static boolean sameFile(int a, int b) {
        Memory first = new Memory(FILES.size());
        Memory second = new Memory(FILES.size());
        return FILES.stat(devFd(a), true, first) == 0 && FILES.stat(devFd(b), true, second) == 0
                && FILES.device(first) == FILES.device(second) && FILES.inode(first) == FILES.inode(second);
    }

    private static Memory devFd(int fd) {
        return UnixPaths.cString(("/dev/fd/" + fd).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public int stdout() {
        return stdout;
    }

    @Override
    public int stderr() {
        return stderr;
    }

    @Override
    public boolean tapsAnything() {
        return !streams.isEmpty();
    }

    @Override
    public void start(Reader reader) {
        this.reader = reader;
        for (Stream stream : streams) {
            CLibrary.close(stream.writeEnd());
            Thread thread = new Thread(new PassOn(stream), stream.number() == STDERR ? "tether-stderr" : "tether-stdout");
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    @Override
    public void stopReading() {
        reader = null;
    }

    @Override
    public void drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                thread.join(Duration.ofNanos(left));
            }
        }
    }

    /** The thread of one stream: read, write on, show; until the stream ends or its destination refuses. */
    private final class PassOn implements Runnable {
        private final Stream stream;

        PassOn(Stream stream) {
            this.stream = stream;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[CHUNK];
            try {
                while (true) {
                    long length = CLibrary.read(stream.readEnd(), buffer, buffer.length);
                    if (length < 0 && Native.getLastError() == CLibrary.EINTR) {
                        continue;
                    }
                    if (length <= 0) {
                        return;
                    }
                    try {
                        Descriptors.writeFully(stream.destination(), buffer, (int) length);
                    } catch (IOException e) {
                        return;
                    }
                    Reader current = reader;
                    if (current != null) {
                        current.read(stream.number(), buffer, (int) length);
                    }
                }
            } finally {
                CLibrary.close(stream.readEnd());
            }
        }
    }
}
