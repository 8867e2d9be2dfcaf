package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import tether.api.PathBytes;
import tether.api.Printable;
import tether.api.Provenance;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;
import tether.api.SpawnRequest;
import tether.api.Supervision;
import tether.unix.darwin.SystemB;
import tether.unix.linux.LinuxLibc;
import tether.unix.linux.SpawnHelper;

/**
 * Starts a command with {@code posix_spawnp} as the leader of a new process group.
 *
 * <p>{@code ProcessBuilder} cannot put a child in a new group, and a group set after the start would race
 * the child's own first fork. {@code posix_spawnp} sets the group, resets every signal to its default with
 * an empty mask (the JVM blocks and handles signals a command must not inherit), and closes every file
 * descriptor above stderr, all before the command's first instruction. The {@link Sentinel} starts the
 * same way, in a session of its own. Where the tree gets a cgroup of its own (Linux), {@link CgroupStart}
 * starts COMMAND instead, through a helper that this class starts with the same attributes.
 *
 * <p>{@code posix_spawnattr_t} and {@code posix_spawn_file_actions_t} are structs on Linux and pointers to
 * what {@code *_init} allocates on macOS; either way they get memory of their platform's size, and every
 * {@code *_init} is matched by a {@code *_destroy}.
 */
final class GroupSpawner {

    private static final UnixPlatform OS = UnixPlatform.current();
    private static final int FIRST_NON_STDIO_FD = 3;
    /** The descriptor on which a detached tether reports whether COMMAND started. */
    private static final int REPORT_FD = 3;
    private static final byte[] DEV_NULL = "/dev/null".getBytes(StandardCharsets.US_ASCII);

    /** What a spawn adds to the common file actions: every descriptor above stderr it does not name is closed. */
    @FunctionalInterface
    private interface FileActions {
        void addTo(Memory actions) throws SpawnException;
    }

    /**
     * Everything the supervision and the teardown need (the table's descriptors, the job-control thread, the
     * sentinel) is made before the command starts: once it runs, it may use up what tether would need
     * later (the user's process quota, descriptors); a cgroup is made, with the descriptors its teardown uses, before
     * COMMAND starts in it. What little is left to do after the spawn must not leave the command running
     * unwatched: if it fails, the group and the cgroup are killed.
     */
    static ProcessGroup spawn(SpawnRequest request, OwnSignals signals, Supervision supervision) throws SpawnException {
        becomeSubreaper();
        ProcessTable table = ProcessTable.of(OS);
        // The cgroup is chosen before the sentinel starts: the sentinel is told its directory before it is made.
        CgroupStart cgroup;
        try {
            cgroup = CgroupStart.prepare(request);
        } catch (SpawnException | RuntimeException | Error e) {
            table.close();
            throw e;
        }
        Sentinel sentinel;
        try {
            sentinel = Sentinel.start(ProcessGroup.number(request.firstSignal()), request.grace(),
                    Provenance.entryIn(request.environment()), cgroup == null ? null : cgroup.directory());
        } catch (SpawnException e) {
            if (cgroup != null) {
                cgroup.abandon();
            }
            table.close();
            throw new SpawnException(SpawnException.Reason.FAILED, "cannot start the sentinel: " + e.getMessage());
        }
        // Noted before the spawn: once the command runs it may change the terminal's foreground itself.
        JobControl terminal = JobControl.open(table, signals);
        int pgid;
        try {
            pgid = cgroup == null ? -1 : cgroup.start(request);
            if (pgid < 0) {
                pgid = spawn(request.command(), request.directory(), cStrings(request.environment()),
                        CLibrary.POSIX_SPAWN_SETPGROUP, FIRST_NON_STDIO_FD, commandActions(request));
            }
        } catch (SpawnException | RuntimeException | Error e) {
            sentinel.abandon();
            if (cgroup != null) {
                cgroup.abandon();
            }
            if (terminal != null) {
                terminal.abandon();
            }
            table.close();
            throw e;
        }
        try {
            sentinel.watch(pgid);
            ProcessGroup group = new ProcessGroup(pgid, table, terminal, new Reaper(pgid, table, sentinel, supervision),
                    signals, cgroup == null ? null : cgroup.held(), cgroup == null ? null : cgroup.containment());
            // Job control follows the command before its SIGCHLDs reach it: one taken in between would consume
            // the report of a stop for the terminal while job control knows no command yet, and the command
            // would stay stopped. One taken before is dropped, and its report found on the wake below.
            if (terminal != null) {
                terminal.follow(pgid);
            }
            signals.deliverTo(group);
            // A child that exited or stopped before the group could receive SIGCHLD is seen to now.
            signals.wakeReceiver();
            return group;
        } catch (RuntimeException | Error e) {
            CLibrary.killpg(pgid, CLibrary.SIGKILL);
            if (cgroup != null && cgroup.held() != null) {
                cgroup.held().killAll();
            }
            throw e;
        }
    }

    /**
     * What COMMAND's start adds to the common file actions: its stdout and stderr, and its directory
     * ({@code -C}).
     */
    private static FileActions commandActions(SpawnRequest request) {
        return actions -> {
            if (request.stdout() != 1) {
                check("posix_spawn_file_actions_adddup2",
                        CLibrary.posix_spawn_file_actions_adddup2(actions, request.stdout(), 1));
            }
            if (request.stderr() != 2) {
                check("posix_spawn_file_actions_adddup2",
                        CLibrary.posix_spawn_file_actions_adddup2(actions, request.stderr(), 2));
            }
            if (request.directory() != null) {
                check("posix_spawn_file_actions_addchdir_np", CLibrary.posix_spawn_file_actions_addchdir_np(
                        actions, UnixPaths.cString(request.directory())));
            }
        };
    }

    /**
     * Starts {@code argv}, a helper that starts COMMAND in a cgroup (see {@link CgroupStart}), with COMMAND's
     * own attributes, and descriptors {@code orders} and {@code report}, each above the helper's 5, as its
     * {@link SpawnHelper#ORDERS_FD} and {@link SpawnHelper#REPORT_FD}; its stderr goes to the report too, and
     * the real one waits on {@link SpawnHelper#STDERR_FD}.
     */
    static int spawnHelper(List<byte[]> argv, SpawnRequest request, int orders, int report) throws SpawnException {
        FileActions command = commandActions(request);
        return spawn(argv, null, cStrings(request.environment()), CLibrary.POSIX_SPAWN_SETPGROUP,
                SpawnHelper.STDERR_FD + 1, actions -> {
                    command.addTo(actions);
                    check("posix_spawn_file_actions_adddup2",
                            CLibrary.posix_spawn_file_actions_adddup2(actions, 2, SpawnHelper.STDERR_FD));
                    check("posix_spawn_file_actions_adddup2",
                            CLibrary.posix_spawn_file_actions_adddup2(actions, report, 2));
                    check("posix_spawn_file_actions_adddup2",
                            CLibrary.posix_spawn_file_actions_adddup2(actions, orders, SpawnHelper.ORDERS_FD));
                    check("posix_spawn_file_actions_adddup2",
                            CLibrary.posix_spawn_file_actions_adddup2(actions, report, SpawnHelper.REPORT_FD));
                });
    }

    /**
     * Starts {@code argv} in a session of its own with {@code stdin} as its standard input: no terminal
     * signal reaches it and it is in none of tether's groups.
     */
    static int spawnDetached(List<byte[]> argv, int stdin, List<byte[]> environment) throws SpawnException {
        return spawn(argv, null, cStrings(environment), OS.posixSpawnSetsid(), FIRST_NON_STDIO_FD, actions -> check(
                "posix_spawn_file_actions_adddup2", CLibrary.posix_spawn_file_actions_adddup2(actions, stdin, 0)));
    }

    /**
     * Starts a detached tether (see {@code ProcessTreeKiller.startDetached}) and reads its report from
     * {@link #REPORT_FD}, which its environment names. It holds none of the caller's streams, so a hook's
     * caller ({@code git worktree add | cat}) is not kept waiting, and its session has no terminal to hang
     * up on it. The wait ends early, with {@code null}, once {@code stop} names a signal: the detached tether
     * is then sent SIGTERM, which tears down whatever it started.
     */
    static String startDetached(List<byte[]> command, List<byte[]> callerEnvironment, byte[] log, IntSupplier stop)
            throws SpawnException {
        List<byte[]> environment = new ArrayList<>(callerEnvironment);
        environment.add((ProcessTreeKiller.REPORT_VARIABLE + "=" + REPORT_FD).getBytes(StandardCharsets.US_ASCII));
        int logFd = openLog(log);
        int[] pipe;
        int pid;
        try {
            pipe = pipe();
            try {
                pid = spawnOrErrno(command, null, cStrings(environment), OS.posixSpawnSetsid(), REPORT_FD + 1, actions -> {
                    check("posix_spawn_file_actions_addopen", CLibrary.posix_spawn_file_actions_addopen(actions, 0,
                            UnixPaths.cString(DEV_NULL), CLibrary.O_RDONLY, 0));
                    check("posix_spawn_file_actions_adddup2",
                            CLibrary.posix_spawn_file_actions_adddup2(actions, logFd, 1));
                    check("posix_spawn_file_actions_adddup2", CLibrary.posix_spawn_file_actions_adddup2(actions, 1, 2));
                    check("posix_spawn_file_actions_adddup2",
                            CLibrary.posix_spawn_file_actions_adddup2(actions, pipe[1], REPORT_FD));
                });
            } catch (SpawnException e) {
                CLibrary.close(pipe[0]);
                throw e;
            } finally {
                CLibrary.close(pipe[1]);
            }
        } finally {
            CLibrary.close(logFd);
        }
        try {
            if (pid < 0) {
                throw detachedFailure(-pid);
            }
            return readReport(pipe[0], pid, stop);
        } finally {
            CLibrary.close(pipe[0]);
        }
    }

    /**
     * The detached tether is tether's own program: a start that fails is tether's failure (125), not
     * COMMAND's, whatever execve said. E2BIG: the arguments and environment that reach COMMAND as they are
     * fill the system's limit, and the detached tether's report variable goes over it.
     */
    private static SpawnException detachedFailure(int errno) {
        return new SpawnException(SpawnException.Reason.FAILED, errno == CLibrary.E2BIG
                ? "cannot start the detached tether: " + CLibrary.strerror(errno) + " (COMMAND's arguments and"
                        + " environment leave no room for the " + (ProcessTreeKiller.REPORT_VARIABLE.length() + 3)
                        + " bytes --detach adds; without --detach COMMAND can start)"
                : "cannot start the detached tether: " + CLibrary.strerror(errno));
    }

    /** How often the wait for a detached tether's report looks whether it was asked to stop. */
    private static final int STOP_CHECK_MILLIS = 20;

    /** The report line, or {@code null} at end-of-file before one, or once {@code stop} names a signal. */
    private static String readReport(int fd, int detached, IntSupplier stop) {
        Memory poll = new Memory(CLibrary.POLLFD_SIZE);
        poll.setInt(0, fd);
        poll.setShort(Integer.BYTES, CLibrary.POLLIN);
        while (stop.getAsInt() == 0) {
            poll.setShort(Integer.BYTES + Short.BYTES, (short) 0);
            if (CLibrary.poll(poll, 1, STOP_CHECK_MILLIS) > 0) {
                return readLine(fd);
            }
        }
        CLibrary.kill(detached, CLibrary.SIGTERM);
        return null;
    }

    /**
     * Opens the log for appending, creating it. Without blocking: a FIFO nobody reads would otherwise
     * hang tether here (it fails with "No such device or address" instead); the flag is cleared again so
     * that the detached tether and its command write to it as to any file. Without following a symbolic
     * link at the log's own name: in a directory others may write to (a shared worktree, /tmp), another
     * user could plant one there that points at a file of the user's, which tether would then append to.
     * A link the user made on purpose is refused as well, and the message says to name its target.
     */
    private static int openLog(byte[] log) throws SpawnException {
        Memory path = UnixPaths.cString(log);
        int fd = CLibrary.open(path,
                CLibrary.O_WRONLY | OS.oCreat() | OS.oAppend() | OS.oNonblock() | OS.oCloexec() | OS.oNofollow(),
                0644);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw new SpawnException(SpawnException.Reason.FAILED, "cannot open the log '" + Printable.of(log) + "': "
                    + (UnixPaths.isSymbolicLink(log) ? "it is a symbolic link, which tether does not follow (name the"
                            + " file it points to)" : CLibrary.strerror(errno)));
        }
        int flags = CLibrary.fcntl(fd, CLibrary.F_GETFL, 0);
        if (flags < 0 || CLibrary.fcntl(fd, CLibrary.F_SETFL, flags & ~OS.oNonblock()) != 0) {
            int errno = Native.getLastError();
            CLibrary.close(fd);
            throw new SpawnException(SpawnException.Reason.FAILED, "cannot open the log '" + Printable.of(log) + "': "
                    + CLibrary.strerror(errno));
        }
        return fd;
    }

    /** The first line on {@code fd}, without its newline, or {@code null} at end-of-file before one. */
    private static String readLine(int fd) {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (true) {
            long n = CLibrary.read(fd, one, 1);
            if (n < 0 && Native.getLastError() == CLibrary.EINTR) {
                continue;
            }
            if (n <= 0) {
                return null;
            }
            if (one[0] == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(one[0]);
        }
    }

    /**
     * Orphaned descendants (a daemon that double-forked, a process that called setsid and lost its
     * parent) are reparented to tether instead of init, so the teardown can still find them. macOS has no
     * subreaper: there they are reparented to launchd, and only those still in the group are found.
     */
    private static void becomeSubreaper() throws SpawnException {
        if (OS.kernel() == UnixPlatform.Kernel.LINUX && LinuxLibc.prctl(LinuxLibc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            throw new SpawnException(SpawnException.Reason.FAILED,
                    "prctl(PR_SET_CHILD_SUBREAPER): " + CLibrary.lastError());
        }
    }

    /**
     * A pipe whose two ends are closed on exec. macOS has no {@code pipe2}; the moment between {@code pipe}
     * and {@code fcntl} does not matter there, since tether's spawns close every descriptor they do not name.
     */
    static int[] pipe() throws SpawnException {
        int[] fds = new int[2];
        switch (OS.kernel()) {
            case LINUX -> {
                if (LinuxLibc.pipe2(fds, OS.oCloexec()) != 0) {
                    throw new SpawnException(SpawnException.Reason.FAILED,
                            "pipe2: " + CLibrary.lastError());
                }
            }
            case DARWIN -> {
                if (CLibrary.pipe(fds) != 0) {
                    throw new SpawnException(SpawnException.Reason.FAILED,
                            "pipe: " + CLibrary.lastError());
                }
                // F_SETFD fails only for a descriptor that is not open.
                CLibrary.fcntl(fds[0], CLibrary.F_SETFD, CLibrary.FD_CLOEXEC);
                CLibrary.fcntl(fds[1], CLibrary.F_SETFD, CLibrary.FD_CLOEXEC);
            }
        }
        return fds;
    }

    /**
     * @param directory where the command will run ({@code -C}), or {@code null}: a script found by a
     *                  relative path is looked for there
     */
    private static int spawn(List<byte[]> argv, byte[] directory, Pointer environment, short flags, int closeFrom,
            FileActions extra) throws SpawnException {
        int pid = spawnOrErrno(argv, directory, environment, flags, closeFrom, extra);
        if (pid < 0) {
            throw failure(argv.getFirst(), directory, -pid);
        }
        return pid;
    }

    /** As {@link #spawn}, but a program that cannot start is its errno, negated, rather than an exception. */
    private static int spawnOrErrno(List<byte[]> argv, byte[] directory, Pointer environment, short flags,
            int closeFrom, FileActions extra) throws SpawnException {
        Memory attr = new Memory(OS.spawnattrSize());
        Memory actions = new Memory(OS.spawnFileActionsSize());
        check("posix_spawnattr_init", CLibrary.posix_spawnattr_init(attr));
        try {
            check("posix_spawn_file_actions_init", CLibrary.posix_spawn_file_actions_init(actions));
            try {
                configure(attr, closeOthers(actions, flags, closeFrom, extra));
                int[] pid = new int[1];
                byte[] program = argv.getFirst();
                int error = CLibrary.posix_spawnp(pid, UnixPaths.cString(program), actions, attr, cStrings(argv), environment);
                byte[] script = error == CLibrary.ENOEXEC ? ScriptLookup.find(program, directory) : null;
                if (script != null) {
                    List<byte[]> shellCommand = ScriptLookup.shellCommand(script, argv);
                    error = CLibrary.posix_spawn(pid, UnixPaths.cString(shellCommand.getFirst()), actions, attr,
                            cStrings(shellCommand), environment);
                }
                return error != 0 ? -error : pid[0];
            } finally {
                CLibrary.posix_spawn_file_actions_destroy(actions);
            }
        } finally {
            CLibrary.posix_spawnattr_destroy(attr);
        }
    }

    /**
     * Adds {@code extra} to {@code actions} and has every other descriptor from {@code closeFrom} up closed;
     * returns the spawn flags that takes. macOS has no {@code addclosefrom_np}: there
     * POSIX_SPAWN_CLOEXEC_DEFAULT closes every descriptor no file action names, stdio included, so stdio is
     * named, and the descriptors {@code extra} keeps above stderr are the ones it names.
     */
    private static short closeOthers(Memory actions, short flags, int closeFrom, FileActions extra)
            throws SpawnException {
        return switch (OS.kernel()) {
            case LINUX -> {
                extra.addTo(actions);
                check("posix_spawn_file_actions_addclosefrom_np",
                        LinuxLibc.posix_spawn_file_actions_addclosefrom_np(actions, closeFrom));
                yield flags;
            }
            case DARWIN -> {
                for (int fd = 0; fd < FIRST_NON_STDIO_FD; fd++) {
                    check("posix_spawn_file_actions_addinherit_np",
                            SystemB.posix_spawn_file_actions_addinherit_np(actions, fd));
                }
                extra.addTo(actions);
                yield (short) (flags | SystemB.POSIX_SPAWN_CLOEXEC_DEFAULT);
            }
        };
    }

    private static void configure(Memory attr, short flags) throws SpawnException {
        Memory noSignals = new Memory(OS.sigsetSize());
        Memory allSignals = new Memory(OS.sigsetSize());
        CLibrary.sigemptyset(noSignals);
        CLibrary.sigfillset(allSignals);
        // glibc's sigfillset leaves out signals 32 and 33, which it uses internally, and posix_spawn then
        // sets them to ignored in the child; a program not built on glibc (Go, musl) would inherit that.
        // Signal n is bit n - 1 of a sigset_t on both systems, counted from its first byte.
        for (int bit = 0; bit < OS.highestSignal(); bit++) {
            allSignals.setByte(bit / 8, (byte) (allSignals.getByte(bit / 8) | (1 << (bit % 8))));
        }
        check("posix_spawnattr_setflags", CLibrary.posix_spawnattr_setflags(attr,
                (short) (flags | CLibrary.POSIX_SPAWN_SETSIGDEF | CLibrary.POSIX_SPAWN_SETSIGMASK)));
        check("posix_spawnattr_setpgroup", CLibrary.posix_spawnattr_setpgroup(attr, 0));
        check("posix_spawnattr_setsigmask", CLibrary.posix_spawnattr_setsigmask(attr, noSignals));
        check("posix_spawnattr_setsigdefault", CLibrary.posix_spawnattr_setsigdefault(attr, allSignals));
    }

    /** A program named with a slash, as posix_spawnp takes it without a search, that is a directory. */
    private static boolean namesDirectory(byte[] program, byte[] directory) {
        for (byte b : program) {
            if (b == '/') {
                return UnixPaths.isDirectory(directory == null ? program : PathBytes.resolve(directory, program));
            }
        }
        return false;
    }

    /** Why {@code program}, to be run in {@code directory} ({@code null}: here), could not be: as the shells say. */
    static SpawnException failure(byte[] program, byte[] directory, int errno) {
        if (errno == CLibrary.EACCES && namesDirectory(program, directory)) {
            // execve refuses a directory with EACCES; say what it is, as the shells do.
            errno = CLibrary.EISDIR;
        }
        SpawnException.Reason reason = switch (errno) {
            case CLibrary.ENOENT, CLibrary.ENOTDIR -> SpawnException.Reason.NOT_FOUND;
            case CLibrary.EACCES, CLibrary.ENOEXEC, CLibrary.EISDIR, CLibrary.E2BIG -> SpawnException.Reason.NOT_EXECUTABLE;
            default -> SpawnException.Reason.FAILED;
        };
        return new SpawnException(reason, "cannot run '" + Printable.of(program) + "': " + CLibrary.strerror(errno));
    }

    private static void check(String call, int error) throws SpawnException {
        if (error != 0) {
            throw new SpawnException(SpawnException.Reason.FAILED, call + ": " + CLibrary.strerror(error));
        }
    }

    /**
     * A NULL-terminated array of C strings. The strings' memory must outlive the call, so it is kept
     * reachable from the array's.
     */
    private static Pointer cStrings(List<byte[]> strings) {
        Memory[] kept = new Memory[strings.size()];
        CStringArray array = new CStringArray((strings.size() + 1L) * Native.POINTER_SIZE, kept);
        for (int i = 0; i < strings.size(); i++) {
            kept[i] = UnixPaths.cString(strings.get(i));
            array.setPointer((long) i * Native.POINTER_SIZE, kept[i]);
        }
        array.setPointer((long) strings.size() * Native.POINTER_SIZE, null);
        return array;
    }

    /** Memory holding pointers to other memory, which it keeps from being freed. */
    private static final class CStringArray extends Memory {
        @SuppressWarnings({"unused", "FieldCanBeLocal"})
        private final Memory[] strings;

        CStringArray(long size, Memory[] strings) {
            super(size);
            this.strings = strings;
        }
    }

}
