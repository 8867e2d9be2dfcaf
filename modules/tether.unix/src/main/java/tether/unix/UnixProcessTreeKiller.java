package tether.unix;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import tether.api.Census;
import tether.api.NativePaths;
import tether.api.ProcessSurvey;
import tether.api.ProcessTree;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;
import tether.api.SpawnRequest;
import tether.unix.darwin.DarwinOwnProcess;
import tether.unix.darwin.DarwinSurvey;
import tether.unix.linux.LinuxCensus;
import tether.unix.linux.LinuxSurvey;
import tether.unix.linux.ProcSelf;

/**
 * Process groups and {@code killpg}, on Linux (the members of a group read from {@code /proc}) and macOS
 * (listed by libproc). What differs between the two is chosen once, through {@link UnixPlatform}.
 */
public final class UnixProcessTreeKiller implements ProcessTreeKiller {

    @Override
    public String name() {
        return "unix";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isSupported() {
        return supports(System.getProperty("os.name", ""));
    }

    /** Whether a JVM whose {@code os.name} is {@code osName} runs on a system this provider serves. */
    static boolean supports(String osName) {
        return UnixPlatform.forOsName(osName).isPresent();
    }

    @Override
    public ProcessTree spawn(SpawnRequest request, IntConsumer stopRequested) throws SpawnException {
        Natives.configure();
        OwnSignals signals = OwnSignals.start(stopRequested);
        try {
            return GroupSpawner.spawn(request, signals);
        } catch (SpawnException e) {
            signals.stop();
            throw e;
        }
    }

    @Override
    public UnixOwnProcess ownProcess() {
        return switch (UnixPlatform.current().kernel()) {
            case LINUX -> new ProcSelf();
            case DARWIN -> new DarwinOwnProcess();
        };
    }

    @Override
    public NativePaths paths() {
        Natives.configure();
        return new UnixPaths();
    }

    /** macOS has the calls a census needs (KERN_PROCARGS2, proc_pidfdinfo) but tether does not make them yet. */
    @Override
    public Census census() {
        return switch (UnixPlatform.current().kernel()) {
            case LINUX -> {
                Natives.configure();
                yield new LinuxCensus();
            }
            case DARWIN -> throw new UnsupportedOperationException("--list and --stop are not supported on macOS yet");
        };
    }

    /** Linux reads them from {@code /proc} and sock_diag, macOS from libproc. */
    @Override
    public boolean readsListeningPorts() {
        return true;
    }

    /**
     * Linux reads other processes' working directories and environments from {@code /proc}; macOS through
     * libproc and {@code KERN_PROCARGS2}.
     */
    @Override
    public ProcessSurvey survey() {
        Natives.configure();
        return switch (UnixPlatform.current().kernel()) {
            case LINUX -> new LinuxSurvey();
            case DARWIN -> new DarwinSurvey(DarwinSurvey.SYSTEM);
        };
    }

    @Override
    public String startDetached(List<byte[]> arguments, List<byte[]> environment, byte[] log) throws SpawnException {
        Natives.configure();
        List<byte[]> command = new ArrayList<>();
        command.add(ownProcess().launcher());
        command.addAll(arguments);
        return GroupSpawner.startDetached(command, environment, log);
    }
}
