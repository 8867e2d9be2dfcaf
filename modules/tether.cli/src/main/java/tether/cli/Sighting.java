package tether.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import tether.api.Census;
import tether.api.PathBytes;
import tether.api.Provenance;
import tether.api.RunningTether;
import tether.cli.ready.Condition;

/**
 * A running tether as {@code --list} and {@code --stop} see it: the OS's facts, and its arguments read with
 * this very parser, so that its watch, directory and log mean what they meant to it. Paths are absolute and
 * canonical, taken from the tether's own working directory.
 *
 * @param watch     the watched path, or {@code null} with {@code --no-watch}
 * @param directory COMMAND's working directory
 * @param log       the {@code --log} file of a detached tether, or {@code null}
 * @param ready     its {@code --ready} conditions, none without
 */
record Sighting(RunningTether process, byte[] watch, byte[] directory, List<byte[]> command, byte[] log,
        boolean detached, Duration grace, List<Condition> ready) {

    long pid() {
        return process.pid();
    }

    Instant started() {
        return process.started();
    }

    int processes() {
        return process.processes();
    }

    int[] ports() {
        return process.ports();
    }

    byte[] cgroup() {
        return process.cgroup();
    }

    long memory() {
        return process.memory();
    }

    /** The {@link Provenance} marker's value this tether gave COMMAND: its pid and where its tree belongs. */
    String marker() {
        return Provenance.value(pid(), watch == null ? directory : watch);
    }

    /**
     * The sighting of {@code tether}, or nothing for a tether that supervises no tree: one running
     * {@code --list}, {@code --stop} or {@code --help}, one whose command line is refused (it is about to
     * exit), or the short-lived first half of a {@code --detach}, which hands the tree to a second tether.
     */
    static Optional<Sighting> of(RunningTether tether, Census census) {
        List<byte[]> arguments = tether.arguments();
        CommandLineParser.Parsed parsed;
        try {
            parsed = CommandLineParser.parse(CommandLineParser.latin1(arguments), null);
        } catch (CommandLineParser.UsageException e) {
            return Optional.empty();
        }
        if (!(parsed instanceof CommandLineParser.Run run)) {
            return Optional.empty();
        }
        Settings settings = run.settings();
        boolean supervisesDetached = false;
        for (byte[] entry : tether.environment()) {
            supervisesDetached |= ChildEnvironment.name(entry).equals(Detach.REPORT_VARIABLE);
        }
        if (settings.detach() && !supervisesDetached) {
            return Optional.empty();
        }
        byte[] home = tether.directory();
        byte[] watch = settings.noWatch() ? null
                : settings.watch() == null ? home : census.canonical(PathBytes.resolve(home, settings.watch()));
        byte[] directory = settings.directory() == null ? home
                : census.canonical(PathBytes.resolve(home, settings.directory()));
        byte[] log = settings.log() == null ? null : census.canonical(PathBytes.resolve(home, settings.log()));
        return Optional.of(new Sighting(tether, watch, directory,
                arguments.subList(settings.commandStart(), arguments.size()), log, settings.detach(), settings.grace(),
                settings.ready() == null ? List.of() : settings.ready().conditions()));
    }

    /** Every tether that supervises a tree, in the order they started. */
    static List<Sighting> all(Census census) throws IOException {
        return all(census.tethers(), census);
    }

    /** Those of {@code running} that supervise a tree, in the order they started. */
    static List<Sighting> all(List<RunningTether> running, Census census) {
        List<Sighting> all = new ArrayList<>();
        for (RunningTether tether : running) {
            Optional<Sighting> sighting = of(tether, census);
            if (sighting.isPresent()) {
                all.add(sighting.get());
            }
        }
        all.sort(new Comparator<Sighting>() {
            @Override
            public int compare(Sighting a, Sighting b) {
                int byStart = a.started().compareTo(b.started());
                return byStart != 0 ? byStart : Long.compare(a.pid(), b.pid());
            }
        });
        return all;
    }

    /**
     * Whether this tether belongs to {@code path} (canonical): it watches {@code path} or a path inside it;
     * one that watches nothing belongs where its COMMAND runs.
     */
    boolean isWithin(byte[] path) {
        return PathBytes.isWithin(watch == null ? directory : watch, path);
    }
}
