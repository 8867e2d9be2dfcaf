package tether.unix;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/** The glibc functions and x86-64/aarch64 Linux constants the Unix provider uses; nothing else. */
interface LinuxLibc extends Library {

    int SIGHUP = 1;
    int SIGINT = 2;
    int SIGQUIT = 3;
    int SIGKILL = 9;
    int SIGUSR1 = 10;
    int SIGUSR2 = 12;
    int SIGTERM = 15;
    int SIGCONT = 18;
    int SIGSTOP = 19;
    int SIGTSTP = 20;
    int SIGTTIN = 21;
    int SIGTTOU = 22;

    int ESRCH = 3;
    int EINTR = 4;

    short POSIX_SPAWN_SETPGROUP = 0x02;
    short POSIX_SPAWN_SETSIGDEF = 0x04;
    short POSIX_SPAWN_SETSIGMASK = 0x08;

    int P_PID = 1;
    int WSTOPPED = 2;
    int WEXITED = 4;
    int WNOWAIT = 0x01000000;
    int WNOHANG = 1;

    int CLD_EXITED = 1;
    int CLD_STOPPED = 5;

    int TCSANOW = 0;

    /** sizeof(posix_spawnattr_t) is 336 and sizeof(posix_spawn_file_actions_t) 80; rounded up. */
    int SPAWN_STRUCT_SIZE = 512;
    /** sizeof(sigset_t): glibc reserves 1024 signal bits. */
    int SIGSET_SIZE = 128;
    /** sizeof(siginfo_t). */
    int SIGINFO_SIZE = 128;
    /** Offsets of si_code and, for SIGCHLD, si_status in siginfo_t on 64-bit Linux. */
    int SIGINFO_CODE_OFFSET = 8;
    int SIGINFO_STATUS_OFFSET = 24;
    /** sizeof(struct termios) is 60; rounded up. */
    int TERMIOS_SIZE = 64;

    Pointer SIG_IGN = new Pointer(1);

    int posix_spawnp(IntByReference pid, Pointer file, Pointer fileActions, Pointer attr, Pointer[] argv,
            Pointer[] envp);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setpgroup(Pointer attr, int pgroup);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigmask);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigdefault);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    /** glibc 2.34 and later. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    /** glibc 2.29 and later. */
    int posix_spawn_file_actions_addchdir_np(Pointer actions, Pointer path);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int waitid(int idtype, int id, Pointer info, int options);

    int killpg(int pgrp, int sig);

    int getpgrp();

    int isatty(int fd);

    int tcgetpgrp(int fd);

    int tcsetpgrp(int fd, int pgrp);

    int tcgetattr(int fd, Pointer termios);

    int tcsetattr(int fd, int optionalActions, Pointer termios);

    Pointer signal(int signum, Pointer handler);

    String strerror(int errnum);
}
