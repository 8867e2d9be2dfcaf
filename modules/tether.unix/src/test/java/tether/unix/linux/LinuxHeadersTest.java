package tether.unix.linux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import tether.unix.CLibrary;
import tether.unix.UnixPlatform;

/**
 * Every Linux constant, struct size and offset the provider uses, against this machine's own headers: a C
 * program built with {@code cc} prints each one (sizeof, offsetof, the macro), and each must equal the
 * value the code reads from {@link CLibrary}, {@link UnixPlatform#LINUX} or {@link LinuxLibc}. Skipped where
 * there is no C compiler.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "compiles against this machine's Linux and glibc headers")
class LinuxHeadersTest {

    static final UnixPlatform LINUX = UnixPlatform.LINUX;

    /** What the code uses, and the C expression that gives the header's value. */
    record Fact(String expression, long used) {}

    static Fact fact(String expression, long used) {
        return new Fact(expression, used);
    }

    static final List<Fact> FACTS = List.of(
            fact("SIGHUP", CLibrary.SIGHUP),
            fact("SIGINT", CLibrary.SIGINT),
            fact("SIGQUIT", CLibrary.SIGQUIT),
            fact("SIGKILL", CLibrary.SIGKILL),
            fact("SIGTERM", CLibrary.SIGTERM),
            fact("SIGTTIN", CLibrary.SIGTTIN),
            fact("SIGTTOU", CLibrary.SIGTTOU),
            fact("SIGUSR1", LINUX.sigusr1()),
            fact("SIGUSR2", LINUX.sigusr2()),
            fact("SIGCHLD", LINUX.sigchld()),
            fact("SIGCONT", LINUX.sigcont()),
            fact("SIGSTOP", LINUX.sigstop()),
            fact("SIGTSTP", LINUX.sigtstp()),
            fact("SIGRTMAX", LINUX.highestSignal()),
            fact("SIG_BLOCK", LINUX.sigBlock()),
            fact("SIG_SETMASK", LINUX.sigSetmask()),
            fact("(intptr_t) SIG_DFL", Pointer.nativeValue(CLibrary.SIG_DFL)),
            fact("(intptr_t) SIG_IGN", Pointer.nativeValue(CLibrary.SIG_IGN)),
            fact("sizeof(sigset_t)", LINUX.sigsetSize()),
            // Signal n is bit n - 1, counted from the first byte: the highest is bit 7 of byte 7.
            fact("({ sigset_t s; sigemptyset(&s); sigaddset(&s, SIGRTMAX); ((unsigned char *) &s)[(SIGRTMAX - 1) / 8]; })",
                    1 << ((LINUX.highestSignal() - 1) % 8)),
            fact("sizeof(struct sigaction)", LINUX.sigactionSize()),
            fact("offsetof(struct sigaction, sa_handler)", CLibrary.SIGACTION_HANDLER_OFFSET),
            fact("sizeof(siginfo_t)", LINUX.siginfoSize()),
            fact("offsetof(siginfo_t, si_code)", CLibrary.SIGINFO_CODE_OFFSET),
            fact("offsetof(siginfo_t, si_pid)", LINUX.siginfoPidOffset()),
            fact("offsetof(siginfo_t, si_status)", LINUX.siginfoStatusOffset()),
            fact("CLD_EXITED", CLibrary.CLD_EXITED),
            fact("CLD_KILLED", CLibrary.CLD_KILLED),
            fact("CLD_DUMPED", CLibrary.CLD_DUMPED),
            fact("CLD_STOPPED", CLibrary.CLD_STOPPED),

            fact("EPERM", CLibrary.EPERM),
            fact("ENOENT", CLibrary.ENOENT),
            fact("ESRCH", CLibrary.ESRCH),
            fact("EINTR", CLibrary.EINTR),
            fact("E2BIG", CLibrary.E2BIG),
            fact("ENOEXEC", CLibrary.ENOEXEC),
            fact("EACCES", CLibrary.EACCES),
            fact("ENOTDIR", CLibrary.ENOTDIR),
            fact("EISDIR", CLibrary.EISDIR),
            fact("ERANGE", CLibrary.ERANGE),
            fact("ECHILD", CLibrary.ECHILD),
            fact("ESTALE", LinuxFileStat.ESTALE),

            fact("POSIX_SPAWN_SETPGROUP", CLibrary.POSIX_SPAWN_SETPGROUP),
            fact("POSIX_SPAWN_SETSIGDEF", CLibrary.POSIX_SPAWN_SETSIGDEF),
            fact("POSIX_SPAWN_SETSIGMASK", CLibrary.POSIX_SPAWN_SETSIGMASK),
            fact("POSIX_SPAWN_SETSID", LINUX.posixSpawnSetsid()),
            fact("sizeof(posix_spawnattr_t)", LINUX.spawnattrSize()),
            fact("sizeof(posix_spawn_file_actions_t)", LINUX.spawnFileActionsSize()),

            fact("P_ALL", CLibrary.P_ALL),
            fact("P_PID", CLibrary.P_PID),
            fact("WNOHANG", CLibrary.WNOHANG),
            fact("WEXITED", CLibrary.WEXITED),
            fact("WSTOPPED", LINUX.wstopped()),
            fact("WNOWAIT", LINUX.wnowait()),

            fact("O_RDONLY", CLibrary.O_RDONLY),
            fact("O_WRONLY", CLibrary.O_WRONLY),
            fact("O_RDWR", CLibrary.O_RDWR),
            fact("O_NONBLOCK", LINUX.oNonblock()),
            fact("O_APPEND", LINUX.oAppend()),
            fact("O_CREAT", LINUX.oCreat()),
            fact("O_NOCTTY", LINUX.oNoctty()),
            fact("O_CLOEXEC", LINUX.oCloexec()),
            fact("O_PATH", LinuxLibc.O_PATH),
            fact("O_NOFOLLOW", LINUX.oNofollow()),
            fact("F_SETFD", CLibrary.F_SETFD),
            fact("F_GETFL", CLibrary.F_GETFL),
            fact("F_SETFL", CLibrary.F_SETFL),
            fact("FD_CLOEXEC", CLibrary.FD_CLOEXEC),
            fact("F_OK", CLibrary.F_OK),
            fact("O_ACCMODE", CLibrary.O_ACCMODE),
            fact("SEEK_END", CLibrary.SEEK_END),
            fact("X_OK", CLibrary.X_OK),
            fact("W_OK", LinuxLibc.W_OK),
            fact("F_DUPFD_CLOEXEC", LinuxLibc.F_DUPFD_CLOEXEC),
            fact("PATH_MAX", LINUX.pathMax()),
            fact("AT_FDCWD", LinuxLibc.AT_FDCWD),
            fact("AT_SYMLINK_NOFOLLOW", LinuxLibc.AT_SYMLINK_NOFOLLOW),
            fact("AT_EMPTY_PATH", LinuxLibc.AT_EMPTY_PATH),

            fact("sizeof(struct termios)", LINUX.termiosSize()),
            fact("TCSANOW", CLibrary.TCSANOW),
            fact("LOCK_EX", CLibrary.LOCK_EX),
            fact("LOCK_NB", CLibrary.LOCK_NB),
            fact("LOCK_UN", CLibrary.LOCK_UN),
            fact("sizeof(struct pollfd)", CLibrary.POLLFD_SIZE),
            fact("offsetof(struct pollfd, events)", Integer.BYTES),
            fact("offsetof(struct pollfd, revents)", Integer.BYTES + Short.BYTES),
            fact("POLLIN", CLibrary.POLLIN),
            fact("TIOCGWINSZ", LINUX.tiocgwinsz()),
            fact("sizeof(struct winsize)", CLibrary.WINSIZE_SIZE),
            fact("offsetof(struct winsize, ws_col)", CLibrary.WINSIZE_COL_OFFSET),

            fact("S_IFMT", CLibrary.S_IFMT),
            fact("S_IFDIR", CLibrary.S_IFDIR),
            fact("S_IFREG", CLibrary.S_IFREG),
            fact("S_IFLNK", CLibrary.S_IFLNK),
            fact("sizeof(struct statx)", LinuxLibc.STATX_SIZE),
            fact("STATX_TYPE", LinuxLibc.STATX_TYPE),
            fact("STATX_INO", LinuxLibc.STATX_INO),
            fact("STATX_NLINK", LinuxLibc.STATX_NLINK),
            fact("offsetof(struct statx, stx_nlink)", LinuxLibc.STATX_NLINK_OFFSET),
            fact("offsetof(struct statx, stx_mode)", LinuxLibc.STATX_MODE_OFFSET),
            fact("offsetof(struct statx, stx_ino)", LinuxLibc.STATX_INO_OFFSET),
            fact("offsetof(struct statx, stx_dev_major)", LinuxLibc.STATX_DEV_MAJOR_OFFSET),
            fact("offsetof(struct statx, stx_dev_minor)", LinuxLibc.STATX_DEV_MINOR_OFFSET),

            fact("PR_SET_CHILD_SUBREAPER", LinuxLibc.PR_SET_CHILD_SUBREAPER),
            fact("POLLIN", LinuxLibc.POLLIN),
            fact("POLLPRI", LinuxLibc.POLLPRI),
            fact("sizeof(struct pollfd)", LinuxLibc.POLLFD_SIZE),
            fact("offsetof(struct pollfd, events)", LinuxLibc.POLLFD_EVENTS_OFFSET),
            fact("EFD_CLOEXEC", LinuxLibc.EFD_CLOEXEC),
            fact("EFD_NONBLOCK", LinuxLibc.EFD_NONBLOCK),
            fact("offsetof(struct dirent, d_type)", LinuxLibc.DIRENT_TYPE_OFFSET),
            fact("offsetof(struct dirent, d_name)", LinuxLibc.DIRENT_NAME_OFFSET),
            fact("DT_DIR", LinuxLibc.DT_DIR),
            fact("_SC_CLK_TCK", LinuxLibc.SC_CLK_TCK),
            fact("_SC_PAGESIZE", LinuxLibc.SC_PAGESIZE),
            fact("TCP_LISTEN", LinuxLibc.TCP_LISTEN),
            fact("AF_INET", LinuxLibc.AF_INET),
            fact("AF_INET6", LinuxLibc.AF_INET6),
            fact("AF_NETLINK", LinuxLibc.AF_NETLINK),
            fact("SOCK_DGRAM", LinuxLibc.SOCK_DGRAM),
            fact("SOCK_CLOEXEC", LinuxLibc.SOCK_CLOEXEC),
            fact("NETLINK_SOCK_DIAG", LinuxLibc.NETLINK_SOCK_DIAG),
            fact("IPPROTO_TCP", LinuxLibc.IPPROTO_TCP),
            fact("SOCK_DIAG_BY_FAMILY", LinuxLibc.SOCK_DIAG_BY_FAMILY),
            fact("NLM_F_REQUEST", LinuxLibc.NLM_F_REQUEST),
            fact("NLM_F_DUMP", LinuxLibc.NLM_F_DUMP),
            fact("NLMSG_ERROR", LinuxLibc.NLMSG_ERROR),
            fact("NLMSG_DONE", LinuxLibc.NLMSG_DONE),
            fact("sizeof(struct nlmsghdr)", LinuxLibc.NLMSGHDR_SIZE),
            fact("sizeof(struct inet_diag_req_v2)", LinuxLibc.INET_DIAG_REQ_V2_SIZE),
            fact("sizeof(struct inet_diag_msg)", LinuxLibc.INET_DIAG_MSG_SIZE),
            fact("offsetof(struct inet_diag_msg, id.idiag_sport)", LinuxLibc.INET_DIAG_MSG_SPORT_OFFSET),
            fact("offsetof(struct inet_diag_msg, idiag_inode)", LinuxLibc.INET_DIAG_MSG_INODE_OFFSET),
            fact("offsetof(struct inet_diag_req_v2, idiag_states)", 4));

    /**
     * The values that differ between x86-64 and aarch64, each written down from the header of the
     * architecture this machine is not, so that both are held on either (the C program above checks the
     * running one's against its headers).
     */
    @Test
    void bothArchitecturesGetTheirOwnHeadersValues() {
        assertAll(
                () -> assertEquals(0400000, LinuxLibc.oNofollow("amd64"), "O_NOFOLLOW, asm-generic/fcntl.h"),
                () -> assertEquals(0100000, LinuxLibc.oNofollow("aarch64"),
                        "O_NOFOLLOW, arch/arm64/include/uapi/asm/fcntl.h"));
    }

    @TempDir
    Path temp;

    @Test
    void theCodeUsesTheHeadersValues() throws Exception {
        StringBuilder program = new StringBuilder("""
                #define _GNU_SOURCE
                #include <dirent.h>
                #include <errno.h>
                #include <fcntl.h>
                #include <limits.h>
                #include <poll.h>
                #include <linux/inet_diag.h>
                #include <linux/netlink.h>
                #include <linux/sock_diag.h>
                #include <netinet/in.h>
                #include <netinet/tcp.h>
                #include <poll.h>
                #include <sys/eventfd.h>
                #include <sys/socket.h>
                #include <signal.h>
                #include <spawn.h>
                #include <stddef.h>
                #include <stdint.h>
                #include <stdio.h>
                #include <sys/file.h>
                #include <sys/ioctl.h>
                #include <sys/prctl.h>
                #include <sys/stat.h>
                #include <sys/wait.h>
                #include <termios.h>
                #include <unistd.h>
                int main(void) {
                """);
        for (int i = 0; i < FACTS.size(); i++) {
            program.append("    printf(\"%d %lld\\n\", ").append(i).append(", (long long) (")
                    .append(FACTS.get(i).expression()).append("));\n");
        }
        program.append("    return 0;\n}\n");
        Path source = Files.writeString(temp.resolve("facts.c"), program);
        Path executable = temp.resolve("facts");
        assumeTrue(compiles(source, executable), "a C compiler (cc) to read the headers with");

        Process run = new ProcessBuilder(executable.toString()).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, run.waitFor(), output);
        Map<Integer, Long> printed = new HashMap<>();
        output.lines().map(line -> line.split(" "))
                .forEach(fields -> printed.put(Integer.parseInt(fields[0]), Long.parseLong(fields[1])));
        assertAll(java.util.stream.IntStream.range(0, FACTS.size()).mapToObj(i -> (Executable) () ->
                assertEquals(printed.get(i), FACTS.get(i).used(), FACTS.get(i).expression())));
    }

    private static boolean compiles(Path source, Path executable) throws Exception {
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-o", executable.toString(), source.toString()).inheritIO().start();
        } catch (java.io.IOException e) {
            return false;
        }
        if (!cc.waitFor(60, TimeUnit.SECONDS)) {
            cc.destroyForcibly();
            return false;
        }
        // A compiler that rejects the program means a header or a name the code relies on is not there.
        assertEquals(0, cc.exitValue(), "cc " + source);
        return true;
    }
}
