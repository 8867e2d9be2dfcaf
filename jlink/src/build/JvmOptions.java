import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JVM options baked into the runtime image (jlink {@code --add-options}), per OS and CPU: the table
 * ImageBuilder reads for the platform it builds on, and JvmOptionsTest holds against the HotSpot source that
 * gives each option's valid range on every platform.
 *
 * <p>Why per platform: HotSpot refuses an out-of-range value and the image's JVM then cannot start at all
 * ({@code -XX:StackShadowPages=10} is below aarch64's minimum of 20), and an option it does not support
 * there makes it warn at every start. So an option whose range or support differs by OS or CPU, and every
 * option tuned by measurement, is baked only where it was measured, Linux x86_64 today (bench/memory.md);
 * elsewhere the image runs with the options below that are valid on every platform. An option added to any
 * row fails the test until its range is cited for every platform that row is used on.
 */
public final class JvmOptions {

    /** The platforms the table has a row for, as {@link #platform} names them. */
    static final List<String> PLATFORMS = List.of(
            "linux-x64", "linux-aarch64", "macos-x64", "macos-aarch64", "windows-x64", "windows-aarch64");

    /**
     * Valid on every platform, and needed on every one. JVM log output goes to stderr: by default it goes to
     * stdout, which is COMMAND's stdout. The small heap, C1 only and the serial collector suit a process that
     * spends its life waiting; a 32 MB heap and a few thousand classes need neither a 1 GB class space nor a
     * 240 MB code cache, and reserving them makes tether fail under an address-space limit that its work fits
     * in. A JVM crash must not leave a core file in the user's worktree. No attach listener: tether is no
     * program to run jcmd against, and with -Xrs HotSpot starts one eagerly (attachListener_posix.cpp,
     * init_at_startup), a thread and a socket in the temporary folder that outlives a halted tether.
     */
    private static final List<String> EVERY_PLATFORM = List.of(
            "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+DisplayVMOutputToStderr",
            "--enable-native-access=com.sun.jna",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-XX:-UsePerfData",
            "-XX:CompressedClassSpaceSize=64m", "-XX:ReservedCodeCacheSize=16m",
            "-XX:-CreateCoredumpOnCrash", "-XX:+DisableAttachMechanism");

    /**
     * On Unix the JVM leaves every signal to tether: the launcher blocks the ones tether acts on and one
     * thread takes them (see the launcher's block_signals). A crash report goes to /tmp, not to the working
     * directory, which is the user's worktree.
     */
    private static final List<String> UNIX = List.of("-Xrs", "-XX:ErrorFile=/tmp/tether-hs_err_pid%p.log");

    /**
     * On Windows -Xrs makes HotSpot register no console control handler (os_windows.cpp), so Ctrl-Break
     * never becomes a thread dump and a close never ends the JVM before tether's own handler, which tether
     * registers before it starts COMMAND (tether.windows' ConsoleEvents), has torn the tree down.
     */
    private static final List<String> WINDOWS = List.of("-Xrs");

    /**
     * What an idle tether keeps in memory, measured on Linux x86_64 in bench/memory.md. The AOT cache is
     * mapped at the address it was written for, so its read-only part stays clean pages of the file, shared
     * by every tether, instead of being copied and relocated (4 MB PSS each; HotSpot still relocates if that
     * address is taken). String and symbol tables start small and grow on demand (0.8 MB). Each Java thread
     * touches its whole stack shadow zone at start; 10 pages, the minimum HotSpot allows on x86_64 Linux, are
     * plenty for threads that never run deep (40 KB each), and the 256 KB stacks they leave room for are
     * refused on aarch64 Linux with 64 KB pages. The compiler's freed arenas go back to the OS within a second
     * of HotSpot releasing them, at 5 s (1.2 MB; glibc only). Without finalization there is no Finalizer
     * thread (48 KB of stack): nothing in the image needs it (JNA's one finalize() runs only if its Native
     * class is unloaded, which a boot-layer class never is). HotSpot's monitor deflation thread wakes every
     * 250 ms to see whether enough monitors are in use to deflate some: a tenth of an idle tether's CPU, for a
     * program that locks a handful; off, it wakes once a minute (GuaranteedAsyncDeflationInterval).
     */
    private static final List<String> MEASURED_ON_LINUX_X64 = List.of(
            "-Xss256k",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
            "-XX:StringTableSize=1024", "-XX:+UnlockExperimentalVMOptions", "-XX:SymbolTableSize=1024",
            "-XX:StackShadowPages=10", "-XX:TrimNativeHeapInterval=1000",
            "--finalization=disabled", "-XX:AsyncDeflationInterval=0");

    private static final Map<String, List<String>> TABLE = Map.of(
            "linux-x64", join(EVERY_PLATFORM, UNIX, MEASURED_ON_LINUX_X64),
            "linux-aarch64", join(EVERY_PLATFORM, UNIX),
            "macos-x64", join(EVERY_PLATFORM, UNIX),
            "macos-aarch64", join(EVERY_PLATFORM, UNIX),
            "windows-x64", join(EVERY_PLATFORM, WINDOWS),
            "windows-aarch64", join(EVERY_PLATFORM, WINDOWS));

    private JvmOptions() {}

    /** The options baked into an image for {@code platform}, one of {@link #PLATFORMS}. */
    static List<String> of(String platform) {
        List<String> options = TABLE.get(platform);
        if (options == null) {
            throw new IllegalArgumentException("no JVM options for " + platform + "; the table has " + PLATFORMS);
        }
        return options;
    }

    /** The table's name for the platform of a JDK whose {@code os.name} and {@code os.arch} are these. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String system = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macos"
                : os.startsWith("windows") ? "windows" : os;
        String cpu = switch (osArch) {
            case "amd64", "x86_64" -> "x64";
            default -> osArch;
        };
        return system + "-" + cpu;
    }

    @SafeVarargs
    private static List<String> join(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return List.copyOf(all);
    }
}
