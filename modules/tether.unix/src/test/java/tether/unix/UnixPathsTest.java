package tether.unix;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tether.api.NativePaths;
import tether.api.PathException;
import tether.api.PathWatch;

/**
 * The watch and the path checks against a real file system, with paths as bytes, through the running
 * system's calls (statx and O_PATH on Linux, lstat on macOS).
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class UnixPathsTest {

    final UnixPaths paths = new UnixPaths();

    @TempDir
    Path temp;

    /** A watch of {@code path}, named by its bytes; {@code gone()} reads as the old class did. */
    record Watch(PathWatch watch) {
        static Watch of(Path path) throws PathException {
            return new Watch(new UnixPaths().watch(path.toString().getBytes(UTF_8)));
        }

        boolean gone() {
            return watch.check() == PathWatch.State.GONE;
        }
    }

    @Test
    void presentIsNotGone() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Watch watch = Watch.of(dir);
        assertFalse(watch.gone());
        Files.writeString(dir.resolve("touched"), "content changes are not a replacement");
        assertFalse(watch.gone());
    }

    @Test
    void removedIsGone() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Watch watch = Watch.of(dir);
        Files.delete(dir);
        assertTrue(watch.gone());
    }

    @Test
    void renamedAwayIsGoneAndAPlaceholderDoesNotHideIt() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Watch watch = Watch.of(dir);
        Files.move(dir, temp.resolve("trash"));
        assertTrue(watch.gone());
        Files.createDirectory(dir);
        assertTrue(watch.gone(), "an empty placeholder at the same path is a replacement");
    }

    @Test
    void recreatedAtTheSamePathIsGoneEvenIfTheInodeCouldBeReused() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Watch watch = Watch.of(dir);
        Files.delete(dir);
        Files.createDirectory(dir);
        assertTrue(watch.gone());
    }

    @Test
    void aFileRecreatedAtTheSamePathIsGone() throws Exception {
        Path file = Files.writeString(temp.resolve("lock"), "1");
        Watch watch = Watch.of(file);
        Files.delete(file);
        Files.writeString(file, "2");
        assertTrue(watch.gone());
    }

    @Test
    void aFileReplacedBySymlinkToItselfIsGone() throws Exception {
        Path file = Files.writeString(temp.resolve("f"), "x");
        Watch watch = Watch.of(file);
        Files.move(file, temp.resolve("g"));
        Files.createSymbolicLink(file, temp.resolve("g"));
        assertTrue(watch.gone(), "the watch does not follow links");
    }

    @Test
    void aParentReplacedByAFileMeansThePathIsGone() throws Exception {
        Path file = Files.writeString(temp.resolve("file"), "x");
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Path inside = Files.createDirectory(dir.resolve("sub"));
        Watch watch = Watch.of(inside);
        Files.delete(inside);
        Files.delete(dir);
        Files.move(file, dir);
        assertTrue(watch.gone(), "ENOTDIR: no such path any more");
    }

    @Test
    void errorsOtherThanNotFoundAreNotARemoval() throws Exception {
        Path real = Files.createDirectories(temp.resolve("real/wt"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), real.getParent());
        Watch watch = Watch.of(link.resolve("wt"));
        assertFalse(watch.gone());
        // The parent becomes a symbolic-link loop: reading link/wt now fails with ELOOP.
        Files.delete(link);
        Files.createSymbolicLink(link, link);
        assertEquals(PathWatch.State.UNKNOWN, watch.watch().check());
        assertEquals("Too many levels of symbolic links", watch.watch().lastError());
        assertFalse(watch.gone(), "still not gone when asked again");
    }

    @Test
    void aMissingPathCannotBeWatched() {
        PathException e = assertThrows(PathException.class, () -> Watch.of(temp.resolve("missing")));
        assertEquals("No such file or directory", e.getMessage());
    }

    /** A name that is not UTF-8 is watched by its bytes; a JVM in the C locale could not even name it. */
    @DisabledOnOs(value = OS.MAC, disabledReason = "APFS refuses a file name that is not valid UTF-8 (EILSEQ)")
    @Test
    void aNameThatIsNotUtf8IsWatchedByItsBytes() throws Exception {
        byte[] name = tether.api.PathBytes.resolve(temp.toString().getBytes(UTF_8), new byte[] {'c', 'a', 'f', (byte) 0xe9});
        run("mkdir", name);
        PathWatch watch = paths.watch(name);
        assertEquals(PathWatch.State.PRESENT, watch.check());
        run("rmdir", name);
        assertEquals(PathWatch.State.GONE, watch.check());
    }

    /** A FIFO is held without being opened for reading, which would block until a writer came. */
    @Test
    void aFifoIsWatchedWithoutBlocking() throws Exception {
        Path fifo = temp.resolve("fifo");
        run("mkfifo", fifo.toString().getBytes(UTF_8));
        Watch watch = Watch.of(fifo);
        assertFalse(watch.gone());
        Files.delete(fifo);
        assertTrue(watch.gone());
    }

    @Test
    void aRelativePathIsTakenFromTheWorkingDirectory() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Path dir = Files.createTempDirectory(here.resolve("target"), "relative");
        PathWatch watch = paths.watch(here.relativize(dir).toString().getBytes(UTF_8));
        assertEquals(PathWatch.State.PRESENT, watch.check());
        Files.delete(dir);
        assertEquals(PathWatch.State.GONE, watch.check());
    }

    @Test
    void theWorkingDirectoryIsAbsoluteBytes() throws Exception {
        assertArrayEquals(Path.of("").toAbsolutePath().toString().getBytes(UTF_8), paths.workingDirectory());
    }

    @Test
    void aDirectoryToRunInMustExistBeADirectoryAndBeEnterable() throws Exception {
        paths.checkEnterableDirectory(temp.toString().getBytes(UTF_8));
        assertEquals("No such file or directory", assertThrows(PathException.class,
                () -> paths.checkEnterableDirectory(temp.resolve("missing").toString().getBytes(UTF_8))).getMessage());
        Path file = Files.writeString(temp.resolve("file"), "x");
        assertEquals("Not a directory", assertThrows(PathException.class,
                () -> paths.checkEnterableDirectory(file.toString().getBytes(UTF_8))).getMessage());
        byte[] tooLong = ("/" + "x".repeat(5000)).getBytes(UTF_8);
        assertEquals("File name too long", assertThrows(PathException.class,
                () -> paths.checkEnterableDirectory(tooLong)).getMessage());
    }

    static void run(String command, byte[] path) throws Exception {
        // The test JVM may run in the C locale, so the name goes through a shell as an octal escape.
        StringBuilder octal = new StringBuilder();
        for (byte b : path) {
            octal.append(String.format("\\%03o", b & 0xff));
        }
        Process p = new ProcessBuilder("sh", "-c", command + " \"$(printf '" + octal + "')\"").inheritIO().start();
        assertEquals(0, p.waitFor(), command);
    }

    /** A log as {@code --ready output:} follows it: bytes from an offset, the size, and only a regular file. */
    @Test
    void readingAFileFromAnOffset() throws Exception {
        Path log = Files.writeString(temp.resolve("dev.log"), "earlier\nnow serving\n");
        byte[] name = log.toString().getBytes(UTF_8);
        NativePaths.Chunk all = paths.read(name, 0, 1000);
        assertEquals(20, all.size());
        assertArrayEquals("earlier\nnow serving\n".getBytes(UTF_8), all.bytes());
        assertArrayEquals("now".getBytes(UTF_8), paths.read(name, 8, 3).bytes());
        assertEquals(0, paths.read(name, 20, 1000).bytes().length, "nothing past the end");
        assertEquals(0, paths.read(name, 50, 1000).bytes().length, "an offset past a truncated end");
        assertEquals(20, paths.read(name, 0, 0).size());
    }

    @Test
    void onlyARegularFileIsRead() throws Exception {
        Path fifo = temp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals("not a regular file", assertThrows(PathException.class,
                () -> paths.read(fifo.toString().getBytes(UTF_8), 0, 10)).getMessage(), "a read would take its bytes");
        assertEquals("No such file or directory", assertThrows(PathException.class,
                () -> paths.read(temp.resolve("missing").toString().getBytes(UTF_8), 0, 10)).getMessage());
    }
}
