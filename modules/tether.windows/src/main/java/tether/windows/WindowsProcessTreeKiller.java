package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.WString;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import tether.api.CgroupUse;
import tether.api.NativePaths;
import tether.api.ProcessSurvey;
import tether.api.ProcessTree;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;
import tether.api.SpawnRequest;
import tether.api.Supervision;

/**
 * {@code CreateProcessW} into a new Job Object, in a new console process group; torn down with Ctrl-Break
 * to the group and then TerminateJobObject, and ended by Windows with the job's handle if tether dies.
 */
public final class WindowsProcessTreeKiller implements ProcessTreeKiller {

    /**
     * The registered console handler, reachable for as long as the process runs: JNA frees a callback's
     * native entry point once its Java object is collected, and Windows may call it until the last moment.
     */
    private static volatile ConsoleEvents consoleEvents;

    private WindowsOwnProcess ownProcess;

    /**
     * The command leads a new console process group, so a Ctrl-C in the console reaches tether only and the
     * Ctrl-Break of a teardown reaches the command's group only.
     */
    static final int CREATION_FLAGS = Kernel32.CREATE_NEW_PROCESS_GROUP | Kernel32.CREATE_UNICODE_ENVIRONMENT;

    @Override
    public String name() {
        return "windows";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isSupported() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    /**
     * tether's console handler first (see {@link ConsoleEvents}), then COMMAND's program found by tether (see
     * {@link ProgramSearch}) and started in its job.
     */
    @Override
    public ProcessTree spawn(SpawnRequest request, Supervision supervision) throws SpawnException {
        if (request.cgroup() == CgroupUse.REQUIRED) {
            // The Job Object holds every tree here; a cgroup, which --cgroup asks for by name, is Linux's.
            throw new SpawnException(SpawnException.Reason.FAILED,
                    "cannot hold the tree in a cgroup: cgroups are Linux's; on Windows a Job Object holds every tree");
        }
        ConsoleEvents events = new ConsoleEvents(supervision::stopRequested);
        consoleEvents = events;
        return spawn(WindowsNatives.kernel32(), request, events, System.getProperty("user.dir"),
                System.getenv(EnvironmentBlock.SYSTEM_ROOT));
    }

    /**
     * @param ownDirectory tether's working directory, from which {@code -C} is taken
     * @param systemRoot   tether's own {@code SystemRoot}, for an environment that lacks one
     */
    static JobTree spawn(Kernel32 kernel32, SpawnRequest request, ConsoleEvents events, String ownDirectory,
            String systemRoot) throws SpawnException {
        events.register(kernel32);
        List<String> command = decoded(request.command());
        List<String> environment = decoded(request.environment());
        String directory = request.directory() == null ? ownDirectory
                : ProgramSearch.resolve(ownDirectory, new String(request.directory(), carrier()));
        Launch launch = Launch.of(kernel32, command, new ProgramSearch(kernel32).find(command.getFirst(), directory,
                environment));
        Memory block = Utf16.memory(EnvironmentBlock.of(environment, systemRoot));
        return new JobSpawner(kernel32).spawn(launch, block, new WString(directory), events::treeLetGo);
    }

    /**
     * The detached tether is started as this one was (see {@link WindowsOwnProcess#launcher}): by jpackage's
     * {@code tether.exe}, which is not in the runtime's {@code bin}, or by the runtime's {@code java.exe} with
     * the module. A start is not cancelled here yet: no handler of tether's is registered while it waits, so
     * a Ctrl-C ends this tether as Windows' default handler does, and the detached one goes on.
     */
    @Override
    public String startDetached(List<byte[]> arguments, List<byte[]> environment, byte[] log,
            IntConsumer stopRequested) throws SpawnException {
        List<String> words = new ArrayList<>(ownProcess().launcher());
        words.addAll(decoded(arguments));
        return new DetachedStart(WindowsNatives.kernel32()).start(words, decoded(environment),
                new String(log, carrier()));
    }

    /**
     * One view for the run: the CLI asks several times. jpackage's launchers set {@code jpackage.app-path}
     * to their own path; nothing else does.
     */
    @Override
    public synchronized WindowsOwnProcess ownProcess() {
        if (ownProcess == null) {
            ownProcess = new WindowsOwnProcess(WindowsNatives.kernel32(), WindowsNatives.shell32(), carrier(),
                    System.getProperty("jpackage.app-path") != null);
        }
        return ownProcess;
    }

    /** Other processes' working directories and environments, read from their PEBs (see {@link WindowsSurvey}). */
    @Override
    public ProcessSurvey survey() {
        return new WindowsSurvey(WindowsNatives.processes(), WindowsNatives.ntdll(), WindowsNatives.advapi32(),
                WindowsNatives.shell32(), WindowsNatives.kernel32(), carrier());
    }

    @Override
    public NativePaths paths() {
        return new WindowsPaths(carrier(), WindowsNatives.kernel32());
    }

    /** The SPI's bytes as the strings they carry. */
    private static List<String> decoded(List<byte[]> carried) {
        List<String> strings = new ArrayList<>(carried.size());
        for (byte[] bytes : carried) {
            strings.add(new String(bytes, carrier()));
        }
        return strings;
    }

    /**
     * How the provider carries Windows' UTF-16 strings as the bytes of the SPI, both ways: UTF-8, which
     * holds every string the JVM has, where the ANSI code page would turn a Cyrillic USERPROFILE into '?'.
     */
    static Charset carrier() {
        return StandardCharsets.UTF_8;
    }
}
