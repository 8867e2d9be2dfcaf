package tether.cli;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tether.api.Census;
import tether.api.PathException;
import tether.api.ProcessSurvey;
import tether.api.ProcessTreeKiller;
import tether.api.RunningTether;

/**
 * {@code tether --list --all [--json] [PATH]}: everything still living in PATH (the current directory by
 * default), the tethers watching it or a path inside it as {@code --list} shows them, then the trees of
 * processes no tether holds ({@link Strays}).
 *
 * <p>Where the OS's tethers cannot be read yet (a provider without a census), no process counts as held: a
 * tether is listed, and ended by {@code --stop --all}, as the process it is, its tree with it.
 */
final class ListAllCommand {

    private ListAllCommand() {}

    /** What {@code --list --all} found: the tethers in PATH and the trees beside them. */
    record Found(List<Sighting> tethers, List<Strays.Group> groups, ProcessSurvey survey, Census census) {}

    /** The text to print: both tables, each fitted to {@code width} columns as {@code --list}'s is, or the JSON object. */
    static String run(ProcessTreeKiller killer, CommandLineParser.Listing listing, int width)
            throws IOException, PathException, InterruptedException {
        Found found = find(killer, listing.path() == null ? new byte[] {'.'} : listing.path());
        Map<Sighting, Boolean> ready = ReadyNow.of(found.tethers());
        if (listing.json()) {
            return StrayJson.of(found.tethers(), ready, found.groups(), found.survey());
        }
        byte[] current = killer.paths().workingDirectory();
        // Without a census the home directory is not looked up: paths are shortened from here only.
        ShortPaths paths = found.census() == null ? new ShortPaths(current, null)
                : ListCommand.shortPaths(killer, found.census(), current);
        Instant now = Instant.now();
        List<String> tethers = TetherTable.lines(found.tethers(), ready, paths, now, width);
        List<String> strays = StrayTable.lines(found.groups(), found.survey(), paths, now, width);
        StringBuilder text = new StringBuilder();
        for (String line : tethers) {
            text.append(line).append('\n');
        }
        text.append(tethers.isEmpty() || strays.isEmpty() ? "" : "\n");
        for (String line : strays) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** The tethers in {@code path} and the trees of everything else that lives there. */
    static Found find(ProcessTreeKiller killer, byte[] path) throws IOException, PathException {
        ProcessSurvey survey = killer.survey();
        byte[] canonical = killer.paths().canonical(path);
        Census census = censusOf(killer);
        List<Sighting> tethers = List.of();
        Strays.Held held = Strays.Held.NONE;
        if (census != null) {
            List<RunningTether> running = census.tethers();
            held = Strays.Held.of(running);
            tethers = ListCommand.within(Sighting.all(running, census), canonical);
        }
        List<Strays.Group> groups = Strays.find(survey, survey.residents(), held, ProcessHandle.current().pid(),
                canonical);
        return new Found(tethers, groups, survey, census);
    }

    /** The OS's census of tethers, or {@code null} where this provider has none yet. */
    static Census censusOf(ProcessTreeKiller killer) {
        try {
            return killer.census();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
