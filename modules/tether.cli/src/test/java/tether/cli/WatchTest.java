package tether.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class WatchTest {

    @TempDir
    Path temp;

    @Test
    void presentIsNotGone() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Watch watch = Watch.of(dir);
        assertFalse(watch.gone());
        Files.writeString(dir.resolve("touched"), "content changes are not a replacement");
        assertFalse(watch.gone());
    }

    @Test
    void removedIsGone() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Watch watch = Watch.of(dir);
        Files.delete(dir);
        assertTrue(watch.gone());
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no file keys, symbolic links need privileges")
    void renamedAwayIsGoneAndAPlaceholderDoesNotHideIt() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Watch watch = Watch.of(dir);
        Files.move(dir, temp.resolve("trash"));
        assertTrue(watch.gone());
        Files.createDirectory(dir);
        assertTrue(watch.gone(), "an empty placeholder at the same path is a replacement");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no file keys, symbolic links need privileges")
    void recreatedAtTheSamePathIsGoneEvenIfTheInodeCouldBeReused() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Watch watch = Watch.of(dir);
        Files.delete(dir);
        Files.createDirectory(dir);
        assertTrue(watch.gone());
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no file keys, symbolic links need privileges")
    void aFileRecreatedAtTheSamePathIsGone() throws IOException {
        Path file = Files.writeString(temp.resolve("lock"), "1");
        Watch watch = Watch.of(file);
        Files.delete(file);
        Files.writeString(file, "2");
        assertTrue(watch.gone());
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no file keys, symbolic links need privileges")
    void aFileReplacedBySymlinkToItselfIsGone() throws IOException {
        Path file = Files.writeString(temp.resolve("f"), "x");
        Watch watch = Watch.of(file);
        Files.move(file, temp.resolve("g"));
        Files.createSymbolicLink(file, temp.resolve("g"));
        assertTrue(watch.gone(), "the watch does not follow links");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no file keys, symbolic links need privileges")
    void aParentReplacedByAFileMeansThePathIsGone() throws IOException {
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
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no file keys, symbolic links need privileges")
    void errorsOtherThanNotFoundAreNotARemoval() throws IOException {
        Path real = Files.createDirectories(temp.resolve("real/wt"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), real.getParent());
        Watch watch = Watch.of(link.resolve("wt"));
        assertFalse(watch.gone());
        // The parent becomes a symbolic-link loop: reading link/wt now fails with ELOOP.
        Files.delete(link);
        Files.createSymbolicLink(link, link);
        assertFalse(watch.gone());
        assertFalse(watch.gone(), "still not gone when asked again");
    }

    @Test
    void aMissingPathCannotBeWatched() {
        assertThrows(NoSuchFileException.class, () -> Watch.of(temp.resolve("missing")));
    }
}
