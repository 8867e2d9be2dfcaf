package tether.unix.darwin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tether.testkit.HeaderFact.fact;

import com.sun.jna.Pointer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tether.testkit.HeaderFact;
import tether.unix.CLibrary;
import tether.unix.UnixPlatform;

/**
 * Every macOS constant, struct size and offset the provider uses, against the value its header gives. macOS
 * cannot run here, so the header values are written down from xnu (apple-oss-distributions/xnu, or
 * apple/darwin-xnu where that one lacks the file) and libSystem's headers; arm64 and x86_64 share all of them.
 * The values common to Linux are read from {@link CLibrary}, the others from {@link UnixPlatform#DARWIN} and
 * {@link SystemB}.
 */
class DarwinHeadersTest {

    static final UnixPlatform MAC = UnixPlatform.DARWIN;

    static Stream<HeaderFact> facts() {
        String signal = "bsd/sys/signal.h";
        String errno = "bsd/sys/errno.h";
        String spawn = "bsd/sys/spawn.h";
        String fcntl = "bsd/sys/fcntl.h";
        String stat = "bsd/sys/stat.h";
        String wait = "bsd/sys/wait.h";
        String procInfo = "bsd/sys/proc_info.h";
        return Stream.of(
                fact("SIGHUP", CLibrary.SIGHUP, 1, signal),
                fact("SIGINT", CLibrary.SIGINT, 2, signal),
                fact("SIGQUIT", CLibrary.SIGQUIT, 3, signal),
                fact("SIGKILL", CLibrary.SIGKILL, 9, signal),
                fact("SIGTERM", CLibrary.SIGTERM, 15, signal),
                fact("SIGSTOP", MAC.sigstop(), 17, signal),
                fact("SIGTSTP", MAC.sigtstp(), 18, signal),
                fact("SIGCONT", MAC.sigcont(), 19, signal),
                fact("SIGCHLD", MAC.sigchld(), 20, signal),
                fact("SIGTTIN", CLibrary.SIGTTIN, 21, signal),
                fact("SIGTTOU", CLibrary.SIGTTOU, 22, signal),
                fact("SIGUSR1", MAC.sigusr1(), 30, signal),
                fact("SIGUSR2", MAC.sigusr2(), 31, signal),
                fact("highest signal, __DARWIN_NSIG - 1", MAC.highestSignal(), 32 - 1, signal),
                fact("SIG_BLOCK", MAC.sigBlock(), 1, signal),
                fact("SIG_SETMASK", MAC.sigSetmask(), 3, signal),
                fact("SIG_DFL", Pointer.nativeValue(CLibrary.SIG_DFL), 0, signal),
                fact("SIG_IGN", Pointer.nativeValue(CLibrary.SIG_IGN), 1, signal),
                fact("sizeof(sigset_t), a __uint32_t", MAC.sigsetSize(), 4, "bsd/sys/_types.h"),
                fact("sizeof(struct sigaction)", MAC.sigactionSize(), 16, signal),
                fact("offsetof(struct sigaction, __sigaction_u)", CLibrary.SIGACTION_HANDLER_OFFSET, 0, signal),
                fact("sizeof(siginfo_t)", MAC.siginfoSize(), 104, signal),
                fact("offsetof(siginfo_t, si_code)", CLibrary.SIGINFO_CODE_OFFSET, 8, signal),
                fact("offsetof(siginfo_t, si_pid)", MAC.siginfoPidOffset(), 12, signal),
                fact("offsetof(siginfo_t, si_status)", MAC.siginfoStatusOffset(), 20, signal),
                fact("CLD_EXITED", CLibrary.CLD_EXITED, 1, signal),
                fact("CLD_KILLED", CLibrary.CLD_KILLED, 2, signal),
                fact("CLD_DUMPED", CLibrary.CLD_DUMPED, 3, signal),
                fact("CLD_STOPPED", CLibrary.CLD_STOPPED, 5, signal),

                fact("EPERM", CLibrary.EPERM, 1, errno),
                fact("ENOENT", CLibrary.ENOENT, 2, errno),
                fact("ESRCH", CLibrary.ESRCH, 3, errno),
                fact("EINTR", CLibrary.EINTR, 4, errno),
                fact("E2BIG", CLibrary.E2BIG, 7, errno),
                fact("ENOEXEC", CLibrary.ENOEXEC, 8, errno),
                fact("EACCES", CLibrary.EACCES, 13, errno),
                fact("ENOTDIR", CLibrary.ENOTDIR, 20, errno),
                fact("EISDIR", CLibrary.EISDIR, 21, errno),
                fact("ERANGE", CLibrary.ERANGE, 34, errno),

                fact("POSIX_SPAWN_SETPGROUP", CLibrary.POSIX_SPAWN_SETPGROUP, 0x0002, spawn),
                fact("POSIX_SPAWN_SETSIGDEF", CLibrary.POSIX_SPAWN_SETSIGDEF, 0x0004, spawn),
                fact("POSIX_SPAWN_SETSIGMASK", CLibrary.POSIX_SPAWN_SETSIGMASK, 0x0008, spawn),
                fact("POSIX_SPAWN_SETSID", MAC.posixSpawnSetsid(), 0x0400, spawn),
                fact("POSIX_SPAWN_CLOEXEC_DEFAULT", SystemB.POSIX_SPAWN_CLOEXEC_DEFAULT, 0x4000, spawn),
                fact("sizeof(posix_spawnattr_t), a void *", MAC.spawnattrSize(), 8,
                        "libsyscall/wrappers/spawn/spawn.h"),
                fact("sizeof(posix_spawn_file_actions_t), a void *", MAC.spawnFileActionsSize(), 8,
                        "libsyscall/wrappers/spawn/spawn.h"),

                fact("P_PID", CLibrary.P_PID, 1, wait),
                fact("WNOHANG", CLibrary.WNOHANG, 0x01, wait),
                fact("WEXITED", CLibrary.WEXITED, 0x04, wait),
                fact("WSTOPPED", MAC.wstopped(), 0x08, wait),
                fact("WNOWAIT", MAC.wnowait(), 0x20, wait),

                fact("O_RDONLY", CLibrary.O_RDONLY, 0x0000, fcntl),
                fact("O_WRONLY", CLibrary.O_WRONLY, 0x0001, fcntl),
                fact("O_RDWR", CLibrary.O_RDWR, 0x0002, fcntl),
                fact("O_NONBLOCK", MAC.oNonblock(), 0x0004, fcntl),
                fact("O_APPEND", MAC.oAppend(), 0x0008, fcntl),
                fact("O_CREAT", MAC.oCreat(), 0x0200, fcntl),
                fact("O_NOCTTY", MAC.oNoctty(), 0x20000, fcntl),
                fact("O_CLOEXEC", MAC.oCloexec(), 0x01000000, fcntl),
                fact("F_SETFD", CLibrary.F_SETFD, 2, fcntl),
                fact("F_GETFL", CLibrary.F_GETFL, 3, fcntl),
                fact("F_SETFL", CLibrary.F_SETFL, 4, fcntl),
                fact("FD_CLOEXEC", CLibrary.FD_CLOEXEC, 1, fcntl),
                fact("O_ACCMODE", CLibrary.O_ACCMODE, 0x0003, fcntl),
                fact("SEEK_END", CLibrary.SEEK_END, 2, "bsd/sys/unistd.h"),
                fact("X_OK", CLibrary.X_OK, 1, "bsd/sys/unistd.h"),
                fact("PATH_MAX", MAC.pathMax(), 1024, "bsd/sys/syslimits.h"),

                fact("sizeof(struct termios)", MAC.termiosSize(), 72, "bsd/sys/termios.h"),
                fact("TCSANOW", CLibrary.TCSANOW, 0, "bsd/sys/termios.h"),
                fact("TIOCGWINSZ, _IOR('t', 104, struct winsize)", MAC.tiocgwinsz(), 0x40087468L, "bsd/sys/ttycom.h"),
                fact("sizeof(struct winsize)", CLibrary.WINSIZE_SIZE, 8, "bsd/sys/ttycom.h"),
                fact("offsetof(struct winsize, ws_col)", CLibrary.WINSIZE_COL_OFFSET, 2, "bsd/sys/ttycom.h"),

                fact("S_IFMT", CLibrary.S_IFMT, 0170000, stat),
                fact("S_IFDIR", CLibrary.S_IFDIR, 0040000, stat),
                fact("S_IFREG", CLibrary.S_IFREG, 0100000, stat),
                fact("sizeof(struct stat), 64-bit inodes", SystemB.STAT_SIZE, 144, stat),
                fact("offsetof(struct stat, st_dev)", SystemB.STAT_DEV_OFFSET, 0, stat),
                fact("offsetof(struct stat, st_mode)", SystemB.STAT_MODE_OFFSET, 4, stat),
                fact("offsetof(struct stat, st_ino)", SystemB.STAT_INO_OFFSET, 8, stat),

                fact("PROC_PGRP_ONLY", SystemB.PROC_PGRP_ONLY, 2, procInfo),
                fact("PROC_PIDPATHINFO_MAXSIZE (4*MAXPATHLEN)", SystemB.PROC_PIDPATHINFO_MAXSIZE, 4 * 1024, procInfo),
                fact("CTL_KERN", SystemB.CTL_KERN, 1, "bsd/sys/sysctl.h"),
                fact("KERN_PROCARGS2", SystemB.KERN_PROCARGS2, 49, "bsd/sys/sysctl.h"),
                fact("PROC_PPID_ONLY", SystemB.PROC_PPID_ONLY, 6, procInfo),
                fact("PROC_PIDT_SHORTBSDINFO", SystemB.PROC_PIDT_SHORTBSDINFO, 13, procInfo),
                fact("sizeof(struct proc_bsdshortinfo)", SystemB.PROC_BSDSHORTINFO_SIZE, 64, procInfo),
                fact("offsetof(struct proc_bsdshortinfo, pbsi_ppid)", SystemB.PBSI_PPID_OFFSET, 4, procInfo),
                fact("offsetof(struct proc_bsdshortinfo, pbsi_pgid)", SystemB.PBSI_PGID_OFFSET, 8, procInfo),
                fact("offsetof(struct proc_bsdshortinfo, pbsi_status)", SystemB.PBSI_STATUS_OFFSET, 12, procInfo),
                fact("offsetof(struct proc_bsdshortinfo, pbsi_uid)", SystemB.PBSI_UID_OFFSET, 36, procInfo),
                fact("offsetof(struct proc_bsdshortinfo, pbsi_ruid)", SystemB.PBSI_RUID_OFFSET, 44, procInfo),
                fact("PROC_PIDLISTFDS", SystemB.PROC_PIDLISTFDS, 1, procInfo),
                fact("sizeof(struct proc_fdinfo)", SystemB.PROC_FDINFO_SIZE, 8, procInfo),
                fact("offsetof(struct proc_fdinfo, proc_fdtype)", SystemB.PROC_FDINFO_TYPE_OFFSET, 4, procInfo),
                fact("PROX_FDTYPE_SOCKET", SystemB.PROX_FDTYPE_SOCKET, 2, procInfo),
                fact("PROC_PIDFDSOCKETINFO", SystemB.PROC_PIDFDSOCKETINFO, 3, procInfo),
                // struct socket_fdinfo: proc_fileinfo (24: two uint32_t, off_t, int32_t, uint32_t), then
                // socket_info: vinfo_stat (136), soi_so and soi_pcb (16), soi_type, soi_protocol, soi_family
                // (12), eight shorts (16), soi_oobmark (4), two sockbuf_info (24 each), soi_kind at 24 + 232 =
                // 256, rfu_1, the union at 264. tcp_sockinfo opens with in_sockinfo: insi_fport, insi_lport at
                // +4; in_sockinfo is 80 bytes (two 16-byte address unions at 32 and 48, insi_v4 and insi_v6 to
                // 80), so tcpsi_state is at 264 + 80. un_sockinfo (two uint64_t and two 255-byte address unions,
                // 528 aligned) is the union's largest member: 24 + 240 + 528 = 792.
                fact("sizeof(struct socket_fdinfo)", SystemB.SOCKET_FDINFO_SIZE, 792, procInfo),
                fact("offsetof(struct socket_fdinfo, psi.soi_kind)", SystemB.SOI_KIND_OFFSET, 256, procInfo),
                fact("offsetof(struct socket_fdinfo, psi.soi_proto.pri_tcp.tcpsi_ini.insi_lport)",
                        SystemB.INSI_LPORT_OFFSET, 268, procInfo),
                fact("offsetof(struct socket_fdinfo, psi.soi_proto.pri_tcp.tcpsi_state)", SystemB.TCPSI_STATE_OFFSET,
                        344, procInfo),
                fact("SOCKINFO_TCP", SystemB.SOCKINFO_TCP, 2, procInfo),
                fact("TSI_S_LISTEN", SystemB.TSI_S_LISTEN, 1, procInfo),
                fact("SSTOP", SystemB.SSTOP, 4, "bsd/sys/proc.h"),
                fact("SZOMB", SystemB.SZOMB, 5, "bsd/sys/proc.h"),

                fact("PROC_ALL_PIDS", SystemB.PROC_ALL_PIDS, 1, procInfo),
                fact("PROC_PIDTBSDINFO", SystemB.PROC_PIDTBSDINFO, 3, procInfo),
                fact("PROC_PIDTASKINFO", SystemB.PROC_PIDTASKINFO, 4, procInfo),
                fact("PROC_PIDVNODEPATHINFO", SystemB.PROC_PIDVNODEPATHINFO, 9, procInfo),
                fact("sizeof(struct proc_bsdinfo)", SystemB.PROC_BSDINFO_SIZE, 136, procInfo),
                fact("offsetof(struct proc_bsdinfo, pbi_status)", SystemB.PBI_STATUS_OFFSET, 4, procInfo),
                fact("offsetof(struct proc_bsdinfo, pbi_ppid)", SystemB.PBI_PPID_OFFSET, 16, procInfo),
                fact("offsetof(struct proc_bsdinfo, pbi_uid)", SystemB.PBI_UID_OFFSET, 20, procInfo),
                fact("offsetof(struct proc_bsdinfo, pbi_ruid)", SystemB.PBI_RUID_OFFSET, 28, procInfo),
                fact("offsetof(struct proc_bsdinfo, pbi_pgid), after pbi_comm[MAXCOMLEN 16] and pbi_name[32]",
                        SystemB.PBI_PGID_OFFSET, 100, procInfo),
                fact("offsetof(struct proc_bsdinfo, e_tdev)", SystemB.E_TDEV_OFFSET, 108, procInfo),
                fact("offsetof(struct proc_bsdinfo, e_tpgid)", SystemB.E_TPGID_OFFSET, 112, procInfo),
                fact("offsetof(struct proc_bsdinfo, pbi_start_tvsec)", SystemB.PBI_START_TVSEC_OFFSET, 120, procInfo),
                fact("offsetof(struct proc_bsdinfo, pbi_start_tvusec)", SystemB.PBI_START_TVUSEC_OFFSET, 128, procInfo),
                fact("NODEV, (dev_t)(-1)", SystemB.NODEV, -1, "bsd/sys/param.h"),
                fact("sizeof(struct proc_taskinfo)", SystemB.PROC_TASKINFO_SIZE, 96, procInfo),
                fact("offsetof(struct proc_taskinfo, pti_resident_size)", SystemB.PTI_RESIDENT_SIZE_OFFSET, 8, procInfo),
                fact("sizeof(struct proc_vnodepathinfo), two vnode_info_path of 152 + MAXPATHLEN bytes",
                        SystemB.PROC_VNODEPATHINFO_SIZE, 2 * (152 + 1024), procInfo),
                fact("offsetof(struct proc_vnodepathinfo, pvi_cdir.vip_vi.vi_stat.vst_nlink)",
                        SystemB.PVI_CDIR_NLINK_OFFSET, 6, procInfo),
                fact("offsetof(struct proc_vnodepathinfo, pvi_cdir.vip_path), after a struct vnode_info of 152",
                        SystemB.PVI_CDIR_PATH_OFFSET, 152, procInfo));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facts")
    void theCodeUsesTheHeadersValue(HeaderFact fact) {
        assertEquals(fact.header(), fact.used(), fact.toString());
    }
}
