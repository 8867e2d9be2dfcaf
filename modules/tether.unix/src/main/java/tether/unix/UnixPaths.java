package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Arrays;
import tether.api.NativePaths;
import tether.api.PathException;
import tether.api.PathWatch;

/**
 * Paths as bytes, through libc: {@code getcwd}, {@code statx} and {@code open}. The JVM's own file API
 * would decode every name with the locale's charset and could not name {@code café} in the C locale.
 */
final class UnixPaths implements NativePaths {

    private static final UnixPlatform OS = UnixPlatform.current();

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
        byte[] absolute = path.length > 0 && path[0] == '/' ? path : join(workingDirectory(), path);
        return HeldPath.open(absolute);
    }

    @Override
    public void checkEnterableDirectory(byte[] path) throws PathException {
        Memory name = cString(path);
        Memory statx = new Memory(LinuxLibc.STATX_SIZE);
        if (LinuxLibc.statx(LinuxLibc.AT_FDCWD, name, 0, LinuxLibc.STATX_TYPE, statx) != 0) {
            throw new PathException(CLibrary.strerror(Native.getLastError()));
        }
        if ((statx.getShort(LinuxLibc.STATX_MODE_OFFSET) & CLibrary.S_IFMT) != CLibrary.S_IFDIR) {
            throw new PathException(CLibrary.strerror(CLibrary.ENOTDIR));
        }
        if (CLibrary.access(name, CLibrary.X_OK) != 0) {
            throw new PathException(CLibrary.strerror(Native.getLastError()));
        }
    }

    /** Whether {@code path} (symbolic links followed) is a regular file. */
    static boolean isRegularFile(byte[] path) {
        Memory statx = new Memory(LinuxLibc.STATX_SIZE);
        return LinuxLibc.statx(LinuxLibc.AT_FDCWD, cString(path), 0, LinuxLibc.STATX_TYPE, statx) == 0
                && (statx.getShort(LinuxLibc.STATX_MODE_OFFSET) & CLibrary.S_IFMT) == CLibrary.S_IFREG;
    }

    static byte[] join(byte[] directory, byte[] relative) {
        byte[] joined = Arrays.copyOf(directory, directory.length + 1 + relative.length);
        joined[directory.length] = '/';
        System.arraycopy(relative, 0, joined, directory.length + 1, relative.length);
        return joined;
    }

    static Memory cString(byte[] bytes) {
        Memory memory = new Memory(bytes.length + 1L);
        memory.write(0, bytes, 0, bytes.length);
        memory.setByte(bytes.length, (byte) 0);
        return memory;
    }

    /**
     * A watched path and a descriptor that holds what was there at the start ({@code O_PATH}: it opens
     * nothing, so a FIFO cannot block and a device is not touched, and it holds a symbolic link itself).
     * While the descriptor is open the inode cannot be freed, so its number cannot pass to a new file at
     * the same path and an unchanged (device, inode) pair proves it is still the same file.
     */
    private static final class HeldPath implements PathWatch {

        private final Memory path;
        private final long device;
        private final long inode;
        private final Memory statx = new Memory(LinuxLibc.STATX_SIZE);
        private String lastError = "";

        private HeldPath(Memory path, long device, long inode) {
            this.path = path;
            this.device = device;
            this.inode = inode;
        }

        static HeldPath open(byte[] absolute) throws PathException {
            Memory path = cString(absolute);
            int fd = CLibrary.open(path, LinuxLibc.O_PATH | LinuxLibc.O_NOFOLLOW | OS.oCloexec(), 0);
            if (fd < 0) {
                throw new PathException(CLibrary.strerror(Native.getLastError()));
            }
            Memory statx = new Memory(LinuxLibc.STATX_SIZE);
            if (LinuxLibc.statx(fd, cString(new byte[0]), LinuxLibc.AT_EMPTY_PATH | LinuxLibc.AT_SYMLINK_NOFOLLOW,
                    LinuxLibc.STATX_INO, statx) != 0) {
                int errno = Native.getLastError();
                CLibrary.close(fd);
                throw new PathException(CLibrary.strerror(errno));
            }
            // The descriptor is never closed: it is what holds the inode, for as long as tether runs.
            return new HeldPath(path, device(statx), statx.getLong(LinuxLibc.STATX_INO_OFFSET));
        }

        @Override
        public State check() {
            if (LinuxLibc.statx(LinuxLibc.AT_FDCWD, path, LinuxLibc.AT_SYMLINK_NOFOLLOW, LinuxLibc.STATX_INO,
                    statx) != 0) {
                int errno = Native.getLastError();
                // ENOTDIR: a directory on the way became a file, so nothing can be at the path any more.
                if (errno == CLibrary.ENOENT || errno == CLibrary.ENOTDIR) {
                    return State.GONE;
                }
                lastError = CLibrary.strerror(errno);
                return State.UNKNOWN;
            }
            boolean same = device(statx) == device && statx.getLong(LinuxLibc.STATX_INO_OFFSET) == inode;
            return same ? State.PRESENT : State.GONE;
        }

        @Override
        public String lastError() {
            return lastError;
        }

        private static long device(Memory statx) {
            return ((long) statx.getInt(LinuxLibc.STATX_DEV_MAJOR_OFFSET) << 32)
                    | Integer.toUnsignedLong(statx.getInt(LinuxLibc.STATX_DEV_MINOR_OFFSET));
        }
    }
}
