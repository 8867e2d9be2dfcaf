package tether.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tether.api.NativePaths;
import tether.api.PathException;

/** Reading a log through java.nio, as {@code --ready output:} with {@code --detach} follows it; runs on every OS. */
class WindowsPathsTest {

    @TempDir
    Path temp;

    final WindowsPaths paths = new WindowsPaths(StandardCharsets.UTF_8, new FakeKernel32());

    byte[] name(Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bytesFromAnOffsetAndTheSize() throws Exception {
        Path log = Files.writeString(temp.resolve("dev.log"), "earlier\nnow serving\n");
        NativePaths.Chunk all = paths.read(name(log), 0, 1000);
        assertEquals(20, all.size());
        assertArrayEquals("earlier\nnow serving\n".getBytes(StandardCharsets.UTF_8), all.bytes());
        assertArrayEquals("now".getBytes(StandardCharsets.UTF_8), paths.read(name(log), 8, 3).bytes());
        assertEquals(0, paths.read(name(log), 50, 1000).bytes().length, "an offset past a truncated end");
    }

    @Test
    void onlyARegularFile() {
        assertEquals("not a regular file",
                assertThrows(PathException.class, () -> paths.read(name(temp), 0, 10)).getMessage());
        assertEquals("No such file or directory",
                assertThrows(PathException.class, () -> paths.read(name(temp.resolve("missing")), 0, 10)).getMessage());
    }
}
