package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import tether.api.PathException;
import tether.api.PathWatch;

/**
 * A watched path known by the volume's serial number and the file ID of what was there at the start.
 * Windows cannot delete a directory that a process has open without sharing deletion, and then
 * {@code git worktree remove} fails; so each check opens the path sharing read, write and delete, asks
 * which file it is, and closes it at once, and between checks nothing is held. NTFS keeps a sequence
 * number in the ID's high bits, so a directory created again at the path has another ID.
 *
 * <p>The ID is FILE_ID_INFO's (GetFileInformationByHandleEx with FileIdInfo, Windows 8 and later): a 64-bit
 * volume serial number and a 128-bit file ID, which ReFS needs (a Dev Drive is ReFS) and which NTFS fills
 * with its 64-bit one. A file system without 128-bit IDs sets it to zero ("must be ignored", FILE_ID_INFO's
 * documentation), or refuses the class; there BY_HANDLE_FILE_INFORMATION's 32-bit serial number and 64-bit
 * index stand in. The two kinds never compare equal, so a path whose file system changed is gone.
 */
final class FileIdWatch implements PathWatch {

    /** Only the file's attributes are read, and a directory can be opened only with backup semantics. */
    static final int ACCESS = Kernel32.FILE_READ_ATTRIBUTES;
    static final int SHARING = Kernel32.FILE_SHARE_READ | Kernel32.FILE_SHARE_WRITE | Kernel32.FILE_SHARE_DELETE;
    /** A junction or symbolic link at the path is watched itself, as Unix's lstat does. */
    static final int FLAGS = Kernel32.FILE_FLAG_BACKUP_SEMANTICS | Kernel32.FILE_FLAG_OPEN_REPARSE_POINT;

    private final Kernel32 kernel32;
    private final WString path;
    private final FileId id;
    private String lastError = "";

    private FileIdWatch(Kernel32 kernel32, WString path, FileId id) {
        this.kernel32 = kernel32;
        this.path = path;
        this.id = id;
    }

    /** Starts watching {@code path}, an absolute path, which must exist now. */
    static FileIdWatch open(Kernel32 kernel32, String path) throws PathException {
        WString name = new WString(path);
        int[] error = new int[1];
        FileId id = read(kernel32, name, error);
        if (id == null) {
            throw new PathException(WindowsErrors.reason(error[0]));
        }
        return new FileIdWatch(kernel32, name, id);
    }

    @Override
    public State check() {
        int[] error = new int[1];
        FileId now = read(kernel32, path, error);
        if (now != null) {
            return now.equals(id) ? State.PRESENT : State.GONE;
        }
        // Not found covers a parent that is no longer a directory too: Windows names both "path not found".
        if (error[0] == Kernel32.ERROR_FILE_NOT_FOUND || error[0] == Kernel32.ERROR_PATH_NOT_FOUND) {
            return State.GONE;
        }
        lastError = WindowsErrors.reason(error[0]);
        return State.UNKNOWN;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    /** Which file is at {@code path} now, or {@code null} with Windows' error in {@code error[0]}. */
    private static FileId read(Kernel32 kernel32, WString path, int[] error) {
        Pointer file = kernel32.CreateFileW(path, ACCESS, SHARING, null, Kernel32.OPEN_EXISTING, FLAGS, null);
        if (file == null || Pointer.nativeValue(file) == Kernel32.INVALID_HANDLE_VALUE) {
            error[0] = kernel32.GetLastError();
            return null;
        }
        try {
            FileId extended = extendedId(kernel32, file);
            if (extended != null) {
                return extended;
            }
            Memory info = new Memory(Kernel32.FILE_INFORMATION_SIZE);
            info.clear();
            if (!kernel32.GetFileInformationByHandle(file, info)) {
                error[0] = kernel32.GetLastError();
                return null;
            }
            long index = (Integer.toUnsignedLong(info.getInt(Kernel32.FILE_INFORMATION_INDEX_HIGH_OFFSET)) << 32)
                    | Integer.toUnsignedLong(info.getInt(Kernel32.FILE_INFORMATION_INDEX_LOW_OFFSET));
            return new FileId(false, Integer.toUnsignedLong(info.getInt(Kernel32.FILE_INFORMATION_VOLUME_OFFSET)), 0,
                    index);
        } finally {
            kernel32.CloseHandle(file);
        }
    }

    /** FILE_ID_INFO's identity, or {@code null} where the file system has no 128-bit IDs. */
    private static FileId extendedId(Kernel32 kernel32, Pointer file) {
        Memory info = new Memory(Kernel32.FILE_ID_INFO_SIZE);
        info.clear();
        if (!kernel32.GetFileInformationByHandleEx(file, Kernel32.FILE_ID_INFO_CLASS, info, Kernel32.FILE_ID_INFO_SIZE)) {
            return null;
        }
        long low = info.getLong(Kernel32.FILE_ID_INFO_ID_OFFSET);
        long high = info.getLong(Kernel32.FILE_ID_INFO_ID_OFFSET + 8);
        if (low == 0 && high == 0) {
            return null;
        }
        return new FileId(true, info.getLong(Kernel32.FILE_ID_INFO_VOLUME_OFFSET), high, low);
    }

    /** @param extended whether the ID is FILE_ID_INFO's rather than BY_HANDLE_FILE_INFORMATION's */
    private record FileId(boolean extended, long volume, long high, long low) {}
}
