package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;

/**
 * Starts a detached tether (see {@code ProcessTreeKiller.startDetached}) and reads its report line.
 *
 * <p>The new tether gets a console of its own that has no window (CREATE_NO_WINDOW) rather than no console
 * at all (DETACHED_PROCESS): without one, every console program COMMAND starts would open a console window
 * of its own, and Ctrl-Break, the teardown's first step, can be sent only within a console. Either way it
 * is outside the caller's console, so closing that window does not reach it. It leaves the caller's job
 * (CREATE_BREAKAWAY_FROM_JOB), so that the end of whatever job the hook ran in does not end it; a job that
 * does not allow breakaway refuses with ERROR_ACCESS_DENIED, and then the tether is created inside that job
 * after all and lives as long as it does: a detached tether that ends with the caller's job serves a hook
 * better than none, and docs/platforms.md says so.
 *
 * <p>It inherits three handles and no others (PROC_THREAD_ATTRIBUTE_HANDLE_LIST): NUL as stdin, the log as
 * stdout and stderr, and the write end of the report pipe, whose value its environment names.
 */
final class DetachedStart {

    static final int CREATION_FLAGS = Kernel32.CREATE_NO_WINDOW | Kernel32.CREATE_NEW_PROCESS_GROUP
            | Kernel32.CREATE_UNICODE_ENVIRONMENT | Kernel32.EXTENDED_STARTUPINFO_PRESENT;

    /** Appends from every writer at the end, whatever else writes to the log; others may read, write or delete it. */
    static final int LOG_SHARING = Kernel32.FILE_SHARE_READ | Kernel32.FILE_SHARE_WRITE | Kernel32.FILE_SHARE_DELETE;

    private final Kernel32 kernel32;

    DetachedStart(Kernel32 kernel32) {
        this.kernel32 = kernel32;
    }

    /**
     * @param command     the detached tether's program, as a full path, and its arguments
     * @param environment its environment, to which the report variable is set here
     * @param log         the file its stdout and stderr are appended to
     * @return the report line, or {@code null} if the detached tether ended without one
     */
    String start(List<String> command, List<String> environment, String log) throws SpawnException {
        Memory inheritable = Handles.inheritableAttributes();
        Pointer reportEnd;
        Pointer logFile = kernel32.CreateFileW(new WString(log), Kernel32.FILE_APPEND_DATA, LOG_SHARING, inheritable,
                Kernel32.OPEN_ALWAYS, Kernel32.FILE_ATTRIBUTE_NORMAL, null);
        if (Handles.invalid(logFile)) {
            throw new SpawnException(SpawnException.Reason.FAILED, "cannot open the log '" + log + "': " + WindowsErrors.reason(kernel32.GetLastError()));
        }
        try {
            Pointer nul = Handles.openNul(kernel32);
            if (nul == null) {
                throw WindowsErrors.tetherFailure("CreateFileW(NUL)", kernel32.GetLastError());
            }
            try {
                Memory ends = new Memory(2L * Kernel32.HANDLE_SIZE);
                if (!kernel32.CreatePipe(ends, ends.share(Kernel32.HANDLE_SIZE), inheritable, 0)) {
                    throw WindowsErrors.tetherFailure("CreatePipe", kernel32.GetLastError());
                }
                reportEnd = ends.getPointer(0);
                Pointer writeEnd = ends.getPointer(Kernel32.HANDLE_SIZE);
                try {
                    create(command, withReportVariable(environment, writeEnd), nul, logFile, writeEnd);
                } catch (SpawnException | RuntimeException e) {
                    kernel32.CloseHandle(reportEnd);
                    throw e;
                } finally {
                    kernel32.CloseHandle(writeEnd);
                }
            } finally {
                kernel32.CloseHandle(nul);
            }
        } finally {
            kernel32.CloseHandle(logFile);
        }
        try {
            return readLine(reportEnd);
        } finally {
            kernel32.CloseHandle(reportEnd);
        }
    }

    private void create(List<String> command, List<String> environment, Pointer nul, Pointer log, Pointer writeEnd)
            throws SpawnException {
        try (AttributeList inherited = AttributeList.of(kernel32, List.of(new AttributeList.Attribute(
                Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST, List.of(nul, log, writeEnd))))) {
            Memory startup = JobSpawner.startupInfo(nul, log, log, inherited);
            Memory environmentMemory = Utf16.memory(EnvironmentBlock.of(environment,
                    System.getenv(EnvironmentBlock.SYSTEM_ROOT)));
            char[] commandLine = CommandLines.nulTerminated(command);
            WString program = new WString(command.getFirst());
            Memory info = new Memory(Kernel32.PROCESS_INFORMATION_SIZE);
            info.clear();
            if (!kernel32.CreateProcessW(program, commandLine, null, null, true,
                    CREATION_FLAGS | Kernel32.CREATE_BREAKAWAY_FROM_JOB, environmentMemory, null, startup, info)) {
                int error = kernel32.GetLastError();
                if (error != Kernel32.ERROR_ACCESS_DENIED || !kernel32.CreateProcessW(program, commandLine, null,
                        null, true, CREATION_FLAGS, environmentMemory, null, startup, info)) {
                    throw WindowsErrors.cannotRun(command.getFirst(),
                            error == Kernel32.ERROR_ACCESS_DENIED ? kernel32.GetLastError() : error);
                }
            }
            kernel32.CloseHandle(info.getPointer(Kernel32.PROCESS_INFORMATION_THREAD_OFFSET));
            kernel32.CloseHandle(info.getPointer(Kernel32.PROCESS_INFORMATION_PROCESS_OFFSET));
        }
    }

    /** The report variable set to the write end's value, which the detached tether's handle has too. */
    private static List<String> withReportVariable(List<String> environment, Pointer writeEnd) {
        List<String> entries = new ArrayList<>(environment);
        entries.add(ProcessTreeKiller.REPORT_VARIABLE + "=" + Pointer.nativeValue(writeEnd));
        return entries;
    }

    /** The first line on the pipe, without its newline, or {@code null} once every write end is closed. */
    private String readLine(Pointer pipe) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        int[] read = new int[1];
        while (true) {
            if (!kernel32.ReadFile(pipe, one, 1, read, null)) {
                return null;
            }
            if (read[0] == 1) {
                if (one[0] == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(one[0]);
            }
        }
    }
}
