package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import tether.api.ExitStatus;
import tether.api.ProcessTree;
import tether.api.TreeSignal;

/** A command that leads its own process group; the group id is the leader's pid. */
final class ProcessGroup implements ProcessTree {

    private final int pgid;
    private final ForegroundTerminal terminal;

    ProcessGroup(int pgid, ForegroundTerminal terminal) {
        this.pgid = pgid;
        this.terminal = terminal;
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
        return GroupMembers.countLive(pgid);
    }

    @Override
    public void signal(TreeSignal signal) {
        if (LinuxLibc.killpg(pgid, number(signal)) != 0) {
            int errno = Native.getLastError();
            // ESRCH: the group emptied (leader reaped) between the check and the signal.
            if (errno != LinuxLibc.ESRCH) {
                throw new IllegalStateException("killpg(" + pgid + ", SIG" + signal + "): " + LinuxLibc.strerror(errno));
            }
        }
    }

    @Override
    public void release() {
        if (terminal != null) {
            terminal.restore();
        }
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
