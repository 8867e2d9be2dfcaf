package tether.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tether.api.Census;
import tether.api.PathBytes;
import tether.api.PathException;
import tether.api.ProcessTreeKiller;

/** {@code tether --list [--json] [PATH]}: what runs where, read from the process table. */
final class ListCommand {

    private ListCommand() {}

    /** The text to print: the table's lines, or the JSON array; nothing for no tethers without --json. */
    static String run(ProcessTreeKiller killer, CommandLineParser.Listing listing)
            throws IOException, PathException, InterruptedException {
        long start = System.nanoTime();
        Census census = killer.census();
        List<Sighting> tethers = Sighting.all(census);
        if (Log.enabled(LogLevel.DEBUG)) {
            Log.debug("found {} tether(s) in {} us", tethers.size(), (System.nanoTime() - start) / 1000);
        }
        byte[] current = killer.paths().workingDirectory();
        if (listing.path() != null) {
            byte[] path = census.canonical(PathBytes.resolve(current, listing.path()));
            tethers = within(tethers, path);
        }
        Map<Sighting, Boolean> ready = ReadyNow.of(tethers);
        if (listing.json()) {
            return TetherJson.of(tethers, ready);
        }
        List<String> lines = TetherTable.lines(tethers, ready, shortPaths(killer, census, current), Instant.now());
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /** The tethers that belong to {@code path} (canonical), as {@link Sighting#isWithin} decides. */
    static List<Sighting> within(List<Sighting> tethers, byte[] path) {
        List<Sighting> within = new ArrayList<>();
        for (Sighting tether : tethers) {
            if (tether.isWithin(path)) {
                within.add(tether);
            }
        }
        return within;
    }

    /** Paths shown from the current directory and from HOME, as the calling shell would see them. */
    static ShortPaths shortPaths(ProcessTreeKiller killer, Census census, byte[] current) {
        byte[] home = null;
        for (byte[] entry : killer.ownProcess().environment()) {
            String text = new String(entry, StandardCharsets.ISO_8859_1);
            if (text.startsWith("HOME=/")) {
                home = census.canonical(Arrays.copyOfRange(entry, "HOME=".length(), entry.length));
            }
        }
        return new ShortPaths(current, home);
    }
}
