package tether.unix;

import com.sun.jna.Memory;
import tether.unix.darwin.DarwinFileStat;
import tether.unix.linux.LinuxFileStat;

/**
 * One system's stat calls, reduced to what {@link UnixPaths} reads: a file's type, and the device and inode
 * numbers that tell one file from another. Each call returns 0, or the errno it failed with.
 */
public interface FileStat {

    /** The size of the buffer the calls fill. */
    int size();

    /** The status of {@code path} into {@code buffer}; a symbolic link at its end is followed if {@code followLinks}. */
    int stat(Memory path, boolean followLinks, Memory buffer);

    /**
     * The status of what is at {@code path}, a symbolic link itself, into {@code buffer}, after holding it
     * open for as long as tether runs where the system allows it: a held inode cannot be freed, so its
     * number cannot pass to a new file at the same path. {@code held[0]} gets the hold (a descriptor), or -1
     * where nothing is held.
     */
    int hold(Memory path, Memory buffer, int[] held);

    /**
     * How many names the file behind {@code held} has left, read through the hold rather than the path:
     * 0 once it was removed, even where a parent that tether may no longer search hides the path; -1 when
     * that cannot be told (nothing is held, or the system would not say).
     */
    long links(int held);

    /** st_mode's file type bits. */
    int type(Memory buffer);

    long device(Memory buffer);

    long inode(Memory buffer);

    static FileStat of(UnixPlatform platform) {
        return switch (platform.kernel()) {
            case LINUX -> new LinuxFileStat();
            case DARWIN -> new DarwinFileStat();
        };
    }
}
