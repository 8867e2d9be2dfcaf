package tether.unix;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import tether.api.Census;
import tether.api.NativePaths;
import tether.api.ProcessSurvey;
import tether.api.ProcessTree;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;
import tether.api.SpawnRequest;
import tether.api.Supervision;
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
    public ProcessTree spawn(SpawnRequest request, Supervision supervision) throws SpawnException {
        Natives.configure();
        OwnSignals signals = OwnSignals.start(new StopRequests(supervision));
        try {
            return GroupSpawner.spawn(request, signals, supervision);
        } catch (SpawnException e) {
            signals.stop();
            throw e;
        }
    }

    /** The signals that ask tether to end, for the supervision. */
    private record StopRequests(Supervision supervision) implements IntConsumer {
        @Override
        public void accept(int signal) {
            supervision.stopRequested(signal);
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

    /**
     * The launcher blocked tether's signals before the JVM started, so until something takes them a Ctrl-C
     * or a hook runner's SIGTERM would wait, unseen, while this tether waits for the report: taken, the first
     * one that asks tether to end cancels the start.
     */
    @Override
    public String startDetached(List<byte[]> arguments, List<byte[]> environment, byte[] log,
            IntConsumer stopRequested) throws SpawnException {
        Natives.configure();
        List<byte[]> command = new ArrayList<>();
        command.add(ownProcess().launcher());
        command.addAll(arguments);
        FirstStop stop = new FirstStop();
        OwnSignals signals = OwnSignals.start(stop);
        try {
            String report = GroupSpawner.startDetached(command, environment, log, stop);
            // A signal that came with or after the report found the start done: it ended nothing.
            if (report == null && stop.signal != 0) {
                stopRequested.accept(stop.signal);
            }
            return report;
        } finally {
            signals.stop();
        }
    }

    /** The first signal that asked tether to end, 0 before one. */
    private static final class FirstStop implements IntConsumer, IntSupplier {
        private volatile int signal;

        @Override
        public void accept(int number) {
            if (signal == 0) {
                signal = number;
            }
        }

        @Override
        public int getAsInt() {
            return signal;
        }
    }
}
