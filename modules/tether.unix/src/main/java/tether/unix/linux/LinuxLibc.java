package tether.unix.linux;

import com.sun.jna.Pointer;
import tether.unix.CLibrary;
import tether.unix.UnixPlatform;

/**
 * The glibc functions and constants only Linux has, and the x86-64/aarch64 Linux values of the constants
 * that differ from macOS's, which the code reads through {@link UnixPlatform#LINUX}; nothing else. x86-64
 * and aarch64 agree on every value here but {@link #O_NOFOLLOW}: aarch64 takes its signal numbers, struct
 * layouts and open flags from the kernel's asm-generic headers and glibc's generic bits (sigaction,
 * siginfo_t, termios, posix_spawn), which x86-64's match for these; LinuxHeadersTest checks both.
 */
public final class LinuxLibc {

    private LinuxLibc() {}

    // Signal numbers: arch/x86/include/uapi/asm/signal.h and asm-generic/signal.h (aarch64) agree.
    public static final int SIGUSR1 = 10;
    public static final int SIGUSR2 = 12;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    /** SIGRTMAX: glibc's _NSIG is 65 (bits/signum-arch.h). */
    public static final int HIGHEST_SIGNAL = 64;

    // sigprocmask: asm-generic/signal-defs.h.
    public static final int SIG_BLOCK = 0;
    public static final int SIG_SETMASK = 2;

    /** sizeof(sigset_t): glibc reserves 1024 signal bits (bits/types/__sigset_t.h). */
    public static final int SIGSET_SIZE = 128;
    /** sizeof(struct sigaction) in glibc's bits/sigaction.h. */
    public static final int SIGACTION_SIZE = 152;
    /** sizeof(siginfo_t), __SI_MAX_SIZE in glibc's bits/types/siginfo_t.h. */
    public static final int SIGINFO_SIZE = 128;
    /** Offsets of si_pid and, for SIGCHLD, si_status in siginfo_t (bits/types/siginfo_t.h, 64-bit). */
    public static final int SIGINFO_PID_OFFSET = 16;
    public static final int SIGINFO_STATUS_OFFSET = 24;

    /** glibc 2.26 and later (posix/spawn.h). */
    public static final short POSIX_SPAWN_SETSID = 0x80;
    /** sizeof(posix_spawnattr_t) and sizeof(posix_spawn_file_actions_t) (glibc posix/spawn.h). */
    public static final int SPAWNATTR_SIZE = 336;
    public static final int SPAWN_FILE_ACTIONS_SIZE = 80;

    // waitid: linux/wait.h.
    public static final int WSTOPPED = 2;
    public static final int WNOWAIT = 0x01000000;

    /** sysconf's name for USER_HZ, the unit of times in /proc: glibc bits/confname.h. */
    static final int SC_CLK_TCK = 2;
    /** sysconf's name for the page size, the unit of {@code /proc/PID/statm}: glibc bits/confname.h. */
    static final int SC_PAGESIZE = 30;

    /** sizeof(struct termios) in glibc's bits/termios-struct.h (NCCS 32). */
    public static final int TERMIOS_SIZE = 60;

    // open: asm-generic/fcntl.h, which x86-64 and aarch64 share for these.
    public static final int O_CREAT = 0x40;
    public static final int O_NOCTTY = 0x100;
    public static final int O_APPEND = 0x400;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    /** Opens a file without reading it, only to hold it. */
    static final int O_PATH = 0x200000;
    /** The running CPU's O_NOFOLLOW, the one flag of open here whose value differs between the two. */
    public static final int O_NOFOLLOW = oNofollow(System.getProperty("os.arch", ""));

    /**
     * O_NOFOLLOW on {@code arch} (the JDK's os.arch): 0400000 in asm-generic/fcntl.h, which x86-64 uses;
     * 0100000 in arch/arm64/include/uapi/asm/fcntl.h, kept from 32-bit ARM for its compat layer.
     */
    static int oNofollow(String arch) {
        return arch.equals("aarch64") ? 0100000 : 0400000;
    }

    /** linux/limits.h. */
    public static final int PATH_MAX = 4096;

    /** ioctl's request for a terminal's size: asm-generic/ioctls.h, which x86-64 and arm64 share. */
    public static final long TIOCGWINSZ = 0x5413;

    /** linux/prctl.h. */
    public static final int PR_SET_CHILD_SUBREAPER = 36;

    // The *at functions' "relative to the working directory" and their flags: linux/fcntl.h.
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_EMPTY_PATH = 0x1000;

    // linux/stat.h: struct statx has one layout on every architecture, unlike struct stat.
    static final int STATX_SIZE = 256;
    static final int STATX_TYPE = 0x1;
    static final int STATX_INO = 0x100;
    static final int STATX_NLINK = 0x4;
    static final int STATX_NLINK_OFFSET = 16;
    static final int STATX_MODE_OFFSET = 28;
    static final int STATX_INO_OFFSET = 32;
    static final int STATX_DEV_MAJOR_OFFSET = 136;
    static final int STATX_DEV_MINOR_OFFSET = 140;

    /** glibc 2.34 and later. */
    public static int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from) {
        return CLibrary.function("posix_spawn_file_actions_addclosefrom_np").invokeInt(new Object[] {actions, from});
    }

    public static int pipe2(int[] fds, int flags) {
        return CLibrary.function("pipe2").invokeInt(new Object[] {fds, flags});
    }

    /** {@code int prctl(int, ...)}: glibc declares every argument after the option variadic. */
    public static int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        return CLibrary.variadic("prctl", 1).invokeInt(new Object[] {option, arg2, arg3, arg4, arg5});
    }

    static int statx(int dirfd, Pointer path, int flags, int mask, Pointer buffer) {
        return CLibrary.function("statx").invokeInt(new Object[] {dirfd, path, flags, mask, buffer});
    }

    /** Reads at {@code offset} without moving the file's position. */
    static long pread(int fd, byte[] buffer, long count, long offset) {
        return CLibrary.function("pread").invokeLong(new Object[] {fd, buffer, count, offset});
    }

    public static int sigwaitinfo(Pointer set, Pointer info) {
        return CLibrary.function("sigwaitinfo").invokeInt(new Object[] {set, info});
    }

    // cgroup2 (Cgroup): its directories, its files' events and membership.
    /** poll's events: asm-generic/poll.h. A kernfs file such as cgroup.events signals a change with POLLPRI. */
    static final short POLLIN = 0x1;
    static final short POLLPRI = 0x2;
    /** struct pollfd { int fd; short events; short revents; }: asm-generic/poll.h. */
    static final int POLLFD_SIZE = 8;
    static final int POLLFD_EVENTS_OFFSET = 4;
    /** eventfd's flags are open's: linux/eventfd.h (EFD_CLOEXEC = O_CLOEXEC, EFD_NONBLOCK = O_NONBLOCK). */
    static final int EFD_CLOEXEC = O_CLOEXEC;
    static final int EFD_NONBLOCK = O_NONBLOCK;
    /** fcntl's duplicate-above-with-close-on-exec: linux/fcntl.h (F_LINUX_SPECIFIC_BASE + 6). */
    public static final int F_DUPFD_CLOEXEC = 1030;
    /** access(2)'s mode for "may write": glibc posix/unistd.h. */
    static final int W_OK = 2;
    /** glibc's struct dirent (bits/dirent.h): d_ino, d_off, d_reclen, d_type, then the name; DT_DIR from dirent.h. */
    static final int DIRENT_TYPE_OFFSET = 18;
    static final int DIRENT_NAME_OFFSET = 19;
    static final byte DT_DIR = 4;

    static int mkdir(Pointer path, int mode) {
        return CLibrary.function("mkdir").invokeInt(new Object[] {path, mode});
    }

    static int rmdir(Pointer path) {
        return CLibrary.function("rmdir").invokeInt(new Object[] {path});
    }

    static int poll(Pointer fds, long count, int timeoutMillis) {
        return CLibrary.function("poll").invokeInt(new Object[] {fds, count, timeoutMillis});
    }

    static int eventfd(int initial, int flags) {
        return CLibrary.function("eventfd").invokeInt(new Object[] {initial, flags});
    }

    static long getxattr(Pointer path, String name, byte[] value, long size) {
        return CLibrary.function("getxattr").invokeLong(new Object[] {path, name, value, size});
    }

    static Pointer opendir(Pointer path) {
        return CLibrary.function("opendir").invokePointer(new Object[] {path});
    }

    static Pointer readdir(Pointer directory) {
        return CLibrary.function("readdir").invokePointer(new Object[] {directory});
    }

    static int closedir(Pointer directory) {
        return CLibrary.function("closedir").invokeInt(new Object[] {directory});
    }

    // sock_diag over netlink: linux/netlink.h, linux/sock_diag.h, linux/inet_diag.h, bits/socket.h.
    static final int AF_INET = 2;
    /** netinet/tcp.h, the kernel's net/tcp_states.h. */
    static final int TCP_LISTEN = 10;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_SOCK_DIAG = 4;
    static final int IPPROTO_TCP = 6;
    static final short SOCK_DIAG_BY_FAMILY = 20;
    static final short NLM_F_REQUEST = 0x01;
    static final short NLM_F_DUMP = 0x300;
    static final short NLMSG_ERROR = 2;
    static final short NLMSG_DONE = 3;
    static final int NLMSGHDR_SIZE = 16;
    static final int INET_DIAG_REQ_V2_SIZE = 56;
    /** struct inet_diag_msg: the source port (big-endian) in its idiag_id, and the socket's inode. */
    static final int INET_DIAG_MSG_SIZE = 72;
    static final int INET_DIAG_MSG_SPORT_OFFSET = 4;
    static final int INET_DIAG_MSG_INODE_OFFSET = 68;

    static int socket(int domain, int type, int protocol) {
        return CLibrary.function("socket").invokeInt(new Object[] {domain, type, protocol});
    }
}
