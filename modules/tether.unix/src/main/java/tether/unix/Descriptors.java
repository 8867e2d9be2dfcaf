package tether.unix;

import com.sun.jna.Native;
import java.io.IOException;
import java.util.Arrays;

/** Writing to one of tether's own descriptors by number, which Java cannot do beyond 0, 1 and 2. */
final class Descriptors {

    private Descriptors() {}

    /** Writes all of {@code bytes}, as many times as {@code write(2)} takes, retrying after a signal. */
    static void writeFully(int fd, byte[] bytes) throws IOException {
        writeFully(fd, bytes, bytes.length);
    }

    /** Writes the first {@code length} bytes of {@code bytes}, as {@link #writeFully(int, byte[])}. */
    static void writeFully(int fd, byte[] bytes, int length) throws IOException {
        Natives.configure();
        int done = 0;
        while (done < length) {
            byte[] rest = done == 0 ? bytes : Arrays.copyOfRange(bytes, done, length);
            long written = CLibrary.write(fd, rest, length - done);
            if (written < 0) {
                int errno = Native.getLastError();
                if (errno == CLibrary.EINTR) {
                    continue;
                }
                throw new IOException(CLibrary.strerror(errno));
            }
            done += (int) written;
        }
    }

    /**
     * Descriptor {@code fd} as a stream that writes to it and closes that very descriptor; refused now when it
     * is not open, or open for reading only.
     */
    static java.io.OutputStream stream(int fd) throws IOException {
        Natives.configure();
        int flags = CLibrary.fcntl(fd, CLibrary.F_GETFL, 0);
        if (flags < 0) {
            throw new IOException(CLibrary.lastError());
        }
        if ((flags & CLibrary.O_ACCMODE) == CLibrary.O_RDONLY) {
            throw new IOException("it is open for reading only");
        }
        return new Stream(fd);
    }

    private static final class Stream extends java.io.OutputStream {
        private final int fd;
        private boolean closed;

        Stream(int fd) {
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            writeFully(fd, new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            writeFully(fd, Arrays.copyOfRange(bytes, offset, offset + length));
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                CLibrary.close(fd);
            }
        }
    }
}
