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
 *
 * <p>The command inherits exactly its three standard handles (PROC_THREAD_ATTRIBUTE_HANDLE_LIST beside the
 * job list, see {@link StdHandles}); without the list, bInheritHandles would hand it every inheritable handle
 * tether's process has.
 */
final class JobSpawner {

    /** The exit code TerminateProcess and TerminateJobObject give: taskkill /F's. */
    static final int KILLED = 1;

    private final Kernel32 kernel32;

    JobSpawner(Kernel32 kernel32) {
        this.kernel32 = kernel32;
    }

    /**
     * @param launch      what to run (see {@link Launch})
     * @param environment a Unicode environment block
     * @param directory   the working directory, absolute
     * @param released    told once the tree has been torn down and let go
     */
    JobTree spawn(Launch launch, Pointer environment, WString directory, Runnable released) throws SpawnException {
        Pointer job = createJob();
        try (StdHandles std = StdHandles.inheritableCopies(kernel32)) {
            Memory info = new Memory(Kernel32.PROCESS_INFORMATION_SIZE);
            info.clear();
            int error = createInJob(job, launch, environment, directory, std, info);
            if (error == Kernel32.ERROR_ACCESS_DENIED || error < 0) {
                createSuspendedThenAssign(job, launch, environment, directory, std, info);
            } else if (error != 0) {
                throw WindowsErrors.cannotRun(launch.program(), error);
            }
            kernel32.CloseHandle(info.getPointer(Kernel32.PROCESS_INFORMATION_THREAD_OFFSET));
            Pointer process = info.getPointer(Kernel32.PROCESS_INFORMATION_PROCESS_OFFSET);
            long pid = Integer.toUnsignedLong(info.getInt(Kernel32.PROCESS_INFORMATION_PID_OFFSET));
            return new JobTree(kernel32, job, new Win32Process(kernel32, process, pid), launch.interpreter(), released);
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
    private int createInJob(Pointer job, Launch launch, Pointer environment, WString directory, StdHandles std,
            Memory info) {
        AttributeList attributes;
        try {
            attributes = AttributeList.of(kernel32, List.of(
                    new AttributeList.Attribute(Kernel32.PROC_THREAD_ATTRIBUTE_JOB_LIST, List.of(job)),
                    new AttributeList.Attribute(Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST, std.distinct())));
        } catch (SpawnException e) {
            return -1;
        }
        try (attributes) {
            return create(launch, environment, directory, std, attributes, 0, info);
        }
    }

    /**
     * A process that cannot be put into the job is terminated before it ran an instruction: tether does
     * not start a tree it could not end should tether itself be killed. That includes a tether running
     * inside a job that refuses nesting (any job before Windows 8), reported as tether's failure, 125,
     * rather than by falling back to following parent-child links, which lose every descendant whose
     * parent has exited.
     */
    private void createSuspendedThenAssign(Pointer job, Launch launch, Pointer environment, WString directory,
            StdHandles std, Memory info) throws SpawnException {
        int error;
        try (AttributeList attributes = AttributeList.of(kernel32, List.of(
                new AttributeList.Attribute(Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST, std.distinct())))) {
            error = create(launch, environment, directory, std, attributes, Kernel32.CREATE_SUSPENDED, info);
        }
        if (error != 0) {
            throw WindowsErrors.cannotRun(launch.program(), error);
        }
        Pointer process = info.getPointer(Kernel32.PROCESS_INFORMATION_PROCESS_OFFSET);
        Pointer thread = info.getPointer(Kernel32.PROCESS_INFORMATION_THREAD_OFFSET);
        if (!kernel32.AssignProcessToJobObject(job, process)) {
            error = kernel32.GetLastError();
            abandon(process, thread);
            throw error == Kernel32.ERROR_ACCESS_DENIED
                    ? new SpawnException(SpawnException.Reason.FAILED, "cannot put '" + launch.program()
                            + "' in a job object: tether runs in a job that does not allow nesting (Windows error 5)")
                    : WindowsErrors.tetherFailure("AssignProcessToJobObject", error);
        }
        if (kernel32.ResumeThread(thread) == Kernel32.RESUME_THREAD_FAILED) {
            error = kernel32.GetLastError();
            abandon(process, thread);
            throw WindowsErrors.tetherFailure("ResumeThread", error);
        }
    }

    /** @return 0 once created, else CreateProcessW's error */
    private int create(Launch launch, Pointer environment, WString directory, StdHandles std,
            AttributeList attributes, int extraFlags, Memory info) {
        Memory startup = startupInfo(std.stdin(), std.stdout(), std.stderr(), attributes);
        boolean created = kernel32.CreateProcessW(new WString(launch.application()), launch.commandLine(), null, null,
                true, WindowsProcessTreeKiller.CREATION_FLAGS | Kernel32.EXTENDED_STARTUPINFO_PRESENT | extraFlags,
                environment, directory, startup, info);
        return created ? 0 : kernel32.GetLastError();
    }

    private void abandon(Pointer process, Pointer thread) {
        kernel32.TerminateProcess(process, KILLED);
        kernel32.CloseHandle(thread);
        kernel32.CloseHandle(process);
    }

    /** A STARTUPINFOEXW with the standard handles and the attribute list. */
    static Memory startupInfo(Pointer stdin, Pointer stdout, Pointer stderr, AttributeList attributes) {
        Memory startup = new Memory(Kernel32.STARTUPINFOEX_SIZE);
        startup.clear();
        startup.setInt(0, Kernel32.STARTUPINFOEX_SIZE);
        startup.setInt(Kernel32.STARTUPINFO_FLAGS_OFFSET, Kernel32.STARTF_USESTDHANDLES);
        startup.setPointer(Kernel32.STARTUPINFO_STDIN_OFFSET, stdin);
        startup.setPointer(Kernel32.STARTUPINFO_STDOUT_OFFSET, stdout);
        startup.setPointer(Kernel32.STARTUPINFO_STDERR_OFFSET, stderr);
        startup.setPointer(Kernel32.STARTUPINFOEX_ATTRIBUTE_LIST_OFFSET, attributes.address());
        return startup;
    }
}
