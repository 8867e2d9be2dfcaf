package tether.windows;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.OutputStream;

/** Writes to a Windows handle tether inherited, which Java has no stream for, and closes it with the stream. */
final class HandleOutputStream extends OutputStream {

    private final Kernel32 kernel32;
    private final Pointer handle;

    HandleOutputStream(Kernel32 kernel32, Pointer handle) {
        this.kernel32 = kernel32;
        this.handle = handle;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        byte[] rest = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
        int[] written = new int[1];
        while (rest.length > 0) {
            if (!kernel32.WriteFile(handle, rest, rest.length, written, null)) {
                throw new IOException(WindowsErrors.ofCall("WriteFile", kernel32.GetLastError()));
            }
            rest = java.util.Arrays.copyOfRange(rest, written[0], rest.length);
        }
    }

    @Override
    public void close() {
        kernel32.CloseHandle(handle);
    }
}
