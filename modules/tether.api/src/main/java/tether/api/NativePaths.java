package tether.api;

/**
 * Paths as the OS names them. On Unix a file name is bytes: a JVM decodes it with the locale's charset, so
 * in the C locale (git hooks, cron, containers) {@code café} becomes {@code caf?} and a name that is not
 * valid UTF-8 cannot be named at all. Everything tether does with a path it was given goes through here.
 */
public interface NativePaths {

    /** tether's working directory, absolute. */
    byte[] workingDirectory() throws PathException;

    /** Starts watching {@code path}, which must exist now; a relative path is taken from the working directory. */
    PathWatch watch(byte[] path) throws PathException;

    /** Fails with the OS's reason unless {@code path} is a directory that tether's user can enter. */
    void checkEnterableDirectory(byte[] path) throws PathException;

    /**
     * Absolute {@code path} with every symbolic link, {@code .} and {@code ..} resolved, so that two names for
     * one directory compare equal; a relative path is taken from the working directory. A path that cannot be
     * resolved (it no longer exists) comes back absolute, with only {@code .}, {@code ..} and repeated
     * separators removed.
     */
    byte[] canonical(byte[] path) throws PathException;

    /** The device that discards what is written to it and reads as empty. */
    byte[] nullDevice();

    /**
     * Up to {@code max} bytes of the regular file at {@code path} from {@code offset} on, and the file's size:
     * what following a log takes. Opened and closed on each call, so that a file replaced meanwhile is read
     * anew; anything but a regular file (a FIFO, whose bytes a read would take from its reader) is refused.
     */
    default Chunk read(byte[] path, long offset, int max) throws PathException {
        throw new PathException("reading a file is not supported on " + System.getProperty("os.name") + " yet");
    }

    /**
     * @param size  the file's size when it was read
     * @param bytes what was read from the offset asked, at most the number asked
     */
    record Chunk(long size, byte[] bytes) {}
}
