package tether.windows;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.WString;

/**
 * The kernel32 functions and 64-bit Windows constants the Windows provider uses; nothing else. The provider
 * takes it as an argument, so its call sequence is tested on any OS with a stand-in; on Windows it is JNA's
 * binding of kernel32.dll. {@code WindowsHeadersTest} checks every value here against its SDK header, and
 * the Wine probe ({@code src/test/c/win32probe.c}) against the mingw-w64 headers it is compiled with.
 */
interface Kernel32 extends Library {

    int CREATE_SUSPENDED = 0x00000004; // winbase.h
    int CREATE_NEW_PROCESS_GROUP = 0x00000200; // winbase.h
    int CREATE_UNICODE_ENVIRONMENT = 0x00000400; // winbase.h
    int EXTENDED_STARTUPINFO_PRESENT = 0x00080000; // winbase.h
    int STARTF_USESTDHANDLES = 0x00000100; // winbase.h
    int STD_INPUT_HANDLE = -10; // winbase.h, (DWORD)-10
    int STD_OUTPUT_HANDLE = -11; // winbase.h, (DWORD)-11
    int STD_ERROR_HANDLE = -12; // winbase.h, (DWORD)-12
    int INFINITE = 0xFFFFFFFF; // winbase.h
    int WAIT_FAILED = 0xFFFFFFFF; // winbase.h, (DWORD)0xFFFFFFFF
    int RESUME_THREAD_FAILED = 0xFFFFFFFF; // ResumeThread's (DWORD)-1, processthreadsapi.h
    int CREATE_NO_WINDOW = 0x08000000; // winbase.h
    int CREATE_BREAKAWAY_FROM_JOB = 0x01000000; // winbase.h
    long PROC_THREAD_ATTRIBUTE_HANDLE_LIST = 0x00020002L; // winbase.h
    long PROC_THREAD_ATTRIBUTE_JOB_LIST = 0x0002000DL; // winbase.h
    int HANDLE_FLAG_INHERIT = 0x00000001; // winbase.h
    int DUPLICATE_SAME_ACCESS = 0x00000002; // winnt.h
    /** GetCurrentProcess's pseudo handle, (HANDLE)-1 (processthreadsapi.h documents the value). */
    long CURRENT_PROCESS = -1L;

    /** The console control events of HandlerRoutine and GenerateConsoleCtrlEvent (consoleapi.h, wincon.h before). */
    int CTRL_C_EVENT = 0;
    int CTRL_BREAK_EVENT = 1;
    int CTRL_CLOSE_EVENT = 2;
    int CTRL_LOGOFF_EVENT = 5;
    int CTRL_SHUTDOWN_EVENT = 6;

    int GENERIC_READ = 0x80000000; // winnt.h
    int GENERIC_WRITE = 0x40000000; // winnt.h
    int FILE_APPEND_DATA = 0x0004; // winnt.h
    int FILE_READ_ATTRIBUTES = 0x0080; // winnt.h
    int FILE_SHARE_READ = 0x00000001; // winnt.h
    int FILE_SHARE_WRITE = 0x00000002; // winnt.h
    int FILE_SHARE_DELETE = 0x00000004; // winnt.h
    int OPEN_EXISTING = 3; // fileapi.h
    int OPEN_ALWAYS = 4; // fileapi.h
    int FILE_ATTRIBUTE_DIRECTORY = 0x00000010; // winnt.h
    int FILE_ATTRIBUTE_NORMAL = 0x00000080; // winnt.h
    /** GetFileAttributesW's failure, (DWORD)-1 in fileapi.h. */
    int INVALID_FILE_ATTRIBUTES = 0xFFFFFFFF;
    int FILE_FLAG_BACKUP_SEMANTICS = 0x02000000; // winbase.h
    int FILE_FLAG_OPEN_REPARSE_POINT = 0x00200000; // winbase.h
    /** INVALID_HANDLE_VALUE, ((HANDLE)(LONG_PTR)-1) in handleapi.h: CreateFileW's failure. */
    long INVALID_HANDLE_VALUE = -1L;

    int JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000; // winnt.h
    int JOB_OBJECT_BASIC_PROCESS_ID_LIST = 3; // JobObjectBasicProcessIdList in winnt.h's JOBOBJECTINFOCLASS
    int JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9; // JobObjectExtendedLimitInformation, the same enum

    int ERROR_FILE_NOT_FOUND = 2; // winerror.h
    int ERROR_PATH_NOT_FOUND = 3; // winerror.h
    int ERROR_ACCESS_DENIED = 5; // winerror.h
    int ERROR_INVALID_HANDLE = 6; // winerror.h
    int ERROR_NOT_SUPPORTED = 50; // winerror.h
    int ERROR_INVALID_PARAMETER = 87; // winerror.h
    int ERROR_INSUFFICIENT_BUFFER = 122; // winerror.h
    int ERROR_ALREADY_EXISTS = 183; // winerror.h
    int ERROR_BAD_EXE_FORMAT = 193; // winerror.h
    int ERROR_MORE_DATA = 234; // winerror.h
    int ERROR_DIRECTORY = 267; // winerror.h

    /** sizeof(HANDLE), the element of the job and handle lists' arrays. */
    int HANDLE_SIZE = 8;
    /** sizeof(LPWSTR), the element of CommandLineToArgvW's array (shellapi.h). */
    int POINTER_SIZE = 8;
    /** MAX_PATH (minwindef.h): GetSystemDirectoryW's buffer, which a system directory always fits. */
    int MAX_PATH = 260;

    /** sizeof(STARTUPINFOW) and the offsets of the fields tether sets. */
    int STARTUPINFO_SIZE = 104;
    int STARTUPINFO_FLAGS_OFFSET = 60;
    int STARTUPINFO_STDIN_OFFSET = 80;
    int STARTUPINFO_STDOUT_OFFSET = 88;
    int STARTUPINFO_STDERR_OFFSET = 96;

    /** sizeof(STARTUPINFOEXW): a STARTUPINFOW followed by the attribute list's address. */
    int STARTUPINFOEX_SIZE = 112;
    int STARTUPINFOEX_ATTRIBUTE_LIST_OFFSET = 104;

    /** sizeof(PROCESS_INFORMATION) and its fields' offsets. */
    int PROCESS_INFORMATION_SIZE = 24;
    int PROCESS_INFORMATION_PROCESS_OFFSET = 0;
    int PROCESS_INFORMATION_THREAD_OFFSET = 8;
    int PROCESS_INFORMATION_PID_OFFSET = 16;

    /**
     * sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION): a JOBOBJECT_BASIC_LIMIT_INFORMATION (64 bytes, LimitFlags
     * at 16), an IO_COUNTERS (48) and four SIZE_Ts.
     */
    int EXTENDED_LIMIT_INFORMATION_SIZE = 144;
    int BASIC_LIMIT_INFORMATION_SIZE = 64;
    int IO_COUNTERS_SIZE = 48;
    int LIMIT_FLAGS_OFFSET = 16;

    /**
     * sizeof(BY_HANDLE_FILE_INFORMATION) (fileapi.h) and the fields that say which file it is: dwFileAttributes, three
     * FILETIMEs (two DWORDs each), then the volume's serial number, the size, the link count and the index.
     */
    int FILE_INFORMATION_SIZE = 52;
    int FILE_INFORMATION_VOLUME_OFFSET = 28;
    int FILE_INFORMATION_INDEX_HIGH_OFFSET = 44;
    int FILE_INFORMATION_INDEX_LOW_OFFSET = 48;

    /** FileIdInfo in minwinbase.h's FILE_INFO_BY_HANDLE_CLASS. */
    int FILE_ID_INFO_CLASS = 18;
    /** sizeof(FILE_ID_INFO) (winbase.h): a ULONGLONG volume serial number, then a 16-byte FILE_ID_128. */
    int FILE_ID_INFO_SIZE = 24;
    int FILE_ID_INFO_VOLUME_OFFSET = 0;
    int FILE_ID_INFO_ID_OFFSET = 8;

    /** sizeof(SECURITY_ATTRIBUTES) in minwinbase.h: nLength, lpSecurityDescriptor, bInheritHandle. */
    int SECURITY_ATTRIBUTES_SIZE = 24;
    int SECURITY_ATTRIBUTES_INHERIT_OFFSET = 16;

    /** JOBOBJECT_BASIC_PROCESS_ID_LIST: two DWORD counts, then one ULONG_PTR per process. */
    int PROCESS_ID_LIST_HEADER_SIZE = 8;
    int PROCESS_ID_LIST_ASSIGNED_OFFSET = 0;
    int PROCESS_ID_LIST_LISTED_OFFSET = 4;
    int PROCESS_ID_SIZE = 8;

    boolean CreateProcessW(WString applicationName, char[] commandLine, Pointer processAttributes,
            Pointer threadAttributes, boolean inheritHandles, int creationFlags, Pointer environment,
            WString currentDirectory, Pointer startupInfo, Pointer processInformation);

    Pointer GetStdHandle(int stdHandle);

    /** @param targetHandle points to room for one HANDLE */
    boolean DuplicateHandle(Pointer sourceProcess, Pointer sourceHandle, Pointer targetProcess, Pointer targetHandle,
            int desiredAccess, boolean inheritHandle, int options);

    int WaitForSingleObject(Pointer handle, int milliseconds);

    boolean GetExitCodeProcess(Pointer process, int[] exitCode);

    boolean TerminateProcess(Pointer process, int exitCode);

    int ResumeThread(Pointer thread);

    boolean CloseHandle(Pointer handle);

    /**
     * The calling thread's last error. The binding in {@link WindowsNatives} answers with the value JNA kept
     * right after the previous call, not with a call of its own (see there).
     */
    int GetLastError();

    Pointer CreateJobObjectW(Pointer jobAttributes, WString name);

    boolean SetInformationJobObject(Pointer job, int infoClass, Pointer info, int length);

    boolean QueryInformationJobObject(Pointer job, int infoClass, Pointer info, int length, Pointer returnLength);

    boolean AssignProcessToJobObject(Pointer job, Pointer process);

    boolean TerminateJobObject(Pointer job, int exitCode);

    /** @param size SIZE_T in and out, one element */
    boolean InitializeProcThreadAttributeList(Pointer attributeList, int attributeCount, int flags, long[] size);

    boolean UpdateProcThreadAttribute(Pointer attributeList, int flags, long attribute, Pointer value, long size,
            Pointer previousValue, Pointer returnSize);

    void DeleteProcThreadAttributeList(Pointer attributeList);

    boolean GenerateConsoleCtrlEvent(int ctrlEvent, int processGroupId);

    /** consoleapi.h's PHANDLER_ROUTINE: called on a thread Windows creates for each console control event. */
    interface HandlerRoutine extends Callback {
        boolean invoke(int ctrlType);
    }

    boolean SetConsoleCtrlHandler(HandlerRoutine handler, boolean add);

    Pointer CreateFileW(WString fileName, int desiredAccess, int shareMode, Pointer securityAttributes,
            int creationDisposition, int flagsAndAttributes, Pointer templateFile);

    int GetFileAttributesW(WString fileName);

    boolean GetFileInformationByHandle(Pointer file, Pointer fileInformation);

    boolean GetFileInformationByHandleEx(Pointer file, int infoClass, Pointer info, int size);

    /** @return the length written without its NUL, or 0 on failure */
    int GetSystemDirectoryW(char[] buffer, int size);

    /** @param readPipe and {@code writePipe} each point to room for one HANDLE */
    boolean CreatePipe(Pointer readPipe, Pointer writePipe, Pointer pipeAttributes, int size);

    boolean SetHandleInformation(Pointer handle, int mask, int flags);

    boolean ReadFile(Pointer file, byte[] buffer, int toRead, int[] read, Pointer overlapped);

    boolean WriteFile(Pointer file, byte[] buffer, int toWrite, int[] written, Pointer overlapped);

    /** The process's command line as Windows holds it, UTF-16; owned by the process, never freed. */
    Pointer GetCommandLineW();

    /** Frees what CommandLineToArgvW allocated; {@code null} on success. */
    Pointer LocalFree(Pointer memory);
}
