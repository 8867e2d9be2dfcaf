package tether.windows;

/**
 * The x64 layouts of the structs the survey reads, computed here from their fields as the headers declare them
 * and MSVC lays them out (each field at a multiple of its alignment, the struct padded to its largest one):
 * the stand-in writes its structs at these offsets and {@code WindowsSurveyHeadersTest} holds the code's
 * constants to them, so neither takes its numbers from the code under test.
 */
final class WindowsLayouts {

    private WindowsLayouts() {}

    /** A field: its size and its alignment. */
    record Field(int size, int alignment) {}

    static Field f(int size, int alignment) {
        return new Field(size, alignment);
    }

    static final Field BYTE = f(1, 1);
    static final Field WORD = f(2, 2);
    static final Field DWORD = f(4, 4);
    static final Field POINTER = f(8, 8);
    /** UNICODE_STRING: USHORT Length, USHORT MaximumLength, PWSTR Buffer. */
    static final Field UNICODE_STRING = f(16, 8);

    /** The offsets of {@code fields}, and the struct's padded size last. */
    static int[] layout(Field... fields) {
        int[] offsets = new int[fields.length + 1];
        int offset = 0;
        int alignment = 1;
        for (int i = 0; i < fields.length; i++) {
            offset = (offset + fields[i].alignment() - 1) / fields[i].alignment() * fields[i].alignment();
            offsets[i] = offset;
            offset += fields[i].size();
            alignment = Math.max(alignment, fields[i].alignment());
        }
        offsets[fields.length] = (offset + alignment - 1) / alignment * alignment;
        return offsets;
    }

    /**
     * PROCESSENTRY32W (tlhelp32.h): dwSize, cntUsage, th32ProcessID, th32DefaultHeapID (ULONG_PTR),
     * th32ModuleID, cntThreads, th32ParentProcessID, pcPriClassBase (LONG), dwFlags, szExeFile[MAX_PATH 260].
     */
    static final int[] PROCESSENTRY32W = layout(DWORD, DWORD, DWORD, POINTER, DWORD, DWORD, DWORD, DWORD, DWORD,
            f(260 * 2, 2));
    static final int ENTRY_PID = PROCESSENTRY32W[2];
    static final int ENTRY_PARENT = PROCESSENTRY32W[6];
    static final int ENTRY_EXE = PROCESSENTRY32W[9];
    static final int ENTRY_SIZE = PROCESSENTRY32W[10];

    /**
     * PROCESS_MEMORY_COUNTERS (psapi.h): cb, PageFaultCount, then PeakWorkingSetSize, WorkingSetSize,
     * QuotaPeakPagedPoolUsage, QuotaPagedPoolUsage, QuotaPeakNonPagedPoolUsage, QuotaNonPagedPoolUsage,
     * PagefileUsage, PeakPagefileUsage (SIZE_T each).
     */
    static final int[] MEMORY_COUNTERS = layout(DWORD, DWORD, POINTER, POINTER, POINTER, POINTER, POINTER, POINTER,
            POINTER, POINTER);
    static final int WORKING_SET = MEMORY_COUNTERS[3];
    static final int MEMORY_COUNTERS_SIZE = MEMORY_COUNTERS[10];

    /**
     * PROCESS_BASIC_INFORMATION (winternl.h): PVOID Reserved1 (the exit status), PPEB PebBaseAddress, PVOID
     * Reserved2[2], ULONG_PTR UniqueProcessId, PVOID Reserved3 (the parent's id).
     */
    static final int[] BASIC_INFORMATION = layout(POINTER, POINTER, f(16, 8), POINTER, POINTER);
    static final int PEB_BASE = BASIC_INFORMATION[1];
    static final int BASIC_INFORMATION_SIZE = BASIC_INFORMATION[5];

    /** PEB (winternl.h): BYTE Reserved1[2], BYTE BeingDebugged, BYTE Reserved2[1], PVOID Reserved3[2], Ldr, ProcessParameters. */
    static final int[] PEB = layout(f(2, 1), BYTE, BYTE, f(16, 8), POINTER, POINTER);
    static final int PEB_PARAMETERS = PEB[5];
    static final int PEB_SIZE = PEB[6];

    /**
     * RTL_USER_PROCESS_PARAMETERS as phnt's ntrtl.h declares it, up to EnvironmentSize: MaximumLength, Length,
     * Flags, DebugFlags, ConsoleHandle, ConsoleFlags, StandardInput, StandardOutput, StandardError,
     * CurrentDirectory (CURDIR: a UNICODE_STRING and a HANDLE), DllPath, ImagePathName, CommandLine, Environment,
     * StartingX, StartingY, CountX, CountY, CountCharsX, CountCharsY, FillAttribute, WindowFlags,
     * ShowWindowFlags, WindowTitle, DesktopInfo, ShellInfo, RuntimeData,
     * CurrentDirectories[RTL_MAX_DRIVE_LETTERS 32] (RTL_DRIVE_LETTER_CURDIR: USHORT Flags, USHORT Length, ULONG
     * TimeStamp, STRING DosPath: 24 bytes), EnvironmentSize (ULONG_PTR).
     */
    static final int[] PARAMETERS = layout(DWORD, DWORD, DWORD, DWORD, POINTER, DWORD, POINTER, POINTER, POINTER,
            f(24, 8), UNICODE_STRING, UNICODE_STRING, UNICODE_STRING, POINTER, DWORD, DWORD, DWORD, DWORD, DWORD,
            DWORD, DWORD, DWORD, DWORD, UNICODE_STRING, UNICODE_STRING, UNICODE_STRING, UNICODE_STRING,
            f(32 * 24, 8), POINTER);
    static final int CURRENT_DIRECTORY = PARAMETERS[9];
    static final int COMMAND_LINE = PARAMETERS[12];
    static final int ENVIRONMENT = PARAMETERS[13];
    static final int ENVIRONMENT_SIZE = PARAMETERS[28];
    static final int PARAMETERS_END = PARAMETERS[28] + 8;
    /** UNICODE_STRING.Buffer. */
    static final int STRING_BUFFER = layout(WORD, WORD, POINTER)[2];

    /** TOKEN_USER (winnt.h): a SID_AND_ATTRIBUTES, PSID Sid and DWORD Attributes. */
    static final int TOKEN_USER_SIZE = layout(POINTER, DWORD)[2];
}
