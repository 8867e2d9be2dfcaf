package tether.windows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import tether.api.NativePaths;
import tether.api.PathException;
import tether.api.PathWatch;

/**
 * Paths through {@code java.nio}, which on Windows reaches the OS's UTF-16 names without a lossy
 * locale; the bytes tether hands over are its arguments in the provider's carrier, so they are decoded
 * with it. The watch is kernel32's (see {@link FileIdWatch}): {@code java.nio} gives a directory no file key
 * there, so it could not tell a replaced directory from the original.
 */
final class WindowsPaths implements NativePaths {

    /** The null device, opened as a file by name. */
    static final String NUL = "NUL";

    private final Charset charset;
    private final Kernel32 kernel32;

    WindowsPaths(Charset charset, Kernel32 kernel32) {
        this.charset = charset;
        this.kernel32 = kernel32;
    }

    @Override
    public byte[] workingDirectory() {
        return System.getProperty("user.dir").getBytes(charset);
    }

    @Override
    public PathWatch watch(byte[] path) throws PathException {
        return FileIdWatch.open(kernel32, path(path).toAbsolutePath().toString());
    }

    @Override
    public void checkEnterableDirectory(byte[] path) throws PathException {
        if (!attributes(path(path)).isDirectory()) {
            throw new PathException("Not a directory");
        }
    }

    /**
     * {@code toRealPath} follows links and junctions and gives the name the file system holds (its case); a
     * path that does not exist is made absolute and normalized only.
     */
    @Override
    public byte[] canonical(byte[] path) throws PathException {
        Path named = path(path).toAbsolutePath();
        try {
            return named.toRealPath().toString().getBytes(charset);
        } catch (IOException e) {
            return named.normalize().toString().getBytes(charset);
        }
    }

    @Override
    public byte[] nullDevice() {
        return NUL.getBytes(charset);
    }

    /**
     * java.nio opens a file sharing read, write and delete on Windows, so a log that COMMAND appends to, or
     * that is removed meanwhile, is read without standing in anyone's way.
     */
    @Override
    public Chunk read(byte[] path, long offset, int max) throws PathException {
        Path file = path(path);
        if (!attributes(file).isRegularFile()) {
            throw new PathException("not a regular file");
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.max(0, Math.min(max, size - offset)));
            channel.position(offset);
            while (bytes.hasRemaining() && channel.read(bytes) > 0) {
                // until the bytes asked for, or the end of a file truncated since its size was read
            }
            return new Chunk(size, Arrays.copyOf(bytes.array(), bytes.position()));
        } catch (IOException e) {
            throw new PathException(reason(e));
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
}
