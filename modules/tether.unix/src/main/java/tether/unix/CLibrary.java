package tether.unix;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import tether.unix.darwin.SystemB;
import tether.unix.linux.LinuxLibc;

/**
 * The libc functions the Unix provider calls on Linux (glibc) and macOS (libSystem) alike, and the constants
 * that have the same value on both; nothing else. Values that differ are in {@link LinuxLibc} and
 * {@link SystemB}, and the code reads them through {@link UnixPlatform}.
 *
 * <p>Each function is looked up by name when first called (JNA's {@link NativeLibrary} keeps it) and invoked
 * through JNA's {@link Function}: JNA's interface proxies and direct mapping both spend milliseconds of
 * reflection per function when they are set up, which made them the largest part of tether's start-up.
 *
 * <p>Linux values are from the kernel's uapi headers and glibc's; macOS values from xnu, cited by path.
 */
public final class CLibrary {

    private static final NativeLibrary LIBC = Natives.library(UnixPlatform.current().library());

    /** {@code Function.USE_VARARGS_SHIFT}, which JNA 5.19 keeps private. */
    private static final int VARARGS_SHIFT = 7;

    private CLibrary() {}

    // Signal numbers: asm-generic/signal.h and arch/x86/include/uapi/asm/signal.h; xnu bsd/sys/signal.h.
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;

    // errno: asm-generic/errno-base.h; xnu bsd/sys/errno.h.
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int ECHILD = 10;
    public static final int EACCES = 13;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int ERANGE = 34;

    // posix_spawnattr_setflags: glibc posix/spawn.h; xnu bsd/sys/spawn.h.
    public static final short POSIX_SPAWN_SETPGROUP = 0x02;
    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;

    // open and fcntl: asm-generic/fcntl.h; xnu bsd/sys/fcntl.h.
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;
    /** The access-mode bits of F_GETFL's flags, which O_RDONLY, O_WRONLY and O_RDWR are values of. */
    public static final int O_ACCMODE = 3;

    /** lseek: linux/fs.h; xnu bsd/sys/unistd.h. */
    public static final int SEEK_END = 2;

    // access: glibc posix/unistd.h; xnu bsd/sys/unistd.h.
    public static final int F_OK = 0;
    public static final int X_OK = 1;

    // File types in st_mode: linux/stat.h; xnu bsd/sys/stat.h.
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;

    // waitid: linux/wait.h; xnu bsd/sys/wait.h.
    public static final int P_ALL = 0;
    public static final int P_PID = 1;
    public static final int WNOHANG = 1;
    public static final int WEXITED = 4;

    // si_code of SIGCHLD: asm-generic/siginfo.h; xnu bsd/sys/signal.h.
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    public static final int CLD_STOPPED = 5;

    /** siginfo_t opens with three ints, si_signo, si_errno and si_code, on both. */
    public static final int SIGINFO_CODE_OFFSET = 8;
    /** The handler is the first field of the user's struct sigaction on both. */
    public static final int SIGACTION_HANDLER_OFFSET = 0;

    /** struct pollfd {int fd; short events; short revents;} and POLLIN: asm-generic/poll.h; xnu bsd/sys/poll.h. */
    public static final int POLLFD_SIZE = 8;
    public static final short POLLIN = 0x1;

    /** asm-generic/termbits.h; xnu bsd/sys/termios.h. */
    public static final int TCSANOW = 0;

    // flock(2)'s operations: asm-generic/fcntl.h; xnu bsd/sys/fcntl.h.
    public static final int LOCK_EX = 0x02;
    public static final int LOCK_NB = 0x04;
    public static final int LOCK_UN = 0x08;

    // struct winsize, four unsigned shorts (rows, columns, pixels across and down): asm-generic/termios.h;
    // xnu bsd/sys/ttycom.h.
    public static final int WINSIZE_SIZE = 8;
    public static final int WINSIZE_COL_OFFSET = 2;

    /** asm-generic/signal-defs.h; xnu bsd/sys/signal.h. */
    public static final Pointer SIG_DFL = Pointer.NULL;
    public static final Pointer SIG_IGN = new Pointer(1);

    static int posix_spawnp(int[] pid, Pointer file, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp) {
        return function("posix_spawnp").invokeInt(new Object[] {pid, file, fileActions, attr, argv, envp});
    }

    static int posix_spawn(int[] pid, Pointer path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp) {
        return function("posix_spawn").invokeInt(new Object[] {pid, path, fileActions, attr, argv, envp});
    }

    public static Pointer getenv(String name) {
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

    /** glibc 2.29 and later; macOS 10.15 and later. */
    static int posix_spawn_file_actions_addchdir_np(Pointer actions, Pointer path) {
        return function("posix_spawn_file_actions_addchdir_np").invokeInt(new Object[] {actions, path});
    }

    static int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd) {
        return function("posix_spawn_file_actions_adddup2").invokeInt(new Object[] {actions, fd, newfd});
    }

    static int posix_spawn_file_actions_addopen(Pointer actions, int fd, Pointer path, int flags, int mode) {
        return function("posix_spawn_file_actions_addopen").invokeInt(new Object[] {actions, fd, path, flags, mode});
    }

    static int pipe(int[] fds) {
        return function("pipe").invokeInt(new Object[] {fds});
    }

    public static long read(int fd, byte[] buffer, long count) {
        return function("read").invokeLong(new Object[] {fd, buffer, count});
    }

    public static long write(int fd, byte[] buffer, long count) {
        return function("write").invokeLong(new Object[] {fd, buffer, count});
    }

    /** nfds_t is an unsigned long on Linux and an unsigned int on macOS: either way the count goes in a register. */
    static int poll(Pointer fds, long count, int timeoutMillis) {
        return function("poll").invokeInt(new Object[] {fds, count, timeoutMillis});
    }

    /** {@code off_t} is 64 bits on every system tether runs on (LP64 Linux, macOS). */
    public static long pread(int fd, byte[] buffer, long count, long offset) {
        return function("pread").invokeLong(new Object[] {fd, buffer, count, offset});
    }

    public static long lseek(int fd, long offset, int whence) {
        return function("lseek").invokeLong(new Object[] {fd, offset, whence});
    }

    /** 1 for a terminal, 0 otherwise (errno says why). */
    static int isatty(int fd) {
        return function("isatty").invokeInt(new Object[] {fd});
    }

    public static int close(int fd) {
        return function("close").invokeInt(new Object[] {fd});
    }

    public static int getpid() {
        return function("getpid").invokeInt(new Object[0]);
    }

    public static int kill(int pid, int sig) {
        return function("kill").invokeInt(new Object[] {pid, sig});
    }

    static int killpg(int pgrp, int sig) {
        return function("killpg").invokeInt(new Object[] {pgrp, sig});
    }

    static int sigemptyset(Pointer set) {
        return function("sigemptyset").invokeInt(new Object[] {set});
    }

    static int sigfillset(Pointer set) {
        return function("sigfillset").invokeInt(new Object[] {set});
    }

    static int sigaddset(Pointer set, int signum) {
        return function("sigaddset").invokeInt(new Object[] {set, signum});
    }

    static int sigdelset(Pointer set, int signum) {
        return function("sigdelset").invokeInt(new Object[] {set, signum});
    }

    static int sigismember(Pointer set, int signum) {
        return function("sigismember").invokeInt(new Object[] {set, signum});
    }

    static int pthread_sigmask(int how, Pointer set, Pointer oldSet) {
        return function("pthread_sigmask").invokeInt(new Object[] {how, set, oldSet});
    }

    static int sigpending(Pointer set) {
        return function("sigpending").invokeInt(new Object[] {set});
    }

    static int sigaction(int signum, Pointer action, Pointer oldAction) {
        return function("sigaction").invokeInt(new Object[] {signum, action, oldAction});
    }

    static Pointer signal(int signum, Pointer handler) {
        return function("signal").invokePointer(new Object[] {signum, handler});
    }

    public static int waitid(int idtype, int id, Pointer info, int options) {
        return function("waitid").invokeInt(new Object[] {idtype, id, info, options});
    }

    static int getpgrp() {
        return function("getpgrp").invokeInt(new Object[] {});
    }

    public static int getpgid(int pid) {
        return function("getpgid").invokeInt(new Object[] {pid});
    }

    public static int getsid(int pid) {
        return function("getsid").invokeInt(new Object[] {pid});
    }

    static int flock(int fd, int operation) {
        return function("flock").invokeInt(new Object[] {fd, operation});
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

    /** {@code int open(const char *, int, ...)}: the mode is a variadic argument. */
    public static int open(Pointer path, int flags, int mode) {
        return variadic("open", 2).invokeInt(new Object[] {path, flags, mode});
    }

    /** {@code int ioctl(int, unsigned long, ...)}: the argument is a variadic one. */
    static int ioctl(int fd, long request, Pointer argument) {
        return variadic("ioctl", 2).invokeInt(new Object[] {fd, request, argument});
    }

    /** {@code int fcntl(int, int, ...)}: the argument is a variadic one. */
    static int fcntl(int fd, int command, int argument) {
        return variadic("fcntl", 2).invokeInt(new Object[] {fd, command, argument});
    }

    static long readlink(Pointer path, Pointer buffer, long size) {
        return function("readlink").invokeLong(new Object[] {path, buffer, size});
    }

    public static Pointer realpath(Pointer path, Pointer resolved) {
        return function("realpath").invokePointer(new Object[] {path, resolved});
    }

    public static long sysconf(int name) {
        return function("sysconf").invokeLong(new Object[] {name});
    }

    public static int getuid() {
        return function("getuid").invokeInt(new Object[0]);
    }

    public static int access(Pointer path, int mode) {
        return function("access").invokeInt(new Object[] {path, mode});
    }

    static Pointer getcwd(Pointer buffer, long size) {
        return function("getcwd").invokePointer(new Object[] {buffer, size});
    }

    /** The OS's words for the error of the call just made on this thread, as {@code perror} prints them. */
    public static String lastError() {
        return strerror(com.sun.jna.Native.getLastError());
    }

    public static String strerror(int errnum) {
        return function("strerror").invokeString(new Object[] {errnum}, false);
    }

    public static Function function(String name) {
        return LIBC.getFunction(name);
    }

    /**
     * A variadic function, told how many arguments are fixed: Apple's arm64 ABI passes variadic arguments on
     * the stack rather than in registers, so libffi must know where they start, or {@code open} reads its
     * mode from the wrong place. These are the call flags JNA's own interface proxies use for a Java varargs
     * method.
     */
    public static Function variadic(String name, int fixedArguments) {
        return LIBC.getFunction(name, (fixedArguments & Function.USE_VARARGS) << VARARGS_SHIFT);
    }
}
