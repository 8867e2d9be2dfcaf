package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tether.api.ProcessSurvey;
import tether.api.Provenance;
import tether.api.Resident;
import tether.api.TreeSignal;

/**
 * Every process as Windows shows it to a program of the same user: a Toolhelp snapshot for the pids and their
 * parents; each process's creation time ({@code GetProcessTimes}), which names it even after its pid is reused,
 * and its token's user; and, for the processes of this user, what their PEB holds: the working directory, the
 * command line and the environment, read with {@code ReadProcessMemory} from the process parameters that
 * {@code NtQueryInformationProcess(ProcessBasicInformation)} leads to, as psutil reads them.
 *
 * <p>What Windows does not give, and how it is taken: a parent id stays after the parent exits and may name a
 * newer process, which the survey's user tells by its later start; a 32-bit process is read through its 64-bit
 * PEB, whose working directory may be the one it started with; there is no process group, no terminal
 * foreground and no request to end that reaches a process of another console, so nothing is kept for a
 * terminal and a process is ended at once, with {@code TerminateProcess}, whatever the signal. A directory in
 * use as a working directory cannot be removed on Windows, so none is ever deleted. Listening ports are not
 * read. Paths compare without regard to case, as NTFS names do.
 */
final class WindowsSurvey implements ProcessSurvey {

    /** FILETIME's epoch, 1601-01-01, in seconds before the Unix epoch, and its unit, 100 ns. */
    private static final long FILETIME_EPOCH_SECONDS = 11_644_473_600L;
    private static final long FILETIME_UNITS_PER_SECOND = 10_000_000L;
    /** The most of another process's environment read: far beyond any real one, short of a runaway read. */
    private static final long LONGEST_ENVIRONMENT = 1 << 20;
    /** TOKEN_USER of a SID with the most sub-authorities (15): a pointer, the attributes, and the SID. */
    private static final int TOKEN_USER_ROOM = 16 + 8 + 15 * 4;

    private final Kernel32Processes processes;
    private final Ntdll ntdll;
    private final Advapi32 advapi32;
    private final Shell32 shell32;
    private final Kernel32 kernel32;
    private final Charset charset;
    private byte[] ownUser;

    WindowsSurvey(Kernel32Processes processes, Ntdll ntdll, Advapi32 advapi32, Shell32 shell32, Kernel32 kernel32,
            Charset charset) {
        this.processes = processes;
        this.ntdll = ntdll;
        this.advapi32 = advapi32;
        this.shell32 = shell32;
        this.kernel32 = kernel32;
        this.charset = charset;
    }

    @Override
    public List<Resident> residents() throws IOException {
        Pointer snapshot = processes.CreateToolhelp32Snapshot(Kernel32Processes.TH32CS_SNAPPROCESS, 0);
        if (snapshot == null || Pointer.nativeValue(snapshot) == Kernel32.INVALID_HANDLE_VALUE) {
            throw new IOException(WindowsErrors.ofCall("CreateToolhelp32Snapshot", processes.GetLastError()));
        }
        List<long[]> entries = new ArrayList<>();
        try {
            Memory entry = new Memory(Kernel32Processes.PROCESSENTRY32W_SIZE);
            entry.clear();
            entry.setInt(0, Kernel32Processes.PROCESSENTRY32W_SIZE);
            for (boolean more = processes.Process32FirstW(snapshot, entry); more;
                    more = processes.Process32NextW(snapshot, entry)) {
                entries.add(new long[] {Integer.toUnsignedLong(entry.getInt(Kernel32Processes.PROCESSENTRY32W_PID_OFFSET)),
                        Integer.toUnsignedLong(entry.getInt(Kernel32Processes.PROCESSENTRY32W_PARENT_OFFSET))});
            }
        } finally {
            processes.CloseHandle(snapshot);
        }
        byte[] own = ownUser();
        List<Resident> residents = new ArrayList<>(entries.size());
        for (long[] ids : entries) {
            Instant started = null;
            boolean mine = false;
            Pointer process = ids[0] == 0 ? null
                    : processes.OpenProcess(Kernel32Processes.PROCESS_QUERY_LIMITED_INFORMATION, false, (int) ids[0]);
            if (process != null) {
                try {
                    started = started(process);
                    mine = own != null && Arrays.equals(own, user(process));
                } finally {
                    processes.CloseHandle(process);
                }
            }
            residents.add(new Resident(ids[0], ids[1], 0, started, mine, false));
        }
        return residents;
    }

    @Override
    public Whereabouts whereabouts(Resident process) {
        Pointer handle = open(process, Kernel32Processes.PROCESS_QUERY_LIMITED_INFORMATION | Kernel32Processes.PROCESS_VM_READ);
        if (handle == null) {
            return null;
        }
        try {
            Memory parameters = parameters(handle);
            if (parameters == null) {
                return null;
            }
            String directory = unicodeString(handle, parameters, Ntdll.PARAMETERS_CURRENT_DIRECTORY_OFFSET);
            long size = Math.min(parameters.getLong(Ntdll.PARAMETERS_ENVIRONMENT_SIZE_OFFSET), LONGEST_ENVIRONMENT);
            Memory environment = read(handle, parameters.getPointer(Ntdll.PARAMETERS_ENVIRONMENT_OFFSET), size);
            return new Whereabouts(directory == null ? null : withoutTrailingSeparator(directory).getBytes(charset),
                    false, environment == null ? null : marker(environment.getByteArray(0, (int) size)));
        } finally {
            processes.CloseHandle(handle);
        }
    }

    @Override
    public List<byte[]> command(Resident process) {
        Pointer handle = open(process, Kernel32Processes.PROCESS_QUERY_LIMITED_INFORMATION | Kernel32Processes.PROCESS_VM_READ);
        if (handle == null) {
            return List.of();
        }
        try {
            Memory parameters = parameters(handle);
            String line = parameters == null ? null : unicodeString(handle, parameters, Ntdll.PARAMETERS_COMMAND_LINE_OFFSET);
            List<String> words = line == null ? null : CommandLineWords.split(shell32, kernel32,
                    Utf16.memory((line + "\0").toCharArray()));
            List<byte[]> command = new ArrayList<>();
            for (String word : words == null ? List.<String>of() : words) {
                command.add(word.getBytes(charset));
            }
            return command;
        } finally {
            processes.CloseHandle(handle);
        }
    }

    /** The working set: Windows keeps no proportional figure per process. */
    @Override
    public long memory(Resident process) {
        Pointer handle = open(process, Kernel32Processes.PROCESS_QUERY_LIMITED_INFORMATION);
        if (handle == null) {
            return -1;
        }
        try {
            Memory counters = new Memory(Kernel32Processes.PROCESS_MEMORY_COUNTERS_SIZE);
            counters.clear();
            counters.setInt(0, Kernel32Processes.PROCESS_MEMORY_COUNTERS_SIZE);
            return processes.K32GetProcessMemoryInfo(handle, counters, Kernel32Processes.PROCESS_MEMORY_COUNTERS_SIZE)
                    ? counters.getLong(Kernel32Processes.WORKING_SET_SIZE_OFFSET) : -1;
        } finally {
            processes.CloseHandle(handle);
        }
    }

    @Override
    public int[] ports(List<Resident> residents) {
        return new int[0];
    }

    /**
     * {@code TerminateProcess} for any signal that ends, nothing for SIGCONT: Windows has no request to end
     * that another console's process receives. Only the process that started when {@code process} did.
     */
    @Override
    public String signal(Resident process, TreeSignal signal) {
        if (signal == TreeSignal.CONT) {
            return null;
        }
        Pointer handle = processes.OpenProcess(Kernel32Processes.PROCESS_TERMINATE
                | Kernel32Processes.PROCESS_QUERY_LIMITED_INFORMATION, false, (int) process.pid());
        if (handle == null) {
            int error = processes.GetLastError();
            return error == Kernel32Processes.ERROR_INVALID_PARAMETER ? null : WindowsErrors.reason(error);
        }
        try {
            if (!process.started().equals(started(handle))) {
                return null; // the pid went to another process: the one asked for is gone
            }
            return processes.TerminateProcess(handle, 1) ? null : WindowsErrors.reason(processes.GetLastError());
        } finally {
            processes.CloseHandle(handle);
        }
    }

    /** Without regard to case, {@code \} or {@code /} separating names, as Windows compares paths. */
    @Override
    public boolean isWithin(byte[] path, byte[] directory) {
        String inside = comparable(path);
        String outer = comparable(directory);
        return inside.equals(outer) || inside.startsWith(outer + "\\");
    }

    private String comparable(byte[] path) {
        return withoutTrailingSeparator(new String(path, charset).replace('/', '\\')).toUpperCase(Locale.ROOT);
    }

    /** {@code C:\src\shop\} as {@code C:\src\shop}; a drive's root keeps nothing after its colon. */
    private static String withoutTrailingSeparator(String path) {
        String trimmed = path;
        while (trimmed.endsWith("\\") || trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** {@code process} opened with {@code access} if it is still the process the survey saw, else {@code null}. */
    private Pointer open(Resident process, int access) {
        if (process.started() == null) {
            return null;
        }
        Pointer handle = processes.OpenProcess(access, false, (int) process.pid());
        if (handle != null && !process.started().equals(started(handle))) {
            processes.CloseHandle(handle);
            return null;
        }
        return handle;
    }

    /** When the process of {@code handle} was created, or {@code null} if Windows does not say. */
    private Instant started(Pointer handle) {
        long[] creation = new long[1];
        if (!processes.GetProcessTimes(handle, creation, new long[1], new long[1], new long[1])) {
            return null;
        }
        long units = creation[0];
        return Instant.ofEpochSecond(units / FILETIME_UNITS_PER_SECOND - FILETIME_EPOCH_SECONDS,
                units % FILETIME_UNITS_PER_SECOND * 100);
    }

    private byte[] ownUser() {
        if (ownUser == null) {
            ownUser = user(processes.GetCurrentProcess());
        }
        return ownUser;
    }

    /**
     * The SID of the user of {@code process}'s token, as bytes (revision, count, authority, then each
     * sub-authority: equal bytes are an equal SID), or {@code null}. TOKEN_USER's first field points to the
     * SID, which Windows places in the same buffer; a pointer outside it is refused.
     */
    private byte[] user(Pointer process) {
        Memory token = new Memory(Kernel32.HANDLE_SIZE);
        token.clear();
        if (!advapi32.OpenProcessToken(process, Kernel32Processes.TOKEN_QUERY, token)) {
            return null;
        }
        Pointer handle = token.getPointer(0);
        try {
            Memory information = new Memory(TOKEN_USER_ROOM);
            information.clear();
            int[] length = new int[1];
            if (!advapi32.GetTokenInformation(handle, Kernel32Processes.TOKEN_USER_CLASS, information, TOKEN_USER_ROOM,
                    length)) {
                return null;
            }
            return sid(information, Math.min(length[0], TOKEN_USER_ROOM));
        } finally {
            processes.CloseHandle(handle);
        }
    }

    /** The SID that TOKEN_USER in {@code information}, {@code length} bytes of it written, points to. */
    static byte[] sid(Memory information, int length) {
        long offset = Pointer.nativeValue(information.getPointer(0)) - Pointer.nativeValue(information);
        if (offset < 0 || offset + 8 > length) {
            return null;
        }
        int subAuthorities = information.getByte(offset + 1) & 0xff;
        int size = 8 + 4 * subAuthorities;
        return offset + size > length ? null : information.getByteArray(offset, size);
    }

    /** RTL_USER_PROCESS_PARAMETERS of {@code handle}'s process, up to EnvironmentSize, or {@code null}. */
    private Memory parameters(Pointer handle) {
        Memory basic = new Memory(Ntdll.PROCESS_BASIC_INFORMATION_SIZE);
        basic.clear();
        if (ntdll.NtQueryInformationProcess(handle, Ntdll.PROCESS_BASIC_INFORMATION_CLASS, basic,
                Ntdll.PROCESS_BASIC_INFORMATION_SIZE, new int[1]) < 0) {
            return null;
        }
        Pointer peb = basic.getPointer(Ntdll.PEB_BASE_ADDRESS_OFFSET);
        Memory address = peb == null ? null : read(handle, peb.share(Ntdll.PEB_PROCESS_PARAMETERS_OFFSET), 8);
        Pointer parameters = address == null ? null : address.getPointer(0);
        return parameters == null ? null : read(handle, parameters, Ntdll.PARAMETERS_READ);
    }

    /** The UNICODE_STRING at {@code offset} of {@code parameters}, read from the process, or {@code null}. */
    private String unicodeString(Pointer handle, Memory parameters, int offset) {
        int length = parameters.getShort(offset) & 0xffff;
        Memory text = length == 0 ? null
                : read(handle, parameters.getPointer(offset + Ntdll.UNICODE_STRING_BUFFER_OFFSET), length);
        return text == null ? null : new String(text.getByteArray(0, length), StandardCharsets.UTF_16LE);
    }

    /** {@code size} bytes of the process's memory at {@code address}, or {@code null} if not all could be read. */
    private Memory read(Pointer handle, Pointer address, long size) {
        if (address == null || size <= 0) {
            return null;
        }
        Memory buffer = new Memory(size);
        long[] read = new long[1];
        return processes.ReadProcessMemory(handle, address, buffer, size, read) && read[0] == size ? buffer : null;
    }

    /**
     * The marker entry of a UTF-16 environment block (entries NUL-terminated, the block ended by an empty one)
     * in the carrier's bytes, or {@code null}.
     */
    private byte[] marker(byte[] block) {
        String text = new String(block, StandardCharsets.UTF_16LE);
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\0', start);
            if (end == start || end < 0) {
                return null;
            }
            byte[] entry = text.substring(start, end).getBytes(charset);
            if (Provenance.isMarker(entry)) {
                return entry;
            }
            start = end + 1;
        }
        return null;
    }
}
