package tether.unix;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The glibc functions and x86-64/aarch64 Linux constants the Unix provider uses; nothing else.
 *
 * <p>Each function is looked up when first called and invoked through JNA's {@link Function}: JNA's
 * interface proxies and direct mapping both spend milliseconds of reflection per function when they are
 * set up, which made them the largest part of tether's start-up.
 */
final class LinuxLibc {

    private static final NativeLibrary LIBC = Natives.library("c");

    private LinuxLibc() {}

    static final int SIGHUP = 1;
    static final int SIGINT = 2;
    static final int SIGQUIT = 3;
    static final int SIGKILL = 9;
    static final int SIGUSR1 = 10;
    static final int SIGUSR2 = 12;
    static final int SIGTERM = 15;
    static final int SIGCHLD = 17;
    static final int SIGCONT = 18;
    static final int SIGSTOP = 19;
    static final int SIGTSTP = 20;
    static final int SIGTTIN = 21;
    static final int SIGTTOU = 22;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int ENOTDIR = 20;
    static final int ERANGE = 34;

    static final short POSIX_SPAWN_SETPGROUP = 0x02;
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** glibc 2.26 and later. */
    static final short POSIX_SPAWN_SETSID = 0x80;

    static final int PR_SET_CHILD_SUBREAPER = 36;
    static final int O_CLOEXEC = 0x80000;
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NOCTTY = 0x100;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0x40;
    static final int O_APPEND = 0x400;
    static final int O_NONBLOCK = 0x800;
    /** asm-generic/fcntl.h (x86-64 and aarch64 alike): opens a file without reading it, only to hold it. */
    static final int O_PATH = 0x200000;
    /** 0400000 in asm-generic/fcntl.h (x86-64); 0100000 in arch/arm64/include/uapi/asm/fcntl.h. */
    static final int O_NOFOLLOW = System.getProperty("os.arch", "").equals("aarch64") ? 0x8000 : 0x20000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int X_OK = 1;

    /** fcntl.h: the *at functions' "relative to the working directory" and their flags. */
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_EMPTY_PATH = 0x1000;

    /** linux/stat.h: struct statx has one layout on every architecture, unlike struct stat. */
    static final int STATX_SIZE = 256;
    static final int STATX_TYPE = 0x1;
    static final int STATX_INO = 0x100;
    static final int STATX_MODE_OFFSET = 28;
    static final int STATX_INO_OFFSET = 32;
    static final int STATX_DEV_MAJOR_OFFSET = 136;
    static final int STATX_DEV_MINOR_OFFSET = 140;
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int PATH_MAX = 4096;

    static final int SIG_BLOCK = 0;
    static final int SIG_SETMASK = 2;
    /** glibc's struct sigaction is 152 bytes on x86-64 and aarch64; sa_handler is its first field. */
    static final int SIGACTION_SIZE = 256;
    static final int SIGACTION_HANDLER_OFFSET = 0;
    /** Signal numbers run from 1 to 64 (SIGRTMAX). */
    static final int HIGHEST_SIGNAL = 64;

    static final int P_ALL = 0;
    static final int P_PID = 1;
    static final int WSTOPPED = 2;
    static final int WEXITED = 4;
    static final int WNOWAIT = 0x01000000;
    static final int WNOHANG = 1;

    static final int CLD_EXITED = 1;
    static final int CLD_STOPPED = 5;

    static final int TCSANOW = 0;

    /** sizeof(posix_spawnattr_t) is 336 and sizeof(posix_spawn_file_actions_t) 80; rounded up. */
    static final int SPAWN_STRUCT_SIZE = 512;
    /** sizeof(sigset_t): glibc reserves 1024 signal bits. */
    static final int SIGSET_SIZE = 128;
    /** sizeof(siginfo_t). */
    static final int SIGINFO_SIZE = 128;
    /** Offsets of si_code and, for SIGCHLD, si_pid and si_status in siginfo_t on 64-bit Linux. */
    static final int SIGINFO_CODE_OFFSET = 8;
    static final int SIGINFO_PID_OFFSET = 16;
    static final int SIGINFO_STATUS_OFFSET = 24;
    /** sizeof(struct termios) is 60; rounded up. */
    static final int TERMIOS_SIZE = 64;

    static final Pointer SIG_DFL = Pointer.NULL;
    static final Pointer SIG_IGN = new Pointer(1);

    static int posix_spawnp(int[] pid, Pointer file, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp) {
        return function("posix_spawnp").invokeInt(new Object[] {pid, file, fileActions, attr, argv, envp});
    }

    static int posix_spawn(int[] pid, Pointer path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp) {
        return function("posix_spawn").invokeInt(new Object[] {pid, path, fileActions, attr, argv, envp});
    }

    static Pointer getenv(String name) {
        return function("getenv").invokePointer(new Object[] {name});
    }

    static int posix_spawnattr_init(Pointer attr) {
        return function("posix_spawnattr_init").invokeInt(new Object[] {attr});
    }

    static int posix_spawnattr_destroy(Pointer attr) {
        return function("posix_spawnattr_destroy").invokeInt(new Object[] {attr});
    }

    static int posix_spawnattr_setflags(Pointer attr, short flags) {
        return function("posix_spawnattr_setflags").invokeInt(new Object[] {attr, flags});
    }

    static int posix_spawnattr_setpgroup(Pointer attr, int pgroup) {
        return function("posix_spawnattr_setpgroup").invokeInt(new Object[] {attr, pgroup});
    }

    static int posix_spawnattr_setsigmask(Pointer attr, Pointer sigmask) {
        return function("posix_spawnattr_setsigmask").invokeInt(new Object[] {attr, sigmask});
    }

    static int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigdefault) {
        return function("posix_spawnattr_setsigdefault").invokeInt(new Object[] {attr, sigdefault});
    }

    static int posix_spawn_file_actions_init(Pointer actions) {
        return function("posix_spawn_file_actions_init").invokeInt(new Object[] {actions});
    }

    static int posix_spawn_file_actions_destroy(Pointer actions) {
        return function("posix_spawn_file_actions_destroy").invokeInt(new Object[] {actions});
    }

    /** glibc 2.34 and later. */
    static int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from) {
        return function("posix_spawn_file_actions_addclosefrom_np").invokeInt(new Object[] {actions, from});
    }

    /** glibc 2.29 and later. */
    static int posix_spawn_file_actions_addchdir_np(Pointer actions, Pointer path) {
        return function("posix_spawn_file_actions_addchdir_np").invokeInt(new Object[] {actions, path});
    }

    static int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd) {
        return function("posix_spawn_file_actions_adddup2").invokeInt(new Object[] {actions, fd, newfd});
    }

    static int posix_spawn_file_actions_addopen(Pointer actions, int fd, Pointer path, int flags, int mode) {
        return function("posix_spawn_file_actions_addopen").invokeInt(new Object[] {actions, fd, path, flags, mode});
    }

    static long read(int fd, byte[] buffer, long count) {
        return function("read").invokeLong(new Object[] {fd, buffer, count});
    }

    static int pipe2(int[] fds, int flags) {
        return function("pipe2").invokeInt(new Object[] {fds, flags});
    }

    static long write(int fd, byte[] buffer, long count) {
        return function("write").invokeLong(new Object[] {fd, buffer, count});
    }

    static int close(int fd) {
        return function("close").invokeInt(new Object[] {fd});
    }

    static int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        return function("prctl").invokeInt(new Object[] {option, arg2, arg3, arg4, arg5});
    }

    static int kill(int pid, int sig) {
        return function("kill").invokeInt(new Object[] {pid, sig});
    }

    static int sigemptyset(Pointer set) {
        return function("sigemptyset").invokeInt(new Object[] {set});
    }

    static int sigfillset(Pointer set) {
        return function("sigfillset").invokeInt(new Object[] {set});
    }

    static int waitid(int idtype, int id, Pointer info, int options) {
        return function("waitid").invokeInt(new Object[] {idtype, id, info, options});
    }

    static int killpg(int pgrp, int sig) {
        return function("killpg").invokeInt(new Object[] {pgrp, sig});
    }

    static int getpgrp() {
        return function("getpgrp").invokeInt(new Object[] {});
    }

    static int tcgetpgrp(int fd) {
        return function("tcgetpgrp").invokeInt(new Object[] {fd});
    }

    static int tcsetpgrp(int fd, int pgrp) {
        return function("tcsetpgrp").invokeInt(new Object[] {fd, pgrp});
    }

    static int tcgetattr(int fd, Pointer termios) {
        return function("tcgetattr").invokeInt(new Object[] {fd, termios});
    }

    static int tcsetattr(int fd, int optionalActions, Pointer termios) {
        return function("tcsetattr").invokeInt(new Object[] {fd, optionalActions, termios});
    }

    static Pointer signal(int signum, Pointer handler) {
        return function("signal").invokePointer(new Object[] {signum, handler});
    }

    static int statx(int dirfd, Pointer path, int flags, int mask, Pointer buffer) {
        return function("statx").invokeInt(new Object[] {dirfd, path, flags, mask, buffer});
    }

    static int open(Pointer path, int flags, int mode) {
        return function("open").invokeInt(new Object[] {path, flags, mode});
    }

    static int fcntl(int fd, int command, int argument) {
        return function("fcntl").invokeInt(new Object[] {fd, command, argument});
    }

    static long readlink(Pointer path, Pointer buffer, long size) {
        return function("readlink").invokeLong(new Object[] {path, buffer, size});
    }

    static int access(Pointer path, int mode) {
        return function("access").invokeInt(new Object[] {path, mode});
    }

    static Pointer getcwd(Pointer buffer, long size) {
        return function("getcwd").invokePointer(new Object[] {buffer, size});
    }

    static int pthread_sigmask(int how, Pointer set, Pointer oldSet) {
        return function("pthread_sigmask").invokeInt(new Object[] {how, set, oldSet});
    }

    static int sigaction(int signum, Pointer action, Pointer oldAction) {
        return function("sigaction").invokeInt(new Object[] {signum, action, oldAction});
    }

    static int sigdelset(Pointer set, int signum) {
        return function("sigdelset").invokeInt(new Object[] {set, signum});
    }

    static int sigismember(Pointer set, int signum) {
        return function("sigismember").invokeInt(new Object[] {set, signum});
    }

    static int sigwaitinfo(Pointer set, Pointer info) {
        return function("sigwaitinfo").invokeInt(new Object[] {set, info});
    }

    static String strerror(int errnum) {
        return function("strerror").invokeString(new Object[] {errnum}, false);
    }

    private static Function function(String name) {
        return LIBC.getFunction(name);
    }

    static int sigaddset(Pointer set, int signum) {
        return function("sigaddset").invokeInt(new Object[] {set, signum});
    }
}
