package tether.windows;

import com.sun.jna.Pointer;

/** A process started with {@code CreateProcessW}, known by its handle. */
final class Win32Process implements RootProcess {

    private final Kernel32 kernel32;
    private final Pointer handle;
    private final long pid;

    Win32Process(Kernel32 kernel32, Pointer handle, long pid) {
        this.kernel32 = kernel32;
        this.handle = handle;
        this.pid = pid;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public int awaitExitCode() {
        if (kernel32.WaitForSingleObject(handle, Kernel32.INFINITE) == Kernel32.WAIT_FAILED) {
            throw new IllegalStateException("WaitForSingleObject(" + pid + "): error " + kernel32.GetLastError());
        }
        int[] code = new int[1];
        if (!kernel32.GetExitCodeProcess(handle, code)) {
            throw new IllegalStateException("GetExitCodeProcess(" + pid + "): error " + kernel32.GetLastError());
        }
        return code[0];
    }

    @Override
    public void close() {
        kernel32.CloseHandle(handle);
    }
}
