package tether.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.IntConsumer;

/**
 * A platform's way to start a command as an isolated tree (a process group on Unix, a process tree on
 * Windows) and to tear that tree down.
 *
 * <p>Providers are found with {@link ServiceLoader}. Constructing one and asking {@link #isSupported()}
 * must not load native code: every provider in the runtime image is instantiated on every platform,
 * and only the chosen one may touch its natives, on {@link #spawn}.
 */
public interface ProcessTreeKiller {

    /** The environment variable that names a detached tether's report channel (see {@link #startDetached}). */
    String REPORT_VARIABLE = "TETHER_DETACHED_REPORT_FD";

    /** A short name for diagnostics, such as {@code unix}. */
    String name();

    /** Among supported providers the highest priority wins. */
    int priority();

    /** Whether this provider works on the running OS, decided from system properties only. */
    boolean isSupported();

    /**
     * Starts {@code request}'s command as the root of a new tree. From this call on, the provider receives
     * tether's own signals: those that ask tether to end are handed to {@code stopRequested} with their
     * number (on a provider's thread, possibly before this returns), the rest it handles itself (passed
     * on to the command, or used to follow the tree).
     *
     * @throws SpawnException when the command cannot be started; nothing is left running then
     */
    ProcessTree spawn(SpawnRequest request, IntConsumer stopRequested) throws SpawnException;

    /** The OS's own view of paths; no native code is loaded before this is called. */
    NativePaths paths();

    /**
     * tether's own arguments, environment and program as the OS holds them, read before the command line is
     * parsed (on Linux from {@code /proc/self}, without native code; on macOS and Windows through it).
     */
    OwnProcess ownProcess();

    /**
     * Starts a second tether with {@code arguments}, the way this one was started (the image's launcher),
     * detached from the caller: outside its session or console, stdin from the null device, stdout and
     * stderr appended to {@code log} (opened here, without blocking, so that a log tether cannot open is
     * this call's failure), and a report channel, the write end of a pipe, that the provider names in
     * {@link #REPORT_VARIABLE}, added to {@code environment} (on Unix descriptor 3, on Windows an inherited
     * handle's value); {@link OwnProcess#reportChannel} opens it on the other side. Returns the first line
     * written there, or {@code null} if the process ended without writing one.
     *
     * @throws SpawnException when it cannot be started; a platform without detaching says so
     */
    default String startDetached(List<byte[]> arguments, List<byte[]> environment, byte[] log) throws SpawnException {
        throw new SpawnException(SpawnException.Reason.FAILED, "--detach is not supported by the " + name()
                + " provider");
    }

    /**
     * The tethers running on this machine, for {@code --list} and {@code --stop}.
     *
     * @throws UnsupportedOperationException where this provider cannot yet read another process's
     *                                       arguments and sockets; the message says so in one line
     */
    default Census census() {
        throw new UnsupportedOperationException("--list and --stop are not supported on "
                + System.getProperty("os.name") + " yet");
    }

    /**
     * Whether {@link ProcessTree#listeningPorts} works here, for {@code --ready port}: asked before anything
     * starts, so that a platform that cannot read another process's sockets is refused up front.
     */
    default boolean readsListeningPorts() {
        return false;
    }

    /**
     * Every process the OS shows, for {@code --all}.
     *
     * @throws UnsupportedOperationException where this provider cannot read other processes' working
     *                                       directories; the message says so in one line
     */
    default ProcessSurvey survey() {
        throw new UnsupportedOperationException("--all is not supported on " + System.getProperty("os.name") + " yet");
    }

    /** The supported provider with the highest priority among those the module layer offers. */
    static Optional<ProcessTreeKiller> forThisPlatform() {
        List<ProcessTreeKiller> candidates = new ArrayList<>();
        for (ProcessTreeKiller candidate : ServiceLoader.load(ProcessTreeKiller.class)) {
            candidates.add(candidate);
        }
        return choose(candidates);
    }

    /** The supported provider with the highest priority; ties go to the earlier one. */
    static Optional<ProcessTreeKiller> choose(List<ProcessTreeKiller> candidates) {
        ProcessTreeKiller best = null;
        for (ProcessTreeKiller candidate : candidates) {
            if (candidate.isSupported() && (best == null || candidate.priority() > best.priority())) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }
}
