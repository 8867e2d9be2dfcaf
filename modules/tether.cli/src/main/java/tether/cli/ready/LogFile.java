package tether.cli.ready;

import java.util.ArrayList;
import java.util.List;
import tether.api.NativePaths;
import tether.api.PathException;

/**
 * A detached tether's {@code --log} as readiness reads it: only what was appended since this run began (the
 * file keeps earlier runs' lines), and only COMMAND's lines. tether's own lines in it, its warnings and
 * {@code -v}'s messages, all begin with {@link #OWN_LINE} and are left out: {@code -v}'s
 * {@code spawned sh -c 'echo serving'} must not be taken for COMMAND's {@code serving}.
 */
public final class LogFile {

    /** How every line tether writes begins. */
    public static final String OWN_LINE = "tether: ";
    /** How much is read a time, following or looking back. */
    private static final int CHUNK = 64 * 1024;

    private final NativePaths paths;
    private final byte[] path;
    private final Lines lines = new Lines();
    private long offset;

    /** @param offset where this run's part begins: the file's size before COMMAND started */
    public LogFile(NativePaths paths, byte[] path, long offset) {
        this.paths = paths;
        this.path = path;
        this.offset = offset;
    }

    /** The file's size now, where a run that starts now begins. */
    public static long size(NativePaths paths, byte[] path) throws PathException {
        return paths.read(path, 0, 0).size();
    }

    /**
     * COMMAND's lines completed since the last call. A file shorter than what was read (truncated, or replaced
     * by a new one) is read again from its start.
     */
    public List<String> newLines() throws PathException {
        List<String> found = new ArrayList<>();
        while (true) {
            NativePaths.Chunk chunk = paths.read(path, offset, CHUNK);
            if (chunk.size() < offset) {
                offset = 0;
                continue;
            }
            offset += chunk.bytes().length;
            for (String line : lines.add(chunk.bytes(), chunk.bytes().length)) {
                if (!line.startsWith(OWN_LINE)) {
                    found.add(line);
                }
            }
            if (chunk.bytes().length < CHUNK) {
                return found;
            }
        }
    }

    /**
     * The last {@code count} of COMMAND's lines from {@code offset} on (an unfinished last line too), looking
     * back over at most one chunk: what to show when COMMAND ended before it was ready.
     */
    public static List<String> lastLines(NativePaths paths, byte[] path, long offset, int count) throws PathException {
        long size = paths.read(path, 0, 0).size();
        long from = Math.max(offset, size - CHUNK);
        byte[] bytes = paths.read(path, from, CHUNK).bytes();
        Lines lines = new Lines();
        List<String> all = new ArrayList<>(lines.add(bytes, bytes.length));
        all.addAll(lines.add(new byte[] {'\n'}, 1));
        if (from > offset && !all.isEmpty()) {
            all.removeFirst(); // begun in the middle
        }
        List<String> kept = new ArrayList<>();
        for (String line : all) {
            if (!line.isBlank() && !line.startsWith(OWN_LINE)) {
                kept.add(line);
            }
        }
        return kept.subList(Math.max(0, kept.size() - count), kept.size());
    }
}
