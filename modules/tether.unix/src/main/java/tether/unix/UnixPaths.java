package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import tether.api.NativePaths;
import tether.api.PathBytes;
import tether.api.PathException;
import tether.api.PathWatch;

/**
 * Paths as bytes, through libc: {@code getcwd}, the system's {@link FileStat} and {@code access}. The JVM's
 * own file API would decode every name with the locale's charset and could not name {@code café} in the C
 * locale.
 */
public final class UnixPaths implements NativePaths {

    private static final UnixPlatform OS = UnixPlatform.current();
    private static final FileStat FILES = FileStat.of(OS);

    /** getcwd's buffer grows to this before tether gives up on a deeper directory. */
    private static final int LONGEST_WORKING_DIRECTORY = 64 * 1024;

    @Override
    public byte[] workingDirectory() throws PathException {
        for (int size = OS.pathMax(); size <= LONGEST_WORKING_DIRECTORY; size *= 4) {
            Memory buffer = new Memory(size);
            if (CLibrary.getcwd(buffer, size) != null) {
                byte[] path = buffer.getByteArray(0, (int) buffer.indexOf(0, (byte) 0));
                if (path.length == 0 || path[0] != '/') {
                    throw new PathException("it is outside this process's root directory");
                }
                return path;
            }
            int errno = Native.getLastError();
            if (errno != CLibrary.ERANGE) {
                throw new PathException(errno == CLibrary.ENOENT ? "it was removed" : CLibrary.strerror(errno));
            }
        }
        throw new PathException(CLibrary.strerror(CLibrary.ERANGE));
    }

    @Override
    public PathWatch watch(byte[] path) throws PathException {
        byte[] absolute = path.length > 0 && path[0] == '/' ? path : PathBytes.resolve(workingDirectory(), path);
        return HeldPath.open(absolute);
    }

    @Override
    public void checkEnterableDirectory(byte[] path) throws PathException {
        Memory name = cString(path);
        if (typeOf(name) != CLibrary.S_IFDIR) {
            throw new PathException(CLibrary.strerror(CLibrary.ENOTDIR));
        }
        if (CLibrary.access(name, CLibrary.X_OK) != 0) {
            throw new PathException(CLibrary.lastError());
        }
    }

    @Override
    public byte[] canonical(byte[] path) throws PathException {
        byte[] absolute = path.length > 0 && path[0] == '/' ? path : PathBytes.resolve(workingDirectory(), path);
        Memory resolved = new Memory(OS.pathMax());
        if (CLibrary.realpath(cString(absolute), resolved) != null) {
            return resolved.getByteArray(0, (int) resolved.indexOf(0, (byte) 0));
        }
        return PathBytes.normal(absolute);
    }

    @Override
    public byte[] nullDevice() {
        return "/dev/null".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Opened without blocking: a FIFO put at the path since the check would otherwise hang the open. The size
     * is where {@code lseek} finds the end, which needs no struct layout of either system.
     */
    @Override
    public Chunk read(byte[] path, long offset, int max) throws PathException {
        Memory name = cString(path);
        if (typeOf(name) != CLibrary.S_IFREG) {
            throw new PathException("not a regular file");
        }
        int fd = CLibrary.open(name, CLibrary.O_RDONLY | OS.oNonblock() | OS.oCloexec(), 0);
        if (fd < 0) {
            throw new PathException(CLibrary.lastError());
        }
        try {
            long size = CLibrary.lseek(fd, 0, CLibrary.SEEK_END);
            if (size < 0) {
                throw new PathException(CLibrary.lastError());
            }
            int wanted = (int) Math.max(0, Math.min(max, size - offset));
            byte[] bytes = new byte[wanted];
            int done = 0;
            while (done < wanted) {
                byte[] rest = new byte[wanted - done];
                long length = CLibrary.pread(fd, rest, rest.length, offset + done);
                if (length < 0 && Native.getLastError() == CLibrary.EINTR) {
                    continue;
                }
                if (length < 0) {
                    throw new PathException(CLibrary.lastError());
                }
                if (length == 0) {
                    break; // truncated since lseek
                }
                System.arraycopy(rest, 0, bytes, done, (int) length);
                done += (int) length;
            }
            return new Chunk(size, done == wanted ? bytes : java.util.Arrays.copyOf(bytes, done));
        } finally {
            CLibrary.close(fd);
        }
    }

    /** The file type of what {@code name} names, symbolic links followed, or the OS's reason it has none. */
    private static int typeOf(Memory name) throws PathException {
        Memory status = new Memory(FILES.size());
        int errno = FILES.stat(name, true, status);
        if (errno != 0) {
            throw new PathException(CLibrary.strerror(errno));
        }
        return FILES.type(status);
    }

    /** The target of a symbolic link, as bytes, or {@code null} if it cannot be read. */
    public static byte[] readLink(Memory link) {
        Memory target = new Memory(OS.pathMax());
        long length = CLibrary.readlink(link, target, OS.pathMax());
        return length < 0 || length >= OS.pathMax() ? null : target.getByteArray(0, (int) length);
    }

    /** Whether {@code path} itself is a symbolic link. */
    static boolean isSymbolicLink(byte[] path) {
        Memory status = new Memory(FILES.size());
        return FILES.stat(cString(path), false, status) == 0 && FILES.type(status) == CLibrary.S_IFLNK;
    }

    /** Whether {@code path} (symbolic links followed) is a regular file. */
    public static boolean isRegularFile(byte[] path) {
        Memory status = new Memory(FILES.size());
        return FILES.stat(cString(path), true, status) == 0 && FILES.type(status) == CLibrary.S_IFREG;
    }

    /** Whether {@code path} (symbolic links followed) is a directory. */
    public static boolean isDirectory(byte[] path) {
        Memory status = new Memory(FILES.size());
        return FILES.stat(cString(path), true, status) == 0 && FILES.type(status) == CLibrary.S_IFDIR;
    }

    public static Memory cString(byte[] bytes) {
        Memory memory = new Memory(bytes.length + 1L);
        memory.write(0, bytes, 0, bytes.length);
        memory.setByte(bytes.length, (byte) 0);
        return memory;
    }

    /**
     * A watched path, held as {@link FileStat#hold} allows, and the (device, inode) pair of what was there at
     * the start: while the pair is unchanged and the inode cannot have been reused, it is the same file.
     * When the path cannot be looked at (a parent made unsearchable, a network file system answering
     * EACCES or EIO), the hold still tells a removal: the held file has no name left.
     */
    private static final class HeldPath implements PathWatch {

        private final Memory path;
        private final int held;
        private final long device;
        private final long inode;
        private final Memory status = new Memory(FILES.size());
        private String lastError = "";

        private HeldPath(Memory path, int held, long device, long inode) {
            this.path = path;
            this.held = held;
            this.device = device;
            this.inode = inode;
        }

        static HeldPath open(byte[] absolute) throws PathException {
            Memory path = cString(absolute);
            Memory status = new Memory(FILES.size());
            int[] held = new int[1];
            int errno = FILES.hold(path, status, held);
            if (errno != 0) {
                throw new PathException(CLibrary.strerror(errno));
            }
            return new HeldPath(path, held[0], FILES.device(status), FILES.inode(status));
        }

        @Override
        public State check() {
            int errno = FILES.stat(path, false, status);
            if (errno != 0) {
                // ENOTDIR: a directory on the way became a file, so nothing can be at the path any more.
                if (errno == CLibrary.ENOENT || errno == CLibrary.ENOTDIR || FILES.links(held) == 0) {
                    return State.GONE;
                }
                lastError = CLibrary.strerror(errno);
                return State.UNKNOWN;
            }
            boolean same = FILES.device(status) == device && FILES.inode(status) == inode;
            return same ? State.PRESENT : State.GONE;
        }

        @Override
        public String lastError() {
            return lastError;
        }
    }
}
