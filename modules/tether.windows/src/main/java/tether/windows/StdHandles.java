package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import tether.api.SpawnException;

/**
 * COMMAND's stdin, stdout and stderr for one CreateProcessW: inheritable duplicates of tether's own,
 * closed once the child has its copies. STARTUPINFOW's documentation says the handles given with
 * STARTF_USESTDHANDLES "must be inheritable and the function's bInheritHandles parameter must be set to
 * TRUE"; tether's own are not inheritable, and making them so would hand them to whatever else tether's
 * process starts. Duplicates are also three distinct values even where two slots hold one handle (stdout and
 * stderr on the same console), so the handle list names each once. A slot for which tether has no handle
 * (started with it closed) gets NUL, as COMMAND gets {@code /dev/null} on Unix.
 */
final class StdHandles implements AutoCloseable {

    private static final int[] SLOTS = {Kernel32.STD_INPUT_HANDLE, Kernel32.STD_OUTPUT_HANDLE, Kernel32.STD_ERROR_HANDLE};

    private final Kernel32 kernel32;
    private final Pointer[] handles;
    private final List<Pointer> owned;

    private StdHandles(Kernel32 kernel32, Pointer[] handles, List<Pointer> owned) {
        this.kernel32 = kernel32;
        this.handles = handles;
        this.owned = owned;
    }

    /** @throws SpawnException naming the call that failed; nothing is left open then */
    static StdHandles inheritableCopies(Kernel32 kernel32) throws SpawnException {
        Pointer[] handles = new Pointer[SLOTS.length];
        List<Pointer> owned = new ArrayList<>();
        StdHandles copies = new StdHandles(kernel32, handles, owned);
        Pointer nul = null;
        Pointer self = new Pointer(Kernel32.CURRENT_PROCESS);
        for (int i = 0; i < SLOTS.length; i++) {
            Pointer own = kernel32.GetStdHandle(SLOTS[i]);
            Memory copy = new Memory(Kernel32.HANDLE_SIZE);
            if (!Handles.invalid(own) && kernel32.DuplicateHandle(self, own, self, copy, 0, true,
                    Kernel32.DUPLICATE_SAME_ACCESS)) {
                handles[i] = copy.getPointer(0);
                owned.add(handles[i]);
                continue;
            }
            int error = Handles.invalid(own) ? Kernel32.ERROR_INVALID_HANDLE : kernel32.GetLastError();
            if (error != Kernel32.ERROR_INVALID_HANDLE) {
                copies.close();
                throw WindowsErrors.tetherFailure("DuplicateHandle", error);
            }
            if (nul == null) {
                nul = Handles.openNul(kernel32);
                if (nul == null) {
                    int nulError = kernel32.GetLastError();
                    copies.close();
                    throw WindowsErrors.tetherFailure("CreateFileW(NUL)", nulError);
                }
                owned.add(nul);
            }
            handles[i] = nul;
        }
        return copies;
    }

    Pointer stdin() {
        return handles[0];
    }

    Pointer stdout() {
        return handles[1];
    }

    Pointer stderr() {
        return handles[2];
    }

    /** Each handle once, for PROC_THREAD_ATTRIBUTE_HANDLE_LIST. */
    List<Pointer> distinct() {
        return List.copyOf(owned);
    }

    @Override
    public void close() {
        for (Pointer handle : owned) {
            kernel32.CloseHandle(handle);
        }
    }
}
