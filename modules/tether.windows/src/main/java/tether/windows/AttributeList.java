package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.List;
import tether.api.SpawnException;

/**
 * A PROC_THREAD_ATTRIBUTE_LIST with one attribute whose value is an array of handles, for STARTUPINFOEXW.
 * The handles' array is kept here until {@link #close}, since Windows reads it only in CreateProcessW.
 */
final class AttributeList implements AutoCloseable {

    private final Kernel32 kernel32;
    private final Memory list;
    private final Memory handles;

    private AttributeList(Kernel32 kernel32, Memory list, Memory handles) {
        this.kernel32 = kernel32;
        this.list = list;
        this.handles = handles;
    }

    /** @throws SpawnException naming the call that failed; nothing is left to delete then */
    static AttributeList of(Kernel32 kernel32, long attribute, List<Pointer> values) throws SpawnException {
        long[] size = new long[1];
        // The first call only measures, and fails with ERROR_INSUFFICIENT_BUFFER by design.
        kernel32.InitializeProcThreadAttributeList(null, 1, 0, size);
        if (size[0] <= 0) {
            throw WindowsErrors.tetherFailure("InitializeProcThreadAttributeList", kernel32.GetLastError());
        }
        Memory list = new Memory(size[0]);
        if (!kernel32.InitializeProcThreadAttributeList(list, 1, 0, size)) {
            throw WindowsErrors.tetherFailure("InitializeProcThreadAttributeList", kernel32.GetLastError());
        }
        Memory handles = new Memory((long) values.size() * Kernel32.HANDLE_SIZE);
        for (int i = 0; i < values.size(); i++) {
            handles.setPointer((long) i * Kernel32.HANDLE_SIZE, values.get(i));
        }
        if (!kernel32.UpdateProcThreadAttribute(list, 0, attribute, handles, handles.size(), null, null)) {
            int error = kernel32.GetLastError();
            kernel32.DeleteProcThreadAttributeList(list);
            throw WindowsErrors.tetherFailure("UpdateProcThreadAttribute", error);
        }
        return new AttributeList(kernel32, list, handles);
    }

    Pointer address() {
        return list;
    }

    @Override
    public void close() {
        kernel32.DeleteProcThreadAttributeList(list);
        java.lang.ref.Reference.reachabilityFence(handles);
    }
}
