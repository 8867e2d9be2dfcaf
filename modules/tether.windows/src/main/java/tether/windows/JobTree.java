package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tether.api.ExitStatus;
import tether.api.Members;
import tether.api.ProcessTree;
import tether.api.TreeSignal;

/**
 * The command and every process that joined its Job Object. Windows forgets a parent-child link once the
 * parent exits, but not job membership, so a descendant that outlived the command is still found here.
 */
final class JobTree implements ProcessTree {

    /** Room for this many pids in the first query; a bigger job is asked again with room for all. */
    static final int FIRST_CAPACITY = 64;

    private final Kernel32 kernel32;
    private final Pointer job;
    private final RootProcess root;
    private final boolean rootIsInterpreter;
    private final Runnable released;
    private volatile boolean breakSent;

    /**
     * @param rootIsInterpreter whether the root is cmd.exe running COMMAND's batch file
     * @param released          told once the tree has been let go
     */
    JobTree(Kernel32 kernel32, Pointer job, RootProcess root, boolean rootIsInterpreter, Runnable released) {
        this.kernel32 = kernel32;
        this.job = job;
        this.root = root;
        this.rootIsInterpreter = rootIsInterpreter;
        this.released = released;
    }

    @Override
    public long pid() {
        return root.pid();
    }

    @Override
    public ExitStatus awaitExit() throws InterruptedException {
        return ExitStatus.exited(root.awaitExitCode());
    }

    /**
     * The job's processes now. A batch interpreter that is the last of them after Ctrl-Break is ended here
     * rather than at the grace deadline: its children have had their Ctrl-Break, and all cmd.exe has left
     * to do is ask "Terminate batch job (Y/N)?" on the console tether shares with the user and wait for a
     * key.
     */
    @Override
    public Members members() {
        Snapshot snapshot = list();
        if (rootIsInterpreter && breakSent && snapshot.pids.equals(Set.of(root.pid()))) {
            kernel32.TerminateJobObject(job, JobSpawner.KILLED);
        }
        return snapshot;
    }

    private Snapshot list() {
        int capacity = FIRST_CAPACITY;
        while (true) {
            Memory list = new Memory(Kernel32.PROCESS_ID_LIST_HEADER_SIZE + (long) capacity * Kernel32.PROCESS_ID_SIZE);
            list.clear();
            if (kernel32.QueryInformationJobObject(job, Kernel32.JOB_OBJECT_BASIC_PROCESS_ID_LIST, list,
                    (int) list.size(), null)) {
                int listed = list.getInt(Kernel32.PROCESS_ID_LIST_LISTED_OFFSET);
                Set<Long> pids = new LinkedHashSet<>();
                for (int i = 0; i < listed; i++) {
                    pids.add(list.getLong(Kernel32.PROCESS_ID_LIST_HEADER_SIZE + (long) i * Kernel32.PROCESS_ID_SIZE));
                }
                return new Snapshot(pids, null);
            }
            int error = kernel32.GetLastError();
            int assigned = list.getInt(Kernel32.PROCESS_ID_LIST_ASSIGNED_OFFSET);
            if (error != Kernel32.ERROR_MORE_DATA || assigned <= capacity) {
                return new Snapshot(Set.of(root.pid()), WindowsErrors.ofCall("QueryInformationJobObject", error));
            }
            capacity = assigned;
        }
    }

    /**
     * Closing the job's only handle ends whatever is still in it; by now that is nothing, unless the
     * teardown gave up, and then this is one more kill.
     */
    @Override
    public void release() {
        root.close();
        kernel32.CloseHandle(job);
        released.run();
    }

    /**
     * The job's processes at one moment. When the job cannot be listed, the snapshot stands for the
     * unlisted job by the root's pid: not empty, since nothing says it is, and every signal to it is
     * reported unreachable with the reason, so the teardown kills the job once and says it could not
     * confirm the end rather than waiting on a list it cannot read.
     */
    private final class Snapshot implements Members {
        private final Set<Long> pids;
        private final String unlisted;

        Snapshot(Set<Long> pids, String unlisted) {
            this.pids = pids;
            this.unlisted = unlisted;
        }

        @Override
        public int count() {
            return pids.size();
        }

        /** The job's list is taken in one call, so an empty one is the job's own word. */
        @Override
        public boolean provesEmpty() {
            return pids.isEmpty();
        }

        /** An unlisted job stands by the root's pid and reports its reason with every signal instead (above). */
        @Override
        public String unread() {
            return null;
        }

        /**
         * The first signal, whichever was asked for, is CTRL_BREAK_EVENT to the command's console process
         * group. Dev servers are console programs, and a console program has no window for taskkill's
         * polite request (WM_CLOSE) to reach: taskkill without /F leaves it running and says it can only
         * be ended forcefully. Ctrl-Break reaches every console process of the group: one that handles it
         * (node's SIGBREAK, .NET's CancelKeyPress) shuts down on its own terms, one that does not exits
         * through ExitProcess, which still runs its DLLs' detach code; a JVM prints a thread dump and
         * carries on, and ends at the grace deadline. CTRL_C_EVENT cannot be sent to a group. SIGKILL is TerminateJobObject, which
         * ends every member at once, listed or not. SIGCONT is nothing: Windows has no stopped processes.
         */
        @Override
        public List<Unreachable> signal(TreeSignal signal) {
            if (signal == TreeSignal.CONT || pids.isEmpty()) {
                return unreachable();
            }
            if (signal == TreeSignal.KILL) {
                if (!kernel32.TerminateJobObject(job, JobSpawner.KILLED)) {
                    String reason = WindowsErrors.ofCall("TerminateJobObject", kernel32.GetLastError());
                    return pids.stream().map(pid -> new Unreachable(pid, reason)).toList();
                }
                return unreachable();
            }
            if (!kernel32.GenerateConsoleCtrlEvent(Kernel32.CTRL_BREAK_EVENT, (int) root.pid())) {
                return List.of(new Unreachable(root.pid(),
                        WindowsErrors.ofCall("GenerateConsoleCtrlEvent", kernel32.GetLastError())));
            }
            breakSent = true;
            return unreachable();
        }

        private List<Unreachable> unreachable() {
            return unlisted == null ? List.of() : pids.stream().map(pid -> new Unreachable(pid, unlisted)).toList();
        }

        /**
         * Ctrl-Break goes to a whole group, not to one process: sending it for a newcomer would send it
         * again to every member that already has it, and many servers take a second break as "stop now",
         * cutting short the shutdown the first one started. So no member is new to the first signal;
         * newcomers that do not end with the group end with the job at the grace deadline.
         */
        @Override
        public Members newSince(Members earlier) {
            return new Snapshot(Set.of(), null);
        }

        /** Windows tells tether of no exit here but the root's, so a wait is a plain sleep. */
        @Override
        public void awaitChange(Duration timeout) throws InterruptedException {
            Thread.sleep(timeout);
        }
    }
}
