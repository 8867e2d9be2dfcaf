package tether.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 */
final class Watch {

    private final Path path;
    private final Object fileKey;
    private boolean reportedError;

    private Watch(Path path, Object fileKey) {
        this.path = path;
        this.fileKey = fileKey;
    }

    /** Starts watching {@code path}, which must exist now. */
    static Watch of(Path path) throws IOException {
        return new Watch(path, attributes(path).fileKey());
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
