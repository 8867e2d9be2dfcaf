package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import tether.api.SpawnException;

/**
 * A PROC_THREAD_ATTRIBUTE_LIST for STARTUPINFOEXW whose attributes are each an array of handles (the job
 * list, the handle list). The arrays are kept here until {@link #close}: UpdateProcThreadAttribute keeps
 * only their address, and CreateProcessW reads them.
 */
final class AttributeList implements AutoCloseable {

    /** One attribute: its PROC_THREAD_ATTRIBUTE_ value and its handles. */
    record Attribute(long id, List<Pointer> handles) {}

    private final Kernel32 kernel32;
    private final Memory list;
    private final List<Memory> arrays;

    private AttributeList(Kernel32 kernel32, Memory list, List<Memory> arrays) {
        this.kernel32 = kernel32;
        this.list = list;
        this.arrays = arrays;
    }

    /** @throws SpawnException naming the call that failed; nothing is left to delete then */
    static AttributeList of(Kernel32 kernel32, List<Attribute> attributes) throws SpawnException {
        long[] size = new long[1];
        // The first call only measures, and fails with ERROR_INSUFFICIENT_BUFFER by design.
        kernel32.InitializeProcThreadAttributeList(null, attributes.size(), 0, size);
        if (size[0] <= 0) {
            throw WindowsErrors.tetherFailure("InitializeProcThreadAttributeList", kernel32.GetLastError());
        }
        Memory list = new Memory(size[0]);
        if (!kernel32.InitializeProcThreadAttributeList(list, attributes.size(), 0, size)) {
            throw WindowsErrors.tetherFailure("InitializeProcThreadAttributeList", kernel32.GetLastError());
        }
        List<Memory> arrays = new ArrayList<>(attributes.size());
        for (Attribute attribute : attributes) {
            Memory handles = new Memory((long) attribute.handles().size() * Kernel32.HANDLE_SIZE);
            for (int i = 0; i < attribute.handles().size(); i++) {
                handles.setPointer((long) i * Kernel32.HANDLE_SIZE, attribute.handles().get(i));
            }
            arrays.add(handles);
            if (!kernel32.UpdateProcThreadAttribute(list, 0, attribute.id(), handles, handles.size(), null, null)) {
                int error = kernel32.GetLastError();
                kernel32.DeleteProcThreadAttributeList(list);
                throw WindowsErrors.tetherFailure("UpdateProcThreadAttribute(0x" + Long.toHexString(attribute.id())
                        + ")", error);
            }
        }
        return new AttributeList(kernel32, list, arrays);
    }

    Pointer address() {
        return list;
    }

    @Override
    public void close() {
        kernel32.DeleteProcThreadAttributeList(list);
        java.lang.ref.Reference.reachabilityFence(arrays);
    }
}
