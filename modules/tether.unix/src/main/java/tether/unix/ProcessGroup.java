package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.List;
import sun.misc.Signal;
import tether.api.ExitStatus;
import tether.api.ProcessTree;
import tether.api.TreeSignal;

/**
 * A command that leads its own process group (the group id is the leader's pid), and the descendants that
 * left the group on purpose: tether is their subreaper, so they stay tether's descendants even when
 * orphaned, and each is signalled by pid.
 */
final class ProcessGroup implements ProcessTree {

    private static final int SELF = (int) ProcessHandle.current().pid();

    private final int pgid;
    private final JobControl terminal;
    private final Sentinel sentinel;
    /** Descendants outside the group, as of the last {@link #liveMembers()}: the ones to signal by pid. */
    private volatile List<Integer> escapees = List.of();
    /** Set by SIGCHLD, so that a poll with no exited child costs nothing. */
    private volatile boolean childrenExited = true;
    private final Memory reapInfo = new Memory(LinuxLibc.SIGINFO_SIZE);

    ProcessGroup(int pgid, JobControl terminal, Sentinel sentinel) {
        this.pgid = pgid;
        this.terminal = terminal;
        this.sentinel = sentinel;
        Signal.handle(new Signal("CHLD"), signal -> childrenExited = true);
    }

    @Override
    public long pid() {
        return pgid;
    }

    /** {@code waitid(WNOWAIT)} leaves the leader a zombie, which keeps its pid and so the pgid reserved. */
    @Override
    public ExitStatus awaitExit() throws InterruptedException {
        Memory info = new Memory(LinuxLibc.SIGINFO_SIZE);
        while (LinuxLibc.waitid(LinuxLibc.P_PID, pgid, info, LinuxLibc.WEXITED | LinuxLibc.WNOWAIT) != 0) {
            int errno = Native.getLastError();
            if (errno != LinuxLibc.EINTR) {
                throw new IllegalStateException("waitid(" + pgid + "): " + LinuxLibc.strerror(errno));
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        int code = info.getInt(LinuxLibc.SIGINFO_CODE_OFFSET);
        int status = info.getInt(LinuxLibc.SIGINFO_STATUS_OFFSET);
        return code == LinuxLibc.CLD_EXITED ? ExitStatus.exited(status) : ExitStatus.killedBy(status);
    }

    @Override
    public int liveMembers() {
        ProcessTable table = ProcessTable.read();
        escapees = table.liveDescendantsOutsideGroup(SELF, pgid, sentinel.pid());
        return table.liveInGroup(pgid) + escapees.size();
    }

    @Override
    public void signal(TreeSignal signal) {
        int number = number(signal);
        if (LinuxLibc.killpg(pgid, number) != 0) {
            int errno = Native.getLastError();
            // ESRCH: the group emptied (leader reaped) between the check and the signal.
            if (errno != LinuxLibc.ESRCH) {
                throw new IllegalStateException("killpg(" + pgid + ", SIG" + signal + "): " + LinuxLibc.strerror(errno));
            }
        }
        for (int escapee : escapees) {
            LinuxLibc.kill(escapee, number);
        }
    }

    /**
     * Reaps exited children other than the leader, whose zombie must stay until the sweep is done. Only
     * after a SIGCHLD: an idle tether polls four times a second and must cost next to nothing.
     */
    @Override
    public synchronized void reapOrphans() {
        if (!childrenExited) {
            return;
        }
        childrenExited = false;
        Memory info = reapInfo;
        while (true) {
            info.setInt(LinuxLibc.SIGINFO_PID_OFFSET, 0);
            int options = LinuxLibc.WEXITED | LinuxLibc.WNOHANG | LinuxLibc.WNOWAIT;
            if (LinuxLibc.waitid(LinuxLibc.P_ALL, 0, info, options) != 0) {
                return; // ECHILD: no children
            }
            int child = info.getInt(LinuxLibc.SIGINFO_PID_OFFSET);
            if (child == 0 || child == pgid) {
                return;
            }
            LinuxLibc.waitid(LinuxLibc.P_PID, child, info, LinuxLibc.WEXITED | LinuxLibc.WNOHANG);
        }
    }

    @Override
    public void release() {
        sentinel.done();
        if (terminal != null) {
            terminal.release();
        }
        childrenExited = true;
        reapOrphans();
        LinuxLibc.waitid(LinuxLibc.P_PID, pgid, new Memory(LinuxLibc.SIGINFO_SIZE),
                LinuxLibc.WEXITED | LinuxLibc.WNOHANG);
    }

    static int number(TreeSignal signal) {
        return switch (signal) {
            case HUP -> LinuxLibc.SIGHUP;
            case INT -> LinuxLibc.SIGINT;
            case QUIT -> LinuxLibc.SIGQUIT;
            case USR1 -> LinuxLibc.SIGUSR1;
            case USR2 -> LinuxLibc.SIGUSR2;
            case TERM -> LinuxLibc.SIGTERM;
            case CONT -> LinuxLibc.SIGCONT;
            case KILL -> LinuxLibc.SIGKILL;
        };
    }
}
