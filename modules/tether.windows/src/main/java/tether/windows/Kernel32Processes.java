package tether.windows;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The kernel32 functions and x64 constants with which {@code --all} reads other processes (psapi's
 * {@code GetProcessMemoryInfo} is kernel32's {@code K32GetProcessMemoryInfo} since Windows 7); nothing else.
 * Apart from {@link Kernel32} so that one stand-in plays a whole process table for the survey's tests;
 * {@code TerminateProcess}, {@code CloseHandle} and {@code GetLastError} are declared here again for that
 * reason. {@code WindowsSurveyHeadersTest} checks every value here against its SDK header.
 */
interface Kernel32Processes extends Library {

    /** tlhelp32.h: a snapshot of every process. */
    int TH32CS_SNAPPROCESS = 0x00000002;
    /** sizeof(PROCESSENTRY32W) (tlhelp32.h), which dwSize must hold, and the offsets of the ids it gives. */
    int PROCESSENTRY32W_SIZE = 568;
    int PROCESSENTRY32W_PID_OFFSET = 8;
    int PROCESSENTRY32W_PARENT_OFFSET = 32;

    // Access rights: winnt.h.
    int PROCESS_TERMINATE = 0x0001;
    int PROCESS_VM_READ = 0x0010;
    int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
    int TOKEN_QUERY = 0x0008;

    /** TokenUser in TOKEN_INFORMATION_CLASS (winnt.h): a TOKEN_USER, whose first field points to the SID. */
    int TOKEN_USER_CLASS = 1;
    /** winerror.h: OpenProcess's error for a pid no process has. */
    int ERROR_INVALID_PARAMETER = 87;

    /**
     * sizeof(PROCESS_MEMORY_COUNTERS) (psapi.h), which cb must hold, and the offset of WorkingSetSize: cb and
     * PageFaultCount (two DWORDs), PeakWorkingSetSize, then WorkingSetSize (SIZE_T each).
     */
    int PROCESS_MEMORY_COUNTERS_SIZE = 72;
    int WORKING_SET_SIZE_OFFSET = 16;

    Pointer CreateToolhelp32Snapshot(int flags, int processId);

    boolean Process32FirstW(Pointer snapshot, Pointer entry);

    boolean Process32NextW(Pointer snapshot, Pointer entry);

    /** @return the handle, or {@code null} (another user's, a protected or a vanished process) */
    Pointer OpenProcess(int desiredAccess, boolean inheritHandle, int processId);

    /** The pseudo-handle of this process, which needs no closing. */
    Pointer GetCurrentProcess();

    /** Each time a FILETIME, 100-nanosecond intervals since 1601-01-01 UTC, as one little-endian 64-bit value. */
    boolean GetProcessTimes(Pointer process, long[] creation, long[] exit, long[] kernel, long[] user);

    /** @param read SIZE_T out, one element */
    boolean ReadProcessMemory(Pointer process, Pointer baseAddress, Pointer buffer, long size, long[] read);

    boolean K32GetProcessMemoryInfo(Pointer process, Pointer counters, int size);

    boolean TerminateProcess(Pointer process, int exitCode);

    boolean CloseHandle(Pointer handle);

    int GetLastError();
}
