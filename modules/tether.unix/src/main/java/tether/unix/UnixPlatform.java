package tether.unix;

import java.util.Optional;
import tether.unix.darwin.SystemB;
import tether.unix.linux.LinuxLibc;

/**
 * Every constant, struct size and offset the provider uses whose value differs between Linux and macOS: the
 * one place the code reads them from, so that no OS-specific value is written into the logic. The values
 * themselves, with their headers, are in {@link LinuxLibc} and {@link SystemB}. Building these records
 * loads no native code: they hold compile-time constants only.
 *
 * @param kernel     which system, for the few calls that differ and not only in their values
 * @param library    the C library JNA loads: libc.so.6 by its soname, or libSystem
 * @param sigsetSize sizeof(sigset_t); likewise every {@code ...Size} is a sizeof and every {@code ...Offset}
 *                   an offsetof
 */
public record UnixPlatform(
        Kernel kernel,
        String library,
        int sigusr1,
        int sigusr2,
        int sigchld,
        int sigcont,
        int sigstop,
        int sigtstp,
        int highestSignal,
        int sigBlock,
        int sigSetmask,
        int sigsetSize,
        int sigactionSize,
        int siginfoSize,
        int siginfoPidOffset,
        int siginfoStatusOffset,
        short posixSpawnSetsid,
        int spawnattrSize,
        int spawnFileActionsSize,
        int wstopped,
        int wnowait,
        int termiosSize,
        int oNonblock,
        int oAppend,
        int oCreat,
        int oNoctty,
        int oCloexec,
        int oNofollow,
        int pathMax,
        long tiocgwinsz) {

    enum Kernel { LINUX, DARWIN }

    public static final UnixPlatform LINUX = new UnixPlatform(
            Kernel.LINUX,
            "c",
            LinuxLibc.SIGUSR1,
            LinuxLibc.SIGUSR2,
            LinuxLibc.SIGCHLD,
            LinuxLibc.SIGCONT,
            LinuxLibc.SIGSTOP,
            LinuxLibc.SIGTSTP,
            LinuxLibc.HIGHEST_SIGNAL,
            LinuxLibc.SIG_BLOCK,
            LinuxLibc.SIG_SETMASK,
            LinuxLibc.SIGSET_SIZE,
            LinuxLibc.SIGACTION_SIZE,
            LinuxLibc.SIGINFO_SIZE,
            LinuxLibc.SIGINFO_PID_OFFSET,
            LinuxLibc.SIGINFO_STATUS_OFFSET,
            LinuxLibc.POSIX_SPAWN_SETSID,
            LinuxLibc.SPAWNATTR_SIZE,
            LinuxLibc.SPAWN_FILE_ACTIONS_SIZE,
            LinuxLibc.WSTOPPED,
            LinuxLibc.WNOWAIT,
            LinuxLibc.TERMIOS_SIZE,
            LinuxLibc.O_NONBLOCK,
            LinuxLibc.O_APPEND,
            LinuxLibc.O_CREAT,
            LinuxLibc.O_NOCTTY,
            LinuxLibc.O_CLOEXEC,
            LinuxLibc.O_NOFOLLOW,
            LinuxLibc.PATH_MAX,
            LinuxLibc.TIOCGWINSZ);

    public static final UnixPlatform DARWIN = new UnixPlatform(
            Kernel.DARWIN,
            "System",
            SystemB.SIGUSR1,
            SystemB.SIGUSR2,
            SystemB.SIGCHLD,
            SystemB.SIGCONT,
            SystemB.SIGSTOP,
            SystemB.SIGTSTP,
            SystemB.HIGHEST_SIGNAL,
            SystemB.SIG_BLOCK,
            SystemB.SIG_SETMASK,
            SystemB.SIGSET_SIZE,
            SystemB.SIGACTION_SIZE,
            SystemB.SIGINFO_SIZE,
            SystemB.SIGINFO_PID_OFFSET,
            SystemB.SIGINFO_STATUS_OFFSET,
            SystemB.POSIX_SPAWN_SETSID,
            SystemB.SPAWNATTR_SIZE,
            SystemB.SPAWN_FILE_ACTIONS_SIZE,
            SystemB.WSTOPPED,
            SystemB.WNOWAIT,
            SystemB.TERMIOS_SIZE,
            SystemB.O_NONBLOCK,
            SystemB.O_APPEND,
            SystemB.O_CREAT,
            SystemB.O_NOCTTY,
            SystemB.O_CLOEXEC,
            SystemB.O_NOFOLLOW,
            SystemB.PATH_MAX,
            SystemB.TIOCGWINSZ);

    /** The platform of a JVM whose {@code os.name} is {@code osName}; empty for one the provider does not serve. */
    static Optional<UnixPlatform> forOsName(String osName) {
        return switch (osName) {
            case "Linux" -> Optional.of(LINUX);
            // The JDK says "Mac OS X" on every macOS release; "Darwin" is the kernel's own name.
            case "Mac OS X", "Darwin" -> Optional.of(DARWIN);
            default -> Optional.empty();
        };
    }

    /** The running system's platform, chosen once from {@code os.name}. */
    public static UnixPlatform current() {
        return Running.PLATFORM;
    }

    /** Holds the choice, made when the provider first needs it, never by {@code isSupported}. */
    private static final class Running {
        static final UnixPlatform PLATFORM = choose(System.getProperty("os.name", ""));

        private static UnixPlatform choose(String osName) {
            Optional<UnixPlatform> platform = forOsName(osName);
            if (platform.isEmpty()) {
                throw new IllegalStateException("not a Linux or macOS JVM: " + osName);
            }
            return platform.get();
        }
    }
}
