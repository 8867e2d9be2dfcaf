package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import tether.api.CgroupUse;
import tether.api.Printable;
import tether.api.SpawnException;
import tether.api.SpawnRequest;
import tether.unix.linux.Cgroup;
import tether.unix.linux.CgroupPlacement;
import tether.unix.linux.LinuxLibc;
import tether.unix.linux.ProcSelf;
import tether.unix.linux.SpawnHelper;
import tether.unix.linux.SystemdScope;

/**
 * The start of a COMMAND that gets a cgroup of its own (Linux): where the cgroup goes ({@link CgroupPlacement}),
 * and COMMAND started in it by the image's {@code lib/tether-spawn} ({@link SpawnHelper}), directly or through
 * {@code systemd-run} ({@link SystemdScope}). What to do with the cgroup once the tree runs is {@link Cgroup}'s.
 *
 * <p>In two steps, so that the sentinel knows the cgroup before it exists: {@link #prepare} chooses the place
 * and starts the helper, which waits for its orders (for a systemd scope, inside the scope systemd made for
 * it); {@link #start} makes the cgroup and has the helper start COMMAND there. Where no cgroup can be had, or making or entering it fails,
 * COMMAND starts as without one, and {@link #containment} says why; with {@link CgroupUse#REQUIRED} that is
 * tether's failure instead (125).
 */
final class CgroupStart {

    private static final UnixPlatform OS = UnixPlatform.current();
    private static final String FAILED = "cannot hold the tree in a cgroup: ";

    private final CgroupUse use;
    private final byte[] helper;
    private Cgroup cgroup;
    private Helper running;
    private String containment;

    private CgroupStart(CgroupUse use, byte[] helper) {
        this.use = use;
        this.helper = helper;
    }

    /**
     * The start {@code request} asks for: {@code null} for the process group alone (no cgroups on this system,
     * or {@link CgroupUse#NEVER}).
     *
     * @throws SpawnException when a cgroup is required and none can be had
     */
    static CgroupStart prepare(SpawnRequest request) throws SpawnException {
        if (request.cgroup() == CgroupUse.NEVER) {
            return null;
        }
        if (OS.kernel() != UnixPlatform.Kernel.LINUX) {
            if (request.cgroup() == CgroupUse.REQUIRED) {
                throw new SpawnException(SpawnException.Reason.FAILED, FAILED + "cgroups are Linux's; macOS has none");
            }
            return null;
        }
        byte[] launcher = new ProcSelf().executable();
        CgroupStart start = new CgroupStart(request.cgroup(), launcher == null ? null : SpawnHelper.beside(launcher));
        if (start.helper == null || !UnixPaths.isRegularFile(start.helper)) {
            return start.without("tether-spawn is not in the runtime image beside bin/tether");
        }
        // Asked one by one: a switch over the sealed types would run a type switch's bootstrap on every start.
        CgroupPlacement.Choice choice = CgroupPlacement.decide(new CgroupPlacement.Running());
        if (choice instanceof CgroupPlacement.Own own) {
            return start.inside(own.parent(), request);
        }
        if (choice instanceof CgroupPlacement.Scope scope) {
            return start.inScope(scope, request);
        }
        return start.without(((CgroupPlacement.Nowhere) choice).reason());
    }

    /** The directory the cgroup will have, for the sentinel; {@code null} when there will be none. */
    byte[] directory() {
        return cgroup == null ? null : cgroup.path();
    }

    /** What holds the tree beside its process group, once started: see {@code ProcessTree.containment}. */
    String containment() {
        return containment;
    }

    /** The cgroup COMMAND runs in, once started; {@code null} if it got none. */
    Cgroup held() {
        return cgroup;
    }

    /**
     * The helper starts now and waits for its orders: its start then overlaps the sentinel's, and COMMAND's
     * start waits for one process less.
     */
    private CgroupStart inside(byte[] parent, SpawnRequest request) throws SpawnException {
        try {
            running = Helper.start(List.of(helper), request);
        } catch (SpawnException e) {
            return without(e.getMessage());
        }
        return placed(Cgroup.inside(parent));
    }

    /**
     * systemd-run makes the scope and runs the helper in it, which reports the scope's cgroup and then waits
     * for its orders: the tree's cgroup goes inside that one.
     */
    private CgroupStart inScope(CgroupPlacement.Scope scope, SpawnRequest request) throws SpawnException {
        List<byte[]> command;
        try {
            command = SystemdScope.command(scope.systemdRun(), scope.user(), helper);
        } catch (IllegalArgumentException e) {
            return without(e.getMessage());
        }
        try {
            running = Helper.start(command, request);
        } catch (SpawnException e) {
            return without(e.getMessage());
        }
        SpawnHelper.Report reported = running.ownCgroup();
        byte[] directory = reported.cgroup() == null ? null : CgroupPlacement.directory(
                new CgroupPlacement.Running().mountinfo(), reported.cgroup());
        if (directory == null) {
            String how = running.end();
            running = null;
            return without("systemd-run made no scope: " + how);
        }
        return placed(Cgroup.inside(directory));
    }

    /**
     * The cgroup the tree will have, where the sentinel can be told it: it reads the directory as one line of
     * its pipe, and a cgroup's name, which the kernel takes with any byte but '/', may hold a line break.
     */
    private CgroupStart placed(Cgroup chosen) throws SpawnException {
        for (byte b : chosen.path()) {
            if (b == '\n') {
                abandon();
                return without("its path " + Printable.of(chosen.path()) + " holds a line break");
            }
        }
        cgroup = chosen;
        return this;
    }

    /**
     * Makes the cgroup and starts COMMAND in it; returns its pid, or -1 if it must start without a cgroup
     * after all.
     *
     * @throws SpawnException when COMMAND cannot be run (127, 126, as without a cgroup), or a required cgroup
     *                        cannot be had
     */
    int start(SpawnRequest request) throws SpawnException {
        if (cgroup == null) {
            return -1;
        }
        try {
            cgroup.create();
        } catch (IOException e) {
            abandon();
            return fallBack(e.getMessage());
        }
        SpawnHelper.Report report = running.order(SpawnHelper.orders(cgroup.path(), request.command(),
                request.environment()));
        running = null;
        if (report.pid() > 0 && report.failedCall() == null) {
            containment = "in cgroup " + Printable.of(cgroup.path());
            return report.pid();
        }
        if (report.pid() > 0) {
            // The child failed before or at exec, and exited; it is tether's child, so tether reaps it.
            CLibrary.waitid(CLibrary.P_PID, report.pid(), new Memory(OS.siginfoSize()), CLibrary.WEXITED);
        }
        cgroup.remove();
        if (report.commandFailed()) {
            throw GroupSpawner.failure(request.command().getFirst(), request.directory(), report.errno());
        }
        return fallBack(report.failedCall() != null ? "tether-spawn: " + report.failedCall() + ": "
                + CLibrary.strerror(report.errno()) : report.said().isEmpty() ? "tether-spawn ended without a report"
                : "tether-spawn: " + report.said());
    }

    /** Nothing started: the helper waiting in a scope is let go, and a cgroup already made removed. */
    void abandon() {
        if (running != null) {
            running.end();
            running = null;
        }
        if (cgroup != null) {
            cgroup.remove();
        }
    }

    private CgroupStart without(String reason) throws SpawnException {
        fallBack(reason);
        return this;
    }

    /** No cgroup after all, for {@code reason}: COMMAND starts without one, unless one is required. */
    private int fallBack(String reason) throws SpawnException {
        if (use == CgroupUse.REQUIRED) {
            throw new SpawnException(SpawnException.Reason.FAILED, FAILED + reason);
        }
        cgroup = null;
        containment = "by its process group alone: " + reason;
        return -1;
    }

    /** A helper started, with the two pipes of its talk. */
    private static final class Helper {
        private final int pid;
        private int orders;
        private final int report;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private boolean ended;

        private Helper(int pid, int orders, int report) {
            this.pid = pid;
            this.orders = orders;
            this.report = report;
        }

        static Helper start(List<byte[]> argv, SpawnRequest request) throws SpawnException {
            int[] orders = above(GroupSpawner.pipe());
            int[] report = above(GroupSpawner.pipe());
            int pid;
            try {
                pid = GroupSpawner.spawnHelper(argv, request, orders[0], report[1]);
            } catch (SpawnException e) {
                CLibrary.close(orders[1]);
                CLibrary.close(report[0]);
                throw e;
            } finally {
                CLibrary.close(orders[0]);
                CLibrary.close(report[1]);
            }
            return new Helper(pid, orders[1], report[0]);
        }

        /**
         * A pipe whose ends are above the helper's 3, 4 and 5, so that moving one end there cannot overwrite
         * another (a JVM that has closed low descriptors can be given them back).
         */
        private static int[] above(int[] pipe) throws SpawnException {
            for (int i = 0; i < pipe.length; i++) {
                if (pipe[i] <= SpawnHelper.STDERR_FD) {
                    int moved = CLibrary.fcntl(pipe[i], LinuxLibc.F_DUPFD_CLOEXEC, SpawnHelper.STDERR_FD + 1);
                    int errno = Native.getLastError();
                    CLibrary.close(pipe[i]);
                    if (moved < 0) {
                        throw new SpawnException(SpawnException.Reason.FAILED, "fcntl(F_DUPFD_CLOEXEC): "
                                + CLibrary.strerror(errno));
                    }
                    pipe[i] = moved;
                }
            }
            return pipe;
        }

        /** The helper's own cgroup, the first thing it reports; {@code null} if it ended first. */
        SpawnHelper.Report ownCgroup() {
            SpawnHelper.Report report = SpawnHelper.Report.parse(received.toByteArray());
            while (report.cgroup() == null && readMore()) {
                report = SpawnHelper.Report.parse(received.toByteArray());
            }
            return report;
        }

        /** Sends the orders and returns the whole report, once the helper has ended. */
        SpawnHelper.Report order(byte[] text) {
            try {
                Descriptors.writeFully(orders, text);
            } catch (IOException e) {
                // The helper ended before it read them; its report says why.
            }
            closeOrders();
            while (readMore()) {
                // to end-of-file
            }
            reap();
            return SpawnHelper.Report.parse(received.toByteArray());
        }

        /** Ends the helper without orders (it exits at end-of-file); what it said, and how it ended. */
        String end() {
            closeOrders();
            while (readMore()) {
                // to end-of-file
            }
            String how = reap();
            String said = SpawnHelper.Report.parse(received.toByteArray()).said();
            return said.isEmpty() ? how : said + " (" + how + ")";
        }

        private void closeOrders() {
            if (orders >= 0) {
                CLibrary.close(orders);
                orders = -1;
            }
        }

        private boolean readMore() {
            if (ended) {
                return false;
            }
            byte[] buffer = new byte[512];
            long n;
            do {
                n = CLibrary.read(report, buffer, buffer.length);
            } while (n < 0 && Native.getLastError() == CLibrary.EINTR);
            if (n <= 0) {
                ended = true;
                CLibrary.close(report);
                return false;
            }
            received.write(buffer, 0, (int) n);
            return true;
        }

        /** Waits for the helper, tether's child, which ends once it has reported; how it ended, in words. */
        private String reap() {
            Memory info = new Memory(OS.siginfoSize());
            while (CLibrary.waitid(CLibrary.P_PID, pid, info, CLibrary.WEXITED) != 0) {
                if (Native.getLastError() != CLibrary.EINTR) {
                    return "waitid: " + CLibrary.lastError();
                }
            }
            int code = info.getInt(CLibrary.SIGINFO_CODE_OFFSET);
            int status = info.getInt(OS.siginfoStatusOffset());
            return code == CLibrary.CLD_EXITED ? "it exited with status " + status : "it was killed by signal " + status;
        }
    }
}
