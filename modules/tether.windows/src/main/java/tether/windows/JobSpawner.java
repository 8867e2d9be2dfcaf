package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import java.util.List;
import tether.api.SpawnException;

/**
 * Starts the command inside a new Job Object that ends every member when its last handle closes
 * (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE). Only tether holds that handle, and it is not inheritable, so when
 * tether dies for any reason, even TerminateProcess, Windows closes the handle and ends the whole tree.
 * Neither breakaway limit is set: without SILENT_BREAKAWAY_OK every descendant is born in the job, and
 * without BREAKAWAY_OK a descendant that asks for CREATE_BREAKAWAY_FROM_JOB is refused.
 *
 * <p>The process is put into the job as it is created (PROC_THREAD_ATTRIBUTE_JOB_LIST, Windows 10 1607
 * and later). The older way, created suspended and then assigned, leaves a moment in which tether's death
 * orphans a suspended process outside any job; it stays only as the fallback for a Windows that refuses
 * the attribute, and as the diagnosis when creation in the job is denied: there the two possible causes,
 * the program's permissions and a job tether runs in that refuses nesting, fail at different steps.
 */
final class JobSpawner {

    /** The exit code TerminateProcess and TerminateJobObject give: taskkill /F's. */
    static final int KILLED = 1;

    private final Kernel32 kernel32;

    JobSpawner(Kernel32 kernel32) {
        this.kernel32 = kernel32;
    }

    /**
     * @param program     the command's name as the user wrote it, for messages
     * @param commandLine the whole command line, NUL-terminated
     * @param environment a Unicode environment block
     * @param directory   the working directory, or {@code null} for tether's own
     */
    JobTree spawn(String program, char[] commandLine, Pointer environment, WString directory) throws SpawnException {
        Pointer job = createJob();
        try {
            Memory info = new Memory(Kernel32.PROCESS_INFORMATION_SIZE);
            info.clear();
            int error = createInJob(job, commandLine, environment, directory, info);
            if (error == Kernel32.ERROR_ACCESS_DENIED || error < 0) {
                createSuspendedThenAssign(program, job, commandLine, environment, directory, info);
            } else if (error != 0) {
                throw WindowsErrors.cannotRun(program, error);
            }
            kernel32.CloseHandle(info.getPointer(Kernel32.PROCESS_INFORMATION_THREAD_OFFSET));
            Pointer process = info.getPointer(Kernel32.PROCESS_INFORMATION_PROCESS_OFFSET);
            long pid = Integer.toUnsignedLong(info.getInt(Kernel32.PROCESS_INFORMATION_PID_OFFSET));
            return new JobTree(kernel32, job, new Win32Process(kernel32, process, pid));
        } catch (SpawnException | RuntimeException e) {
            kernel32.CloseHandle(job);
            throw e;
        }
    }

    /** No security attributes: the handle is not inheritable, so no member can keep the job alive. */
    private Pointer createJob() throws SpawnException {
        Pointer job = kernel32.CreateJobObjectW(null, null);
        if (job == null) {
            throw WindowsErrors.tetherFailure("CreateJobObjectW", kernel32.GetLastError());
        }
        Memory limits = new Memory(Kernel32.EXTENDED_LIMIT_INFORMATION_SIZE);
        limits.clear();
        limits.setInt(Kernel32.LIMIT_FLAGS_OFFSET, Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE);
        if (!kernel32.SetInformationJobObject(job, Kernel32.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, limits,
                Kernel32.EXTENDED_LIMIT_INFORMATION_SIZE)) {
            int error = kernel32.GetLastError();
            kernel32.CloseHandle(job);
            throw WindowsErrors.tetherFailure("SetInformationJobObject", error);
        }
        return job;
    }

    /**
     * @return 0 when the process runs in the job, CreateProcessW's error, or -1 when this Windows has no
     *         PROC_THREAD_ATTRIBUTE_JOB_LIST
     */
    private int createInJob(Pointer job, char[] commandLine, Pointer environment, WString directory, Memory info) {
        AttributeList attributes;
        try {
            attributes = AttributeList.of(kernel32, Kernel32.PROC_THREAD_ATTRIBUTE_JOB_LIST, List.of(job));
        } catch (SpawnException e) {
            return -1;
        }
        try (attributes) {
            Memory startup = startupInfo(Kernel32.STARTUPINFOEX_SIZE);
            startup.setPointer(Kernel32.STARTUPINFOEX_ATTRIBUTE_LIST_OFFSET, attributes.address());
            boolean created = kernel32.CreateProcessW(null, commandLine, null, null, true,
                    WindowsProcessTreeKiller.CREATION_FLAGS | Kernel32.EXTENDED_STARTUPINFO_PRESENT, environment,
                    directory, startup, info);
            return created ? 0 : kernel32.GetLastError();
        }
    }

    /**
     * A process that cannot be put into the job is terminated before it ran an instruction: tether does
     * not start a tree it could not end should tether itself be killed. That includes a tether running
     * inside a job that refuses nesting (any job before Windows 8), reported as tether's failure, 125,
     * rather than by falling back to following parent-child links, which lose every descendant whose
     * parent has exited.
     */
    private void createSuspendedThenAssign(String program, Pointer job, char[] commandLine, Pointer environment,
            WString directory, Memory info) throws SpawnException {
        if (!kernel32.CreateProcessW(null, commandLine, null, null, true,
                WindowsProcessTreeKiller.CREATION_FLAGS | Kernel32.CREATE_SUSPENDED, environment, directory,
                startupInfo(Kernel32.STARTUPINFO_SIZE), info)) {
            throw WindowsErrors.cannotRun(program, kernel32.GetLastError());
        }
        Pointer process = info.getPointer(Kernel32.PROCESS_INFORMATION_PROCESS_OFFSET);
        Pointer thread = info.getPointer(Kernel32.PROCESS_INFORMATION_THREAD_OFFSET);
        if (!kernel32.AssignProcessToJobObject(job, process)) {
            int error = kernel32.GetLastError();
            abandon(process, thread);
            throw error == Kernel32.ERROR_ACCESS_DENIED
                    ? new SpawnException(SpawnException.Reason.FAILED, "cannot put '" + program
                            + "' in a job object: tether runs in a job that does not allow nesting (Windows error 5)")
                    : WindowsErrors.tetherFailure("AssignProcessToJobObject", error);
        }
        if (kernel32.ResumeThread(thread) == Kernel32.RESUME_THREAD_FAILED) {
            int error = kernel32.GetLastError();
            abandon(process, thread);
            throw WindowsErrors.tetherFailure("ResumeThread", error);
        }
    }

    private void abandon(Pointer process, Pointer thread) {
        kernel32.TerminateProcess(process, KILLED);
        kernel32.CloseHandle(thread);
        kernel32.CloseHandle(process);
    }

    /** Standard handles passed on explicitly, as inheritable handles the command shares with tether. */
    private Memory startupInfo(int size) {
        return startupInfo(size, kernel32.GetStdHandle(Kernel32.STD_INPUT_HANDLE),
                kernel32.GetStdHandle(Kernel32.STD_OUTPUT_HANDLE), kernel32.GetStdHandle(Kernel32.STD_ERROR_HANDLE));
    }

    /** A STARTUPINFOW, or the STARTUPINFOW that begins a STARTUPINFOEXW, of {@code size} bytes. */
    static Memory startupInfo(int size, Pointer stdin, Pointer stdout, Pointer stderr) {
        Memory startup = new Memory(size);
        startup.clear();
        startup.setInt(0, size);
        startup.setInt(Kernel32.STARTUPINFO_FLAGS_OFFSET, Kernel32.STARTF_USESTDHANDLES);
        startup.setPointer(Kernel32.STARTUPINFO_STDIN_OFFSET, stdin);
        startup.setPointer(Kernel32.STARTUPINFO_STDOUT_OFFSET, stdout);
        startup.setPointer(Kernel32.STARTUPINFO_STDERR_OFFSET, stderr);
        return startup;
    }

}
