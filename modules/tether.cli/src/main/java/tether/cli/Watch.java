package tether.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Whether the watched path is gone: removed, or replaced by another file at the same path.
 *
 * <p>Polled, not watched with inotify or kqueue: a poll is portable, cannot miss a removal that happens
 * while a watch is being armed, and registers nothing that could itself leak. Replacement is decided
 * from the file key (device and inode), because both {@code git worktree remove} followed by a new
 * worktree at the same path and a removal that renames the tree away and leaves an empty placeholder
 * keep the path alive. Any other error reading the path (permission, I/O) is not a removal.
 *
 * <p>A file key is only proof of replacement while the old inode cannot be reused for the new file
 * (filesystems hand a freed inode number to the next file created), so a watched directory or regular
 * file is kept open for tether's lifetime; the default watch, the working directory, is held by the
 * process anyway. Not on Windows, where an open file or directory cannot be deleted.
 */
final class Watch {

    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private final Path path;
    private final Object fileKey;
    private final Closeable pin;
    private boolean reportedError;

    private Watch(Path path, Object fileKey, Closeable pin) {
        this.path = path;
        this.fileKey = fileKey;
        this.pin = pin;
    }

    /** Starts watching {@code path}, which must exist now. */
    static Watch of(Path path) throws IOException {
        BasicFileAttributes attributes = attributes(path);
        return new Watch(path, attributes.fileKey(), WINDOWS ? null : pin(path, attributes));
    }

    /** Holds the inode; a FIFO or device is not opened, since opening one can block or have effects. */
    private static Closeable pin(Path path, BasicFileAttributes attributes) {
        try {
            if (attributes.isDirectory()) {
                return Files.newDirectoryStream(path);
            }
            return attributes.isRegularFile() ? FileChannel.open(path, StandardOpenOption.READ) : null;
        } catch (IOException e) {
            return null; // unreadable: the watch still works, only without the pin
        }
    }

    Path path() {
        return path;
    }

    boolean gone() {
        try {
            Object now = attributes(path).fileKey();
            return fileKey != null && !Objects.equals(fileKey, now);
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            if (!reportedError) {
                reportedError = true;
                Log.debug("cannot check {} ({}); not a removal, still watching", path, e.getMessage());
            }
            return false;
        }
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
}
