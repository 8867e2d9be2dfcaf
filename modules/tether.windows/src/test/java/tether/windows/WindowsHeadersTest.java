package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tether.testkit.HeaderFact.fact;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tether.testkit.HeaderFact;

/**
 * Every Windows constant, struct size and offset the provider uses, against the value its Windows SDK header
 * gives for x64. Windows cannot run here, so the header values are written down from the SDK's headers
 * (winnt.h, winbase.h, processthreadsapi.h, jobapi2.h, consoleapi.h, winerror.h, fileapi.h, handleapi.h,
 * minwinbase.h, minwindef.h, shellapi.h); the struct sizes are also recomputed from their fields as MSVC lays
 * them out on x64 (each field aligned to its own size). {@code WineProbeTest} checks the same values against
 * the mingw-w64 headers, compiled, where those are installed.
 */
class WindowsHeadersTest {

    static Stream<HeaderFact> facts() {
        String winnt = "winnt.h";
        String winbase = "winbase.h";
        String threads = "processthreadsapi.h";
        String winerror = "winerror.h";
        String fileapi = "fileapi.h";
        return Stream.of(
                fact("CREATE_NO_WINDOW", Kernel32.CREATE_NO_WINDOW, 0x08000000, winbase),
                fact("CREATE_BREAKAWAY_FROM_JOB", Kernel32.CREATE_BREAKAWAY_FROM_JOB, 0x01000000, winbase),
                fact("PROC_THREAD_ATTRIBUTE_HANDLE_LIST, ProcThreadAttributeValue(ProcThreadAttributeHandleList = 2, FALSE, TRUE, FALSE)",
                        Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST, 2 | 0x00020000, winbase),
                fact("HANDLE_FLAG_INHERIT", Kernel32.HANDLE_FLAG_INHERIT, 0x00000001, winbase),
                fact("DUPLICATE_SAME_ACCESS", Kernel32.DUPLICATE_SAME_ACCESS, 0x00000002, winnt),
                fact("GetCurrentProcess's pseudo handle, (HANDLE)-1", Kernel32.CURRENT_PROCESS, -1, threads),
                fact("CTRL_C_EVENT", Kernel32.CTRL_C_EVENT, 0, "consoleapi.h"),
                fact("CTRL_CLOSE_EVENT", Kernel32.CTRL_CLOSE_EVENT, 2, "consoleapi.h"),
                fact("CTRL_LOGOFF_EVENT", Kernel32.CTRL_LOGOFF_EVENT, 5, "consoleapi.h"),
                fact("CTRL_SHUTDOWN_EVENT", Kernel32.CTRL_SHUTDOWN_EVENT, 6, "consoleapi.h"),
                fact("GENERIC_WRITE", Kernel32.GENERIC_WRITE, 0x40000000, winnt),
                fact("FILE_ATTRIBUTE_DIRECTORY", Kernel32.FILE_ATTRIBUTE_DIRECTORY, 0x00000010, winnt),
                fact("INVALID_FILE_ATTRIBUTES, ((DWORD)-1)", Integer.toUnsignedLong(Kernel32.INVALID_FILE_ATTRIBUTES),
                        0xFFFFFFFFL, fileapi),
                fact("FileIdInfo in FILE_INFO_BY_HANDLE_CLASS", Kernel32.FILE_ID_INFO_CLASS, 18, "minwinbase.h"),
                fact("sizeof(FILE_ID_INFO)", Kernel32.FILE_ID_INFO_SIZE, 24, winbase),
                fact("FILE_ID_INFO.VolumeSerialNumber", Kernel32.FILE_ID_INFO_VOLUME_OFFSET, 0, winbase),
                fact("FILE_ID_INFO.FileId", Kernel32.FILE_ID_INFO_ID_OFFSET, 8, winbase),
                fact("MAX_PATH", Kernel32.MAX_PATH, 260, "minwindef.h"),
                fact("ERROR_INVALID_HANDLE", Kernel32.ERROR_INVALID_HANDLE, 6, winerror),
                fact("ERROR_NOT_SUPPORTED", Kernel32.ERROR_NOT_SUPPORTED, 50, winerror),
                fact("ERROR_INVALID_PARAMETER", Kernel32.ERROR_INVALID_PARAMETER, 87, winerror),
                fact("ERROR_INSUFFICIENT_BUFFER", Kernel32.ERROR_INSUFFICIENT_BUFFER, 122, winerror),
                fact("ERROR_ALREADY_EXISTS", Kernel32.ERROR_ALREADY_EXISTS, 183, winerror),
                fact("SIGINT", ConsoleEvents.SIGINT, 2, "signal.h (Microsoft C runtime)"),
                fact("SIGTERM", ConsoleEvents.SIGTERM, 15, "signal.h (Microsoft C runtime)"),
                fact("SIGBREAK", ConsoleEvents.SIGBREAK, 21, "signal.h (Microsoft C runtime)"),
                fact("GENERIC_READ", Integer.toUnsignedLong(Kernel32.GENERIC_READ), 0x80000000L, winnt),
                fact("FILE_APPEND_DATA", Kernel32.FILE_APPEND_DATA, 0x0004, winnt),
                fact("FILE_READ_ATTRIBUTES", Kernel32.FILE_READ_ATTRIBUTES, 0x0080, winnt),
                fact("FILE_SHARE_READ", Kernel32.FILE_SHARE_READ, 0x00000001, winnt),
                fact("FILE_SHARE_WRITE", Kernel32.FILE_SHARE_WRITE, 0x00000002, winnt),
                fact("FILE_SHARE_DELETE", Kernel32.FILE_SHARE_DELETE, 0x00000004, winnt),
                fact("FILE_ATTRIBUTE_NORMAL", Kernel32.FILE_ATTRIBUTE_NORMAL, 0x00000080, winnt),
                fact("OPEN_EXISTING", Kernel32.OPEN_EXISTING, 3, fileapi),
                fact("OPEN_ALWAYS", Kernel32.OPEN_ALWAYS, 4, fileapi),
                fact("FILE_FLAG_BACKUP_SEMANTICS", Kernel32.FILE_FLAG_BACKUP_SEMANTICS, 0x02000000, winbase),
                fact("FILE_FLAG_OPEN_REPARSE_POINT", Kernel32.FILE_FLAG_OPEN_REPARSE_POINT, 0x00200000, winbase),
                fact("INVALID_HANDLE_VALUE, ((HANDLE)(LONG_PTR)-1)", Kernel32.INVALID_HANDLE_VALUE, -1, "handleapi.h"),
                fact("sizeof(LPWSTR), CommandLineToArgvW's LPWSTR*", Kernel32.POINTER_SIZE, 8, "shellapi.h"),
                fact("sizeof(SECURITY_ATTRIBUTES)", Kernel32.SECURITY_ATTRIBUTES_SIZE, 24, "minwinbase.h"),
                fact("SECURITY_ATTRIBUTES.bInheritHandle", Kernel32.SECURITY_ATTRIBUTES_INHERIT_OFFSET, 16,
                        "minwinbase.h"),
                fact("sizeof(BY_HANDLE_FILE_INFORMATION)", Kernel32.FILE_INFORMATION_SIZE, 52, fileapi),
                fact("BY_HANDLE_FILE_INFORMATION.dwVolumeSerialNumber", Kernel32.FILE_INFORMATION_VOLUME_OFFSET, 28,
                        fileapi),
                fact("BY_HANDLE_FILE_INFORMATION.nFileIndexHigh", Kernel32.FILE_INFORMATION_INDEX_HIGH_OFFSET, 44,
                        fileapi),
                fact("BY_HANDLE_FILE_INFORMATION.nFileIndexLow", Kernel32.FILE_INFORMATION_INDEX_LOW_OFFSET, 48,
                        fileapi),
                fact("CREATE_SUSPENDED", Kernel32.CREATE_SUSPENDED, 0x00000004, winbase),
                fact("CREATE_NEW_PROCESS_GROUP", Kernel32.CREATE_NEW_PROCESS_GROUP, 0x00000200, winbase),
                fact("CREATE_UNICODE_ENVIRONMENT", Kernel32.CREATE_UNICODE_ENVIRONMENT, 0x00000400, winbase),
                fact("EXTENDED_STARTUPINFO_PRESENT", Kernel32.EXTENDED_STARTUPINFO_PRESENT, 0x00080000, winbase),
                fact("STARTF_USESTDHANDLES", Kernel32.STARTF_USESTDHANDLES, 0x00000100, winbase),
                fact("STD_INPUT_HANDLE, (DWORD)-10", Kernel32.STD_INPUT_HANDLE, -10, winbase),
                fact("STD_OUTPUT_HANDLE, (DWORD)-11", Kernel32.STD_OUTPUT_HANDLE, -11, winbase),
                fact("STD_ERROR_HANDLE, (DWORD)-12", Kernel32.STD_ERROR_HANDLE, -12, winbase),
                fact("INFINITE", Integer.toUnsignedLong(Kernel32.INFINITE), 0xFFFFFFFFL, winbase),
                fact("WAIT_FAILED, (DWORD)0xFFFFFFFF", Integer.toUnsignedLong(Kernel32.WAIT_FAILED), 0xFFFFFFFFL, winbase),
                fact("ResumeThread's failure, (DWORD)-1", Integer.toUnsignedLong(Kernel32.RESUME_THREAD_FAILED),
                        0xFFFFFFFFL, threads),
                fact("CTRL_BREAK_EVENT", Kernel32.CTRL_BREAK_EVENT, 1, "consoleapi.h (wincon.h in older SDKs)"),
                fact("JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE", Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, 0x00002000, winnt),
                fact("JobObjectBasicProcessIdList in JOBOBJECTINFOCLASS", Kernel32.JOB_OBJECT_BASIC_PROCESS_ID_LIST, 3, winnt),
                fact("JobObjectExtendedLimitInformation in JOBOBJECTINFOCLASS",
                        Kernel32.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, 9, winnt),
                fact("PROC_THREAD_ATTRIBUTE_JOB_LIST, ProcThreadAttributeValue(ProcThreadAttributeJobList = 13, FALSE, TRUE, FALSE)",
                        Kernel32.PROC_THREAD_ATTRIBUTE_JOB_LIST, 13 | 0x00020000, winbase),
                fact("ERROR_FILE_NOT_FOUND", Kernel32.ERROR_FILE_NOT_FOUND, 2, winerror),
                fact("ERROR_PATH_NOT_FOUND", Kernel32.ERROR_PATH_NOT_FOUND, 3, winerror),
                fact("ERROR_ACCESS_DENIED", Kernel32.ERROR_ACCESS_DENIED, 5, winerror),
                fact("ERROR_BAD_EXE_FORMAT", Kernel32.ERROR_BAD_EXE_FORMAT, 193, winerror),
                fact("ERROR_MORE_DATA", Kernel32.ERROR_MORE_DATA, 234, winerror),
                fact("ERROR_DIRECTORY", Kernel32.ERROR_DIRECTORY, 267, winerror),
                fact("sizeof(HANDLE)", Kernel32.HANDLE_SIZE, 8, winnt),
                fact("sizeof(STARTUPINFOW)", Kernel32.STARTUPINFO_SIZE, 104, threads),
                fact("STARTUPINFOW.dwFlags", Kernel32.STARTUPINFO_FLAGS_OFFSET, 60, threads),
                fact("STARTUPINFOW.hStdInput", Kernel32.STARTUPINFO_STDIN_OFFSET, 80, threads),
                fact("STARTUPINFOW.hStdOutput", Kernel32.STARTUPINFO_STDOUT_OFFSET, 88, threads),
                fact("STARTUPINFOW.hStdError", Kernel32.STARTUPINFO_STDERR_OFFSET, 96, threads),
                fact("sizeof(STARTUPINFOEXW)", Kernel32.STARTUPINFOEX_SIZE, 112, winbase),
                fact("STARTUPINFOEXW.lpAttributeList", Kernel32.STARTUPINFOEX_ATTRIBUTE_LIST_OFFSET, 104, winbase),
                fact("sizeof(PROCESS_INFORMATION)", Kernel32.PROCESS_INFORMATION_SIZE, 24, threads),
                fact("PROCESS_INFORMATION.hProcess", Kernel32.PROCESS_INFORMATION_PROCESS_OFFSET, 0, threads),
                fact("PROCESS_INFORMATION.hThread", Kernel32.PROCESS_INFORMATION_THREAD_OFFSET, 8, threads),
                fact("PROCESS_INFORMATION.dwProcessId", Kernel32.PROCESS_INFORMATION_PID_OFFSET, 16, threads),
                fact("sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION)", Kernel32.EXTENDED_LIMIT_INFORMATION_SIZE, 144, winnt),
                fact("sizeof(JOBOBJECT_BASIC_LIMIT_INFORMATION)", Kernel32.BASIC_LIMIT_INFORMATION_SIZE, 64, winnt),
                fact("sizeof(IO_COUNTERS)", Kernel32.IO_COUNTERS_SIZE, 48, winnt),
                fact("JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation.LimitFlags",
                        Kernel32.LIMIT_FLAGS_OFFSET, 16, winnt),
                fact("JOBOBJECT_BASIC_PROCESS_ID_LIST.NumberOfAssignedProcesses",
                        Kernel32.PROCESS_ID_LIST_ASSIGNED_OFFSET, 0, winnt),
                fact("JOBOBJECT_BASIC_PROCESS_ID_LIST.NumberOfProcessIdsInList",
                        Kernel32.PROCESS_ID_LIST_LISTED_OFFSET, 4, winnt),
                fact("JOBOBJECT_BASIC_PROCESS_ID_LIST.ProcessIdList", Kernel32.PROCESS_ID_LIST_HEADER_SIZE, 8, winnt),
                fact("sizeof(ULONG_PTR)", Kernel32.PROCESS_ID_SIZE, 8, winnt));
    }

    @ParameterizedTest
    @MethodSource("facts")
    void matchesTheHeader(HeaderFact fact) {
        assertEquals(fact.header(), fact.used(), fact.toString());
    }

    /** Offsets of fields of the given sizes, each aligned to its own size, and the padded size last. */
    static int[] layout(int... sizes) {
        int[] offsets = new int[sizes.length + 1];
        int offset = 0;
        int alignment = 1;
        for (int i = 0; i < sizes.length; i++) {
            offset = (offset + sizes[i] - 1) / sizes[i] * sizes[i];
            offsets[i] = offset;
            offset += sizes[i];
            alignment = Math.max(alignment, sizes[i]);
        }
        offsets[sizes.length] = (offset + alignment - 1) / alignment * alignment;
        return offsets;
    }

    @Test
    void structLayoutsFollowFromTheirFields() {
        // cb, lpReserved, lpDesktop, lpTitle, dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars,
        // dwFillAttribute, dwFlags, wShowWindow, cbReserved2, lpReserved2, hStdInput, hStdOutput, hStdError
        int[] startup = layout(4, 8, 8, 8, 4, 4, 4, 4, 4, 4, 4, 4, 2, 2, 8, 8, 8, 8);
        assertEquals(Kernel32.STARTUPINFO_FLAGS_OFFSET, startup[11]);
        assertEquals(Kernel32.STARTUPINFO_STDIN_OFFSET, startup[15]);
        assertEquals(Kernel32.STARTUPINFO_STDOUT_OFFSET, startup[16]);
        assertEquals(Kernel32.STARTUPINFO_STDERR_OFFSET, startup[17]);
        assertEquals(Kernel32.STARTUPINFO_SIZE, startup[18]);
        // hProcess, hThread, dwProcessId, dwThreadId
        assertEquals(Kernel32.PROCESS_INFORMATION_SIZE, layout(8, 8, 4, 4)[4]);
        // PerProcessUserTimeLimit, PerJobUserTimeLimit, LimitFlags, MinimumWorkingSetSize,
        // MaximumWorkingSetSize, ActiveProcessLimit, Affinity, PriorityClass, SchedulingClass
        int[] basic = layout(8, 8, 4, 8, 8, 4, 8, 4, 4);
        assertEquals(Kernel32.LIMIT_FLAGS_OFFSET, basic[2]);
        assertEquals(Kernel32.BASIC_LIMIT_INFORMATION_SIZE, basic[9]);
        // nLength, lpSecurityDescriptor, bInheritHandle
        int[] security = layout(4, 8, 4);
        assertEquals(Kernel32.SECURITY_ATTRIBUTES_INHERIT_OFFSET, security[2]);
        assertEquals(Kernel32.SECURITY_ATTRIBUTES_SIZE, security[3]);
        // dwFileAttributes, ftCreationTime, ftLastAccessTime, ftLastWriteTime (FILETIME: two DWORDs, so
        // aligned to 4), dwVolumeSerialNumber, nFileSizeHigh, nFileSizeLow, nNumberOfLinks, nFileIndexHigh,
        // nFileIndexLow
        int[] file = layout(4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4);
        assertEquals(Kernel32.FILE_INFORMATION_VOLUME_OFFSET, file[7]);
        assertEquals(Kernel32.FILE_INFORMATION_INDEX_HIGH_OFFSET, file[11]);
        assertEquals(Kernel32.FILE_INFORMATION_INDEX_LOW_OFFSET, file[12]);
        assertEquals(Kernel32.FILE_INFORMATION_SIZE, file[13]);
        // VolumeSerialNumber (ULONGLONG), FileId (FILE_ID_128: BYTE Identifier[16], aligned to 1)
        assertEquals(Kernel32.FILE_ID_INFO_SIZE, 8 + 16);
        // six ULONGLONG counters
        assertEquals(Kernel32.IO_COUNTERS_SIZE, layout(8, 8, 8, 8, 8, 8)[6]);
        // BasicLimitInformation, IoInfo, then four SIZE_T memory figures
        assertEquals(Kernel32.EXTENDED_LIMIT_INFORMATION_SIZE,
                Kernel32.BASIC_LIMIT_INFORMATION_SIZE + Kernel32.IO_COUNTERS_SIZE + 4 * 8);
    }
}
