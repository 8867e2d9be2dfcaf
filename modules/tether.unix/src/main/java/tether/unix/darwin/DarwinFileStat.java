package tether.unix.darwin;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import tether.unix.CLibrary;
import tether.unix.FileStat;

/** {@code stat} and {@code lstat} with macOS's 64-bit-inode struct stat; nothing is held. */
public final class DarwinFileStat implements FileStat {

    @Override
    public int size() {
        return SystemB.STAT_SIZE;
    }

    @Override
    public int stat(Memory path, boolean followLinks, Memory buffer) {
        int result = followLinks ? SystemB.stat(path, buffer) : SystemB.lstat(path, buffer);
        return result == 0 ? 0 : Native.getLastError();
    }

    /**
     * Decided: the path is not held on macOS, only looked at with {@code lstat}. The candidate,
     * {@code open(O_EVTONLY | O_SYMLINK)}, cannot be verified here: xnu's fcntl.h says only "descriptor
     * requested for event notifications only", and unlike Linux's O_PATH it is a real open, so whether it
     * needs read permission and whether it blocks on a FIFO or opens a device is unknown, and a watch that
     * fails or hangs where {@code lstat} succeeds would be worse than an unheld one. Unheld, a replacement
     * is still told apart as long as the file system does not give a freed inode number to the next file
     * at once (APFS numbers files from a counter that only grows; unverified here).
     */
    @Override
    public int hold(Memory path, Memory buffer, int[] held) {
        held[0] = -1;
        return stat(path, false, buffer);
    }

    /** Nothing is held (see {@link #hold}), so nothing tells a removal behind a path tether may not search. */
    @Override
    public long links(int held) {
        return -1;
    }

    @Override
    public int type(Memory buffer) {
        return buffer.getShort(SystemB.STAT_MODE_OFFSET) & CLibrary.S_IFMT;
    }

    /** dev_t is an int32_t. */
    @Override
    public long device(Memory buffer) {
        return Integer.toUnsignedLong(buffer.getInt(SystemB.STAT_DEV_OFFSET));
    }

    @Override
    public long inode(Memory buffer) {
        return buffer.getLong(SystemB.STAT_INO_OFFSET);
    }
}
