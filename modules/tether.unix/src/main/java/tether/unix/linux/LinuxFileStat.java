package tether.unix.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import tether.unix.CLibrary;
import tether.unix.FileStat;
import tether.unix.UnixPaths;

/** {@code statx}, whose struct has one layout on every architecture, and a hold with {@code O_PATH}. */
public final class LinuxFileStat implements FileStat {

    private static final int MASK = LinuxLibc.STATX_TYPE | LinuxLibc.STATX_INO;
    /** NFS answers a descriptor whose file was removed on the server with ESTALE (asm-generic/errno.h). */
    static final int ESTALE = 116;
    private static final Memory EMPTY_PATH = UnixPaths.cString(new byte[0]);

    @Override
    public int size() {
        return LinuxLibc.STATX_SIZE;
    }

    @Override
    public int stat(Memory path, boolean followLinks, Memory buffer) {
        int flags = followLinks ? 0 : LinuxLibc.AT_SYMLINK_NOFOLLOW;
        return LinuxLibc.statx(LinuxLibc.AT_FDCWD, path, flags, MASK, buffer) == 0 ? 0 : Native.getLastError();
    }

    /**
     * {@code O_PATH} opens nothing, so a FIFO cannot block and a device is not touched, and with
     * {@code O_NOFOLLOW} it holds a symbolic link itself. The descriptor is never closed: it is what holds
     * the inode.
     */
    @Override
    public int hold(Memory path, Memory buffer, int[] held) {
        held[0] = -1;
        int fd = CLibrary.open(path, LinuxLibc.O_PATH | LinuxLibc.O_NOFOLLOW | LinuxLibc.O_CLOEXEC, 0);
        if (fd < 0) {
            return Native.getLastError();
        }
        if (LinuxLibc.statx(fd, EMPTY_PATH, LinuxLibc.AT_EMPTY_PATH | LinuxLibc.AT_SYMLINK_NOFOLLOW, MASK, buffer) != 0) {
            int errno = Native.getLastError();
            CLibrary.close(fd);
            return errno;
        }
        held[0] = fd;
        return 0;
    }

    /** {@code statx} of the descriptor itself ({@code AT_EMPTY_PATH}), which no permission on the path governs. */
    @Override
    public long links(int held) {
        if (held < 0) {
            return -1;
        }
        Memory buffer = new Memory(LinuxLibc.STATX_SIZE);
        if (LinuxLibc.statx(held, EMPTY_PATH, LinuxLibc.AT_EMPTY_PATH | LinuxLibc.AT_SYMLINK_NOFOLLOW,
                LinuxLibc.STATX_NLINK, buffer) != 0) {
            return Native.getLastError() == ESTALE ? 0 : -1;
        }
        return Integer.toUnsignedLong(buffer.getInt(LinuxLibc.STATX_NLINK_OFFSET));
    }

    @Override
    public int type(Memory buffer) {
        return buffer.getShort(LinuxLibc.STATX_MODE_OFFSET) & CLibrary.S_IFMT;
    }

    @Override
    public long device(Memory buffer) {
        return ((long) buffer.getInt(LinuxLibc.STATX_DEV_MAJOR_OFFSET) << 32)
                | Integer.toUnsignedLong(buffer.getInt(LinuxLibc.STATX_DEV_MINOR_OFFSET));
    }

    @Override
    public long inode(Memory buffer) {
        return buffer.getLong(LinuxLibc.STATX_INO_OFFSET);
    }
}
