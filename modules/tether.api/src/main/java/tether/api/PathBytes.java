package tether.api;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Unix path names as bytes, taken apart and compared by their text alone, without the file system: for
 * paths the file system can no longer resolve, and for naming one path relative to another.
 */
public final class PathBytes {

    private PathBytes() {}

    /** {@code path} taken from {@code directory} unless it is absolute. */
    public static byte[] resolve(byte[] directory, byte[] path) {
        if (path.length > 0 && path[0] == '/') {
            return path;
        }
        byte[] joined = Arrays.copyOf(directory, directory.length + 1 + path.length);
        joined[directory.length] = '/';
        System.arraycopy(path, 0, joined, directory.length + 1, path.length);
        return joined;
    }

    /**
     * An absolute path without {@code .}, {@code ..} (which cannot climb above the root) and repeated or
     * trailing slashes.
     */
    public static byte[] normal(byte[] absolute) {
        List<byte[]> names = new ArrayList<>();
        for (byte[] name : names(absolute)) {
            if (Arrays.equals(name, new byte[] {'.', '.'})) {
                if (!names.isEmpty()) {
                    names.removeLast();
                }
            } else if (!Arrays.equals(name, new byte[] {'.'})) {
                names.add(name);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] name : names) {
            out.write('/');
            out.writeBytes(name);
        }
        return names.isEmpty() ? new byte[] {'/'} : out.toByteArray();
    }

    /** Whether normal path {@code path} is {@code directory} or lies inside it (both normal and absolute). */
    public static boolean isWithin(byte[] path, byte[] directory) {
        if (directory.length == 1 && directory[0] == '/') {
            return true;
        }
        if (path.length < directory.length || !Arrays.equals(path, 0, directory.length, directory, 0, directory.length)) {
            return false;
        }
        return path.length == directory.length || path[directory.length] == '/';
    }

    /**
     * The part of normal path {@code path} below {@code directory}, without a leading slash (empty for the
     * directory itself); {@code path} must be {@linkplain #isWithin within} it.
     */
    public static byte[] below(byte[] path, byte[] directory) {
        int start = directory.length == 1 ? 1 : Math.min(path.length, directory.length + 1);
        return Arrays.copyOfRange(path, start, path.length);
    }

    private static List<byte[]> names(byte[] path) {
        List<byte[]> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                if (i > start) {
                    names.add(Arrays.copyOfRange(path, start, i));
                }
                start = i + 1;
            }
        }
        return names;
    }
}
