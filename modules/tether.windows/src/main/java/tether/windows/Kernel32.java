package tether.windows;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.WString;

/**
 * The kernel32 functions and 64-bit Windows constants the Windows provider uses; nothing else. The provider
 * takes it as an argument, so its call sequence is tested on any OS with a stand-in; on Windows it is JNA's
 * binding of kernel32.dll. {@code WindowsHeadersTest} checks every value here against its SDK header.
 */
interface Kernel32 extends Library {

    int CREATE_SUSPENDED = 0x00000004;
    int CREATE_NEW_PROCESS_GROUP = 0x00000200;
    int CREATE_UNICODE_ENVIRONMENT = 0x00000400;
    int EXTENDED_STARTUPINFO_PRESENT = 0x00080000;
    int STARTF_USESTDHANDLES = 0x00000100;
    int STD_INPUT_HANDLE = -10;
    int STD_OUTPUT_HANDLE = -11;
    int STD_ERROR_HANDLE = -12;
    int INFINITE = 0xFFFFFFFF;
    int WAIT_FAILED = 0xFFFFFFFF;
    int RESUME_THREAD_FAILED = 0xFFFFFFFF;
    int CTRL_BREAK_EVENT = 1;
    int CREATE_NO_WINDOW = 0x08000000; // winbase.h
    int CREATE_BREAKAWAY_FROM_JOB = 0x01000000; // winbase.h
    long PROC_THREAD_ATTRIBUTE_HANDLE_LIST = 0x00020002L; // winbase.h
    int HANDLE_FLAG_INHERIT = 0x00000001; // winbase.h

    int GENERIC_READ = 0x80000000; // winnt.h
    int FILE_APPEND_DATA = 0x0004; // winnt.h
    int FILE_READ_ATTRIBUTES = 0x0080; // winnt.h
    int FILE_SHARE_READ = 0x00000001; // winnt.h
    int FILE_SHARE_WRITE = 0x00000002; // winnt.h
    int FILE_SHARE_DELETE = 0x00000004; // winnt.h
    int OPEN_EXISTING = 3; // fileapi.h
    int OPEN_ALWAYS = 4; // fileapi.h
    int FILE_ATTRIBUTE_NORMAL = 0x00000080; // winnt.h
    int FILE_FLAG_BACKUP_SEMANTICS = 0x02000000; // winbase.h
    int FILE_FLAG_OPEN_REPARSE_POINT = 0x00200000; // winbase.h
    /** INVALID_HANDLE_VALUE, ((HANDLE)(LONG_PTR)-1) in handleapi.h: CreateFileW's failure. */
    long INVALID_HANDLE_VALUE = -1L;

    int JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000;
    int JOB_OBJECT_BASIC_PROCESS_ID_LIST = 3;
    int JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9;
    long PROC_THREAD_ATTRIBUTE_JOB_LIST = 0x0002000DL;

    int ERROR_FILE_NOT_FOUND = 2;
    int ERROR_PATH_NOT_FOUND = 3;
    int ERROR_ACCESS_DENIED = 5;
    int ERROR_BAD_EXE_FORMAT = 193;
    int ERROR_MORE_DATA = 234;
    int ERROR_DIRECTORY = 267;

    /** sizeof(HANDLE), the element of the job and handle lists' arrays. */
    int HANDLE_SIZE = 8;
    /** sizeof(LPWSTR), the element of CommandLineToArgvW's array (shellapi.h). */
    int POINTER_SIZE = 8;

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

    int WaitForSingleObject(Pointer handle, int milliseconds);

    boolean GetExitCodeProcess(Pointer process, int[] exitCode);

    boolean TerminateProcess(Pointer process, int exitCode);

    int ResumeThread(Pointer thread);

    boolean CloseHandle(Pointer handle);

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

    Pointer CreateFileW(WString fileName, int desiredAccess, int shareMode, Pointer securityAttributes,
            int creationDisposition, int flagsAndAttributes, Pointer templateFile);

    boolean GetFileInformationByHandle(Pointer file, Pointer fileInformation);

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
