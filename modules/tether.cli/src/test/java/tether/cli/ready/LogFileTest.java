package tether.cli.ready;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tether.api.NativePaths;
import tether.api.PathException;
import tether.api.PathWatch;

/** A detached tether's log as readiness reads it: this run's part only, COMMAND's lines only. */
class LogFileTest {

    @TempDir
    Path temp;

    /**
     * The provider's reading of a file, through java.nio, as strict as the Unix provider's: a regular file
     * only, the bytes from the offset and the size when read.
     */
    static final NativePaths FILES = new NativePaths() {
        @Override
        public Chunk read(byte[] path, long offset, int max) throws PathException {
            Path file = Path.of(new String(path, StandardCharsets.UTF_8));
            if (!Files.isRegularFile(file)) {
                throw new PathException(Files.exists(file) ? "not a regular file" : "No such file or directory");
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long size = in.length();
                byte[] bytes = new byte[(int) Math.max(0, Math.min(max, size - offset))];
                in.seek(offset);
                in.readFully(bytes);
                return new Chunk(size, bytes);
            } catch (IOException e) {
                throw new PathException(e.getMessage());
            }
        }

        @Override
        public byte[] workingDirectory() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PathWatch watch(byte[] path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkEnterableDirectory(byte[] path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] canonical(byte[] path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] nullDevice() {
            return "/dev/null".getBytes(StandardCharsets.US_ASCII);
        }
    };

    Path log;

    byte[] path() {
        return log.toString().getBytes(StandardCharsets.UTF_8);
    }

    void append(String text) throws IOException {
        Files.writeString(log, text, StandardOpenOption.APPEND);
    }

    @Test
    void onlyWhatThisRunAppendedAndOnlyCommandsLines() throws Exception {
        log = Files.writeString(temp.resolve("dev.log"), "serving from an earlier run\n");
        LogFile file = new LogFile(FILES, path(), LogFile.size(FILES, path()));
        append("tether: INFO: spawned sh -c 'echo serving' as pid 7\nstart");
        assertEquals(List.of(), file.newLines(), "tether's own line, and a line not yet ended");
        append("ing\nserving\n");
        assertEquals(List.of("starting", "serving"), file.newLines());
        assertEquals(List.of(), file.newLines());
    }

    @Test
    void aTruncatedLogIsReadFromItsStart() throws Exception {
        log = Files.writeString(temp.resolve("dev.log"), "old old old old\n");
        LogFile file = new LogFile(FILES, path(), LogFile.size(FILES, path()));
        Files.writeString(log, "new\n");
        assertEquals(List.of("new"), file.newLines());
    }

    @Test
    void theLastLinesOfThisRun() throws Exception {
        log = Files.writeString(temp.resolve("dev.log"), "earlier run\n");
        long offset = LogFile.size(FILES, path());
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 15; i++) {
            text.append("line ").append(i).append('\n');
            if (i == 14) {
                text.append("tether: WARN: a warning of tether's\n\n");
            }
        }
        append(text + "\u001b[31mError: Port 5173 is already in use\u001b[39m");
        assertEquals(List.of("line 7", "line 8", "line 9", "line 10", "line 11", "line 12", "line 13", "line 14",
                "line 15", "Error: Port 5173 is already in use"), LogFile.lastLines(FILES, path(), offset, 10));
        assertEquals(List.of(), LogFile.lastLines(FILES, path(), Files.size(log), 10));
    }

    @Test
    void lookingBackOneChunkDropsTheLineItBeganInside() throws Exception {
        log = Files.writeString(temp.resolve("dev.log"), "x".repeat(100_000) + "\nlast\n");
        assertEquals(List.of("last"), LogFile.lastLines(FILES, path(), 0, 10));
    }

    @Test
    void aMissingLogIsTheProvidersError() {
        log = temp.resolve("missing.log");
        assertEquals("No such file or directory",
                assertThrows(PathException.class, () -> LogFile.size(FILES, path())).getMessage());
    }
}
