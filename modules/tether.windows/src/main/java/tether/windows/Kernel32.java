package tether.windows;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.WString;

/** The kernel32 functions and 64-bit Windows constants the Windows provider uses; nothing else. */
interface Kernel32 extends Library {

    int CREATE_NEW_PROCESS_GROUP = 0x00000200;
    int CREATE_UNICODE_ENVIRONMENT = 0x00000400;
    int STARTF_USESTDHANDLES = 0x00000100;
    int STD_INPUT_HANDLE = -10;
    int STD_OUTPUT_HANDLE = -11;
    int STD_ERROR_HANDLE = -12;
    int INFINITE = 0xFFFFFFFF;
    int WAIT_FAILED = 0xFFFFFFFF;

    int ERROR_FILE_NOT_FOUND = 2;
    int ERROR_PATH_NOT_FOUND = 3;
    int ERROR_ACCESS_DENIED = 5;
    int ERROR_BAD_EXE_FORMAT = 193;
    int ERROR_DIRECTORY = 267;

    /** sizeof(STARTUPINFOW) and the offsets of the fields tether sets. */
    int STARTUPINFO_SIZE = 104;
    int STARTUPINFO_FLAGS_OFFSET = 60;
    int STARTUPINFO_STDIN_OFFSET = 80;
    int STARTUPINFO_STDOUT_OFFSET = 88;
    int STARTUPINFO_STDERR_OFFSET = 96;

    /** sizeof(PROCESS_INFORMATION) and its fields' offsets. */
    int PROCESS_INFORMATION_SIZE = 24;
    int PROCESS_INFORMATION_PROCESS_OFFSET = 0;
    int PROCESS_INFORMATION_THREAD_OFFSET = 8;
    int PROCESS_INFORMATION_PID_OFFSET = 16;

    boolean CreateProcessW(WString applicationName, char[] commandLine, Pointer processAttributes,
            Pointer threadAttributes, boolean inheritHandles, int creationFlags, Pointer environment,
            WString currentDirectory, Pointer startupInfo, Pointer processInformation);

    Pointer GetStdHandle(int stdHandle);

    int WaitForSingleObject(Pointer handle, int milliseconds);

    boolean GetExitCodeProcess(Pointer process, int[] exitCode);

    boolean CloseHandle(Pointer handle);

    int GetLastError();
}
