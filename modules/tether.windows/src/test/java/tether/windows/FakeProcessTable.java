package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Windows process table behind kernel32, ntdll and advapi32, as strict as Windows: handles carry the access
 * they were opened with and every call checks it (ERROR_ACCESS_DENIED otherwise), a closed or unknown handle
 * fails, a size field that is not the struct's fails, and {@code ReadProcessMemory} copies only from a region
 * the process has, all of the bytes asked for or none (ERROR_PARTIAL_COPY). Each process's PEB, process
 * parameters, strings and environment block live in native memory at real addresses, laid out by
 * {@link WindowsLayouts}. {@link #openHandles} lets a test prove that every handle was closed.
 */
class FakeProcessTable implements Kernel32Processes, Ntdll, Advapi32 {

    static final int ERROR_INVALID_HANDLE = 6;
    static final int ERROR_NO_MORE_FILES = 18;
    static final int ERROR_BAD_LENGTH = 24;
    static final int ERROR_INSUFFICIENT_BUFFER = 122;
    static final int ERROR_PARTIAL_COPY = 299;
    static final int STATUS_ACCESS_DENIED = 0xC0000022;
    static final int SELF = 1000;
    static final Pointer CURRENT_PROCESS = new Pointer(-1);

    /** A process: its ids, creation FILETIME, user SID, and what its PEB holds; {@code denied}: others may not open it. */
    static final class Proc {
        final int pid;
        final int parent;
        final long created;
        final byte[] sid;
        final boolean denied;
        final long workingSet;
        final List<Memory> regions = new ArrayList<>();
        Memory peb;

        Proc(int pid, int parent, long created, byte[] sid, boolean denied, long workingSet) {
            this.pid = pid;
            this.parent = parent;
            this.created = created;
            this.sid = sid;
            this.denied = denied;
            this.workingSet = workingSet;
        }
    }

    record Handle(String kind, int pid, int access, List<Integer> listed) {}

    final Map<Integer, Proc> table = new LinkedHashMap<>();
    final Map<Long, Handle> handles = new HashMap<>();
    final List<String> terminated = new ArrayList<>();
    private long nextHandle = 0x100;
    private int lastError;
    private int iteration;

    static byte[] sid(int... subAuthorities) {
        byte[] sid = new byte[8 + 4 * subAuthorities.length];
        sid[0] = 1;
        sid[1] = (byte) subAuthorities.length;
        sid[7] = 5; // SECURITY_NT_AUTHORITY
        for (int i = 0; i < subAuthorities.length; i++) {
            sid[8 + 4 * i] = (byte) subAuthorities[i];
            sid[9 + 4 * i] = (byte) (subAuthorities[i] >> 8);
        }
        return sid;
    }

    /** Adds a process whose PEB holds {@code directory}, {@code commandLine} and {@code environment}. */
    FakeProcessTable add(int pid, int parent, long created, byte[] sid, String directory, String commandLine,
            List<String> environment) {
        Proc p = new Proc(pid, parent, created, sid, false, pid * 4096L);
        Memory cwd = region(p, utf16(directory));
        Memory line = region(p, utf16(commandLine));
        Memory block = region(p, new String(EnvironmentBlock.of(environment, null)).getBytes(StandardCharsets.UTF_16LE));
        Memory parameters = new Memory(WindowsLayouts.PARAMETERS_END + 64); // more than the survey reads
        parameters.clear();
        unicodeString(parameters, WindowsLayouts.CURRENT_DIRECTORY, cwd, 2 * directory.length());
        unicodeString(parameters, WindowsLayouts.COMMAND_LINE, line, 2 * commandLine.length());
        parameters.setPointer(WindowsLayouts.ENVIRONMENT, block);
        parameters.setLong(WindowsLayouts.ENVIRONMENT_SIZE, block.size());
        p.regions.add(parameters);
        p.peb = new Memory(WindowsLayouts.PEB_SIZE);
        p.peb.clear();
        p.peb.setPointer(WindowsLayouts.PEB_PARAMETERS, parameters);
        p.regions.add(p.peb);
        table.put(pid, p);
        return this;
    }

    /** A process others may not open (another user's service, a protected process). */
    FakeProcessTable addDenied(int pid, int parent, long created) {
        table.put(pid, new Proc(pid, parent, created, sid(18), true, 0));
        return this;
    }

    private static byte[] utf16(String text) {
        return text.getBytes(StandardCharsets.UTF_16LE);
    }

    private static Memory region(Proc p, byte[] bytes) {
        Memory memory = new Memory(Math.max(1, bytes.length));
        memory.write(0, bytes, 0, bytes.length);
        p.regions.add(memory);
        return memory;
    }

    private static void unicodeString(Memory parameters, int offset, Memory buffer, int length) {
        parameters.setShort(offset, (short) length);
        parameters.setShort(offset + 2, (short) buffer.size());
        parameters.setPointer(offset + WindowsLayouts.STRING_BUFFER, buffer);
    }

    List<Handle> openHandles() {
        return new ArrayList<>(handles.values());
    }

    private Pointer handle(Handle handle) {
        long value = nextHandle;
        nextHandle += 4;
        handles.put(value, handle);
        return new Pointer(value);
    }

    private boolean fail(int error) {
        lastError = error;
        return false;
    }

    /** The process a handle with {@code access} names; the pseudo-handle names this process with every right. */
    private Proc process(Pointer handle, int access) {
        if (Pointer.nativeValue(handle) == -1) {
            return table.get(SELF);
        }
        Handle h = handles.get(Pointer.nativeValue(handle));
        if (h == null || !h.kind().equals("process")) {
            fail(ERROR_INVALID_HANDLE);
            return null;
        }
        if ((h.access() & access) != access) {
            fail(Kernel32.ERROR_ACCESS_DENIED);
            return null;
        }
        return table.get(h.pid());
    }

    @Override
    public Pointer CreateToolhelp32Snapshot(int flags, int processId) {
        if (flags != TH32CS_SNAPPROCESS || processId != 0) {
            fail(Kernel32Processes.ERROR_INVALID_PARAMETER);
            return new Pointer(Kernel32.INVALID_HANDLE_VALUE);
        }
        return handle(new Handle("snapshot", 0, 0, new ArrayList<>(table.keySet())));
    }

    @Override
    public boolean Process32FirstW(Pointer snapshot, Pointer entry) {
        iteration = 0;
        return Process32NextW(snapshot, entry);
    }

    @Override
    public boolean Process32NextW(Pointer snapshot, Pointer entry) {
        Handle h = handles.get(Pointer.nativeValue(snapshot));
        if (h == null || !h.kind().equals("snapshot")) {
            return fail(ERROR_INVALID_HANDLE);
        }
        if (entry.getInt(0) != WindowsLayouts.ENTRY_SIZE) {
            return fail(ERROR_BAD_LENGTH);
        }
        if (iteration >= h.listed().size()) {
            return fail(ERROR_NO_MORE_FILES);
        }
        Proc p = table.get(h.listed().get(iteration++));
        entry.setInt(WindowsLayouts.ENTRY_PID, p.pid);
        entry.setInt(WindowsLayouts.ENTRY_PARENT, p.parent);
        byte[] exe = utf16("proc" + p.pid + ".exe\0");
        entry.write(WindowsLayouts.ENTRY_EXE, exe, 0, exe.length);
        return true;
    }

    @Override
    public Pointer OpenProcess(int desiredAccess, boolean inheritHandle, int processId) {
        Proc p = table.get(processId);
        if (p == null) {
            fail(Kernel32Processes.ERROR_INVALID_PARAMETER);
            return null;
        }
        if (p.denied) {
            fail(Kernel32.ERROR_ACCESS_DENIED);
            return null;
        }
        return handle(new Handle("process", processId, desiredAccess, null));
    }

    @Override
    public Pointer GetCurrentProcess() {
        return CURRENT_PROCESS;
    }

    @Override
    public boolean GetProcessTimes(Pointer process, long[] creation, long[] exit, long[] kernel, long[] user) {
        Proc p = process(process, PROCESS_QUERY_LIMITED_INFORMATION);
        if (p == null) {
            return false;
        }
        creation[0] = p.created;
        return true;
    }

    @Override
    public boolean ReadProcessMemory(Pointer process, Pointer baseAddress, Pointer buffer, long size, long[] read) {
        Proc p = process(process, PROCESS_VM_READ);
        if (p == null) {
            return false;
        }
        long at = Pointer.nativeValue(baseAddress);
        for (Memory region : p.regions) {
            long start = Pointer.nativeValue(region);
            if (at >= start && at + size <= start + region.size()) {
                buffer.write(0, region.getByteArray(at - start, (int) size), 0, (int) size);
                read[0] = size;
                return true;
            }
        }
        read[0] = 0;
        return fail(ERROR_PARTIAL_COPY);
    }

    @Override
    public boolean K32GetProcessMemoryInfo(Pointer process, Pointer counters, int size) {
        Proc p = process(process, PROCESS_QUERY_LIMITED_INFORMATION);
        if (p == null) {
            return false;
        }
        if (size != WindowsLayouts.MEMORY_COUNTERS_SIZE) {
            return fail(ERROR_INSUFFICIENT_BUFFER);
        }
        counters.setInt(0, size);
        counters.setLong(WindowsLayouts.WORKING_SET, p.workingSet);
        return true;
    }

    @Override
    public boolean TerminateProcess(Pointer process, int exitCode) {
        Proc p = process(process, PROCESS_TERMINATE);
        if (p == null) {
            return false;
        }
        table.remove(p.pid);
        terminated.add(p.pid + " " + exitCode);
        return true;
    }

    @Override
    public boolean CloseHandle(Pointer handle) {
        return handles.remove(Pointer.nativeValue(handle)) != null || fail(ERROR_INVALID_HANDLE);
    }

    @Override
    public int GetLastError() {
        return lastError;
    }

    @Override
    public int NtQueryInformationProcess(Pointer process, int informationClass, Pointer information, int length,
            int[] returnLength) {
        Proc p = process(process, PROCESS_QUERY_LIMITED_INFORMATION);
        if (p == null) {
            return STATUS_ACCESS_DENIED;
        }
        if (informationClass != 0 || length != WindowsLayouts.BASIC_INFORMATION_SIZE) {
            return 0xC0000004; // STATUS_INFO_LENGTH_MISMATCH
        }
        information.setPointer(WindowsLayouts.PEB_BASE, p.peb);
        returnLength[0] = length;
        return 0;
    }

    @Override
    public boolean OpenProcessToken(Pointer process, int desiredAccess, Pointer token) {
        Proc p = process(process, PROCESS_QUERY_LIMITED_INFORMATION);
        if (p == null) {
            return false;
        }
        if (desiredAccess != TOKEN_QUERY) {
            return fail(Kernel32.ERROR_ACCESS_DENIED);
        }
        token.setPointer(0, handle(new Handle("token", p.pid, desiredAccess, null)));
        return true;
    }

    /** TOKEN_USER with the SID placed after it in the same buffer, as Windows places it. */
    @Override
    public boolean GetTokenInformation(Pointer token, int informationClass, Pointer information, int length,
            int[] returnLength) {
        Handle h = handles.get(Pointer.nativeValue(token));
        if (h == null || !h.kind().equals("token")) {
            return fail(ERROR_INVALID_HANDLE);
        }
        if (informationClass != 1) {
            return fail(Kernel32Processes.ERROR_INVALID_PARAMETER);
        }
        byte[] sid = table.get(h.pid()).sid;
        int needed = WindowsLayouts.TOKEN_USER_SIZE + sid.length;
        returnLength[0] = needed;
        if (length < needed) {
            return fail(ERROR_INSUFFICIENT_BUFFER);
        }
        information.setPointer(0, information.share(WindowsLayouts.TOKEN_USER_SIZE));
        information.setInt(8, 0);
        information.write(WindowsLayouts.TOKEN_USER_SIZE, sid, 0, sid.length);
        return true;
    }
}
