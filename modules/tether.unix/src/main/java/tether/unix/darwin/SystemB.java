package tether.unix.darwin;

import com.sun.jna.Pointer;
import tether.unix.CLibrary;
import tether.unix.UnixPlatform;

/**
 * The libSystem functions and constants only macOS has, and the macOS values (arm64 and x86_64 alike) of
 * the constants that differ from Linux's, which the code reads through {@link UnixPlatform#DARWIN}; nothing
 * else.
 * Each value is cited by its header in xnu (apple-oss-distributions/xnu; apple/darwin-xnu for
 * bsd/sys/termios.h, bsd/sys/_types.h and bsd/sys/syslimits.h, which the former did not yield).
 */
public final class SystemB {

    private static final String ARCH = System.getProperty("os.arch", "");

    private SystemB() {}

    // Signal numbers: bsd/sys/signal.h.
    public static final int SIGSTOP = 17;
    public static final int SIGTSTP = 18;
    public static final int SIGCONT = 19;
    public static final int SIGCHLD = 20;
    public static final int SIGUSR1 = 30;
    public static final int SIGUSR2 = 31;
    /** bsd/sys/signal.h: __DARWIN_NSIG is 32, counting 0; there are no real-time signals. */
    public static final int HIGHEST_SIGNAL = 31;

    // sigprocmask: bsd/sys/signal.h.
    public static final int SIG_BLOCK = 1;
    public static final int SIG_SETMASK = 3;

    /** sizeof(sigset_t): a __uint32_t (bsd/sys/_types.h, bsd/sys/_types/_sigset_t.h). */
    public static final int SIGSET_SIZE = 4;
    /** sizeof(struct sigaction), the user's (bsd/sys/signal.h): a handler, a sigset_t and an int. */
    public static final int SIGACTION_SIZE = 16;
    /** sizeof(siginfo_t) in bsd/sys/signal.h, on LP64. */
    public static final int SIGINFO_SIZE = 104;
    /** Offsets of si_pid and si_status in siginfo_t (bsd/sys/signal.h). */
    public static final int SIGINFO_PID_OFFSET = 12;
    public static final int SIGINFO_STATUS_OFFSET = 20;

    /** bsd/sys/spawn.h; 0x80 there is POSIX_SPAWN_START_SUSPENDED. */
    public static final short POSIX_SPAWN_SETSID = 0x400;
    /**
     * posix_spawnattr_t and posix_spawn_file_actions_t are pointers that *_init allocates and *_destroy
     * frees (libsyscall/wrappers/spawn/spawn.h, posix_spawn.c).
     */
    public static final int SPAWNATTR_SIZE = 8;
    public static final int SPAWN_FILE_ACTIONS_SIZE = 8;
    /**
     * bsd/sys/spawn.h: only the descriptors the file actions name stay open in the child; macOS's stand-in
     * for addclosefrom_np, which it lacks.
     */
    public static final short POSIX_SPAWN_CLOEXEC_DEFAULT = 0x4000;

    // waitid: bsd/sys/wait.h.
    public static final int WSTOPPED = 0x08;
    public static final int WNOWAIT = 0x20;

    /** sizeof(struct termios) in bsd/sys/termios.h: four unsigned longs, NCCS 20, two speeds. */
    public static final int TERMIOS_SIZE = 72;

    // open: bsd/sys/fcntl.h.
    public static final int O_NONBLOCK = 0x4;
    public static final int O_APPEND = 0x8;
    public static final int O_CREAT = 0x200;
    public static final int O_NOCTTY = 0x20000;
    public static final int O_CLOEXEC = 0x1000000;

    /** PATH_MAX in bsd/sys/syslimits.h. */
    public static final int PATH_MAX = 1024;

    /**
     * ioctl's request for a terminal's size: {@code _IOR('t', 104, struct winsize)} in bsd/sys/ttycom.h, which
     * bsd/sys/ioccom.h makes IOC_OUT | sizeof(struct winsize) << 16 | 't' << 8 | 104.
     */
    public static final long TIOCGWINSZ = 0x40087468L;

    /**
     * sizeof(struct stat) with 64-bit inodes (__DARWIN_STRUCT_STAT64 in bsd/sys/stat.h), and offsets of its
     * st_dev (int32_t), st_mode (uint16_t) and st_ino (uint64_t).
     */
    static final int STAT_SIZE = 144;
    static final int STAT_DEV_OFFSET = 0;
    static final int STAT_MODE_OFFSET = 4;
    static final int STAT_INO_OFFSET = 8;

    // proc_listpids types and the proc_pidinfo flavor: bsd/sys/proc_info.h.
    static final int PROC_PGRP_ONLY = 2;
    static final int PROC_PPID_ONLY = 6;
    static final int PROC_PIDT_SHORTBSDINFO = 13;
    /** sizeof(struct proc_bsdshortinfo), and offsets of pbsi_ppid, pbsi_pgid and pbsi_status (bsd/sys/proc_info.h). */
    static final int PROC_BSDSHORTINFO_SIZE = 64;
    static final int PBSI_PPID_OFFSET = 4;
    static final int PBSI_PGID_OFFSET = 8;
    static final int PBSI_STATUS_OFFSET = 12;
    // p_stat values: bsd/sys/proc.h.
    static final int SSTOP = 4;
    static final int SZOMB = 5;
    /** Offsets of pbsi_uid and pbsi_ruid in struct proc_bsdshortinfo (bsd/sys/proc_info.h). */
    static final int PBSI_UID_OFFSET = 36;
    static final int PBSI_RUID_OFFSET = 44;

    // What a survey of every process reads: bsd/sys/proc_info.h.
    static final int PROC_ALL_PIDS = 1;
    static final int PROC_PIDTBSDINFO = 3;
    static final int PROC_PIDTASKINFO = 4;
    static final int PROC_PIDVNODEPATHINFO = 9;
    /**
     * sizeof(struct proc_bsdinfo), and the offsets of pbi_status, pbi_ppid, pbi_uid, pbi_ruid, pbi_pgid,
     * e_tdev (the controlling terminal, NODEV without one), e_tpgid (its foreground group) and
     * pbi_start_tvsec and _tvusec (uint64_t each).
     */
    static final int PROC_BSDINFO_SIZE = 136;
    static final int PBI_STATUS_OFFSET = 4;
    static final int PBI_PPID_OFFSET = 16;
    static final int PBI_UID_OFFSET = 20;
    static final int PBI_RUID_OFFSET = 28;
    static final int PBI_PGID_OFFSET = 100;
    static final int E_TDEV_OFFSET = 108;
    static final int E_TPGID_OFFSET = 112;
    static final int PBI_START_TVSEC_OFFSET = 120;
    static final int PBI_START_TVUSEC_OFFSET = 128;
    /** NODEV, (dev_t)(-1) in bsd/sys/param.h: e_tdev of a process without a controlling terminal. */
    static final int NODEV = -1;
    /** sizeof(struct proc_taskinfo) and the offset of pti_resident_size (uint64_t). */
    static final int PROC_TASKINFO_SIZE = 96;
    static final int PTI_RESIDENT_SIZE_OFFSET = 8;
    /**
     * sizeof(struct proc_vnodepathinfo): two struct vnode_info_path (a struct vnode_info of 152 bytes, whose
     * vinfo_stat starts with vst_dev and vst_mode, then vst_nlink; then vip_path[MAXPATHLEN]), the working
     * directory's first; the offsets of its vst_nlink (uint16_t) and vip_path.
     */
    static final int PROC_VNODEPATHINFO_SIZE = 2352;
    static final int PVI_CDIR_NLINK_OFFSET = 6;
    static final int PVI_CDIR_PATH_OFFSET = 152;

    /** Keeps {@code fd} open in the child of a POSIX_SPAWN_CLOEXEC_DEFAULT spawn (macOS 10.7 and later). */
    public static int posix_spawn_file_actions_addinherit_np(Pointer actions, int fd) {
        return CLibrary.function("posix_spawn_file_actions_addinherit_np").invokeInt(new Object[] {actions, fd});
    }

    /** No sigwaitinfo on macOS; returns an error number, errno untouched. */
    public static int sigwait(Pointer set, int[] signal) {
        return CLibrary.function("sigwait").invokeInt(new Object[] {set, signal});
    }

    static int stat(Pointer path, Pointer buffer) {
        return CLibrary.function(inode64Symbol("stat", ARCH)).invokeInt(new Object[] {path, buffer});
    }

    static int lstat(Pointer path, Pointer buffer) {
        return CLibrary.function(inode64Symbol("lstat", ARCH)).invokeInt(new Object[] {path, buffer});
    }

    /**
     * The symbol of a stat function that fills the 64-bit-inode struct stat on {@code arch} (the JDK's
     * os.arch): bsd/sys/cdefs.h gives x86_64 the suffix $INODE64, its plain symbols being the old layout
     * with 32-bit inodes, and arm64 none, having only the new layout.
     */
    static String inode64Symbol(String name, String arch) {
        return arch.equals("aarch64") ? name : name + "$INODE64";
    }

    /** The pids of one kind ({@code type}), as the bytes written to {@code buffer}; 0 on error (libproc.h). */
    static int proc_listpids(int type, int typeinfo, Pointer buffer, int bufferSize) {
        return CLibrary.function("proc_listpids").invokeInt(new Object[] {type, typeinfo, buffer, bufferSize});
    }

    /** The bytes of {@code flavor} copied to {@code buffer}; 0 with errno on error (libproc.h). */
    static int proc_pidinfo(int pid, int flavor, long arg, Pointer buffer, int bufferSize) {
        return CLibrary.function("proc_pidinfo").invokeInt(new Object[] {pid, flavor, arg, buffer, bufferSize});
    }

    // A process's descriptors and a socket's state, for --ready port: bsd/sys/proc_info.h.
    /** proc_pidinfo flavor: the descriptors, an array of struct proc_fdinfo. */
    static final int PROC_PIDLISTFDS = 1;
    /** sizeof(struct proc_fdinfo): int32_t proc_fd at 0, uint32_t proc_fdtype at 4. */
    static final int PROC_FDINFO_SIZE = 8;
    static final int PROC_FDINFO_TYPE_OFFSET = 4;
    static final int PROX_FDTYPE_SOCKET = 2;
    /** proc_pidfdinfo flavor: a struct socket_fdinfo. */
    static final int PROC_PIDFDSOCKETINFO = 3;
    /**
     * sizeof(struct socket_fdinfo): a struct proc_fileinfo (24 bytes) and a struct socket_info, whose soi_kind
     * is at 256 and whose union soi_proto, at 264, holds for SOCKINFO_TCP a struct tcp_sockinfo: an in_sockinfo
     * (insi_fport, then insi_lport at 268) and tcpsi_state at 344. The union's largest member, un_sockinfo (528
     * bytes), makes the size.
     */
    static final int SOCKET_FDINFO_SIZE = 792;
    static final int SOI_KIND_OFFSET = 256;
    static final int INSI_LPORT_OFFSET = 268;
    static final int TCPSI_STATE_OFFSET = 344;
    static final int SOCKINFO_TCP = 2;
    static final int TSI_S_LISTEN = 1;

    /** The bytes of {@code flavor} for descriptor {@code fd} of {@code pid}; 0 with errno on error (libproc.h). */
    static int proc_pidfdinfo(int pid, int fd, int flavor, Pointer buffer, int bufferSize) {
        return CLibrary.function("proc_pidfdinfo").invokeInt(new Object[] {pid, fd, flavor, buffer, bufferSize});
    }

    // sysctl(3): bsd/sys/sysctl.h.
    static final int CTL_KERN = 1;
    /** A process's argc, executable path, arguments and environment as exec left them. */
    static final int KERN_PROCARGS2 = 49;
    /** bsd/sys/proc_info.h: the buffer proc_pidpath needs. */
    static final int PROC_PIDPATHINFO_MAXSIZE = 4 * 1024;

    static int sysctl(int[] name, int nameLength, Pointer old, Pointer oldLength, Pointer replacement, long length) {
        return CLibrary.function("sysctl").invokeInt(new Object[] {name, nameLength, old, oldLength, replacement, length});
    }

    /** The path of {@code pid}'s executable, its length the return value; 0 with errno on error (libproc.h). */
    static int proc_pidpath(int pid, Pointer buffer, int bufferSize) {
        return CLibrary.function("proc_pidpath").invokeInt(new Object[] {pid, buffer, bufferSize});
    }
}
