package tether.windows;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import tether.api.NativePaths;
import tether.api.PathException;
import tether.api.PathWatch;

/**
 * Paths through {@code java.nio}, which on Windows reaches the OS's UTF-16 names without a lossy
 * locale. The bytes tether hands over are its arguments in the JVM's charset, so they are decoded with it.
 * Nothing is held open: an open directory cannot be deleted on Windows, and {@code git worktree remove}
 * would fail. So a replacement is detected only where the file system gives a file key.
 */
final class WindowsPaths implements NativePaths {

    private final Charset charset;

    WindowsPaths(Charset charset) {
        this.charset = charset;
    }

    @Override
    public byte[] workingDirectory() {
        return System.getProperty("user.dir").getBytes(charset);
    }

    @Override
    public PathWatch watch(byte[] path) throws PathException {
        Path absolute = path(path).toAbsolutePath();
        return new KeyedWatch(absolute, attributes(absolute).fileKey());
    }

    @Override
    public void checkEnterableDirectory(byte[] path) throws PathException {
        if (!attributes(path(path)).isDirectory()) {
            throw new PathException("Not a directory");
        }
    }

    private Path path(byte[] bytes) throws PathException {
        try {
            return Path.of(new String(bytes, charset));
        } catch (InvalidPathException e) {
            throw new PathException(e.getReason());
        }
    }

    private static BasicFileAttributes attributes(Path path) throws PathException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new PathException(reason(e));
        }
    }

    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    private static final class KeyedWatch implements PathWatch {
        private final Path path;
        private final Object fileKey;
        private String lastError = "";

        KeyedWatch(Path path, Object fileKey) {
            this.path = path;
            this.fileKey = fileKey;
        }

        @Override
        public State check() {
            try {
                Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
                return fileKey != null && !Objects.equals(fileKey, now) ? State.GONE : State.PRESENT;
            } catch (NoSuchFileException e) {
                return State.GONE;
            } catch (IOException e) {
                lastError = reason(e);
                return State.UNKNOWN;
            }
        }

        @Override
        public String lastError() {
            return lastError;
        }
    }
}
