package tether.unix;

import com.sun.jna.Native;
import java.io.IOException;
import java.util.Arrays;

/** Writing to one of tether's own descriptors by number, which Java cannot do beyond 0, 1 and 2. */
final class Descriptors {

    private Descriptors() {}

    /** Writes all of {@code bytes}, as many times as {@code write(2)} takes, retrying after a signal. */
    static void writeFully(int fd, byte[] bytes) throws IOException {
        Natives.configure();
        int done = 0;
        while (done < bytes.length) {
            byte[] rest = done == 0 ? bytes : Arrays.copyOfRange(bytes, done, bytes.length);
            long written = CLibrary.write(fd, rest, rest.length);
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
}
