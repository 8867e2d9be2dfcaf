package tether.unix.linux;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tether.unix.UnixPaths;

/**
 * Files of {@code /proc} about other processes, read the way a one-pass listing needs them: with {@code java.io}
 * (the listing runs in a JVM that lives for it alone), as bytes, and with a process that ended or is another
 * user's taken for what it is, an unreadable file, never an error.
 */
final class ProcFiles {

    private ProcFiles() {}

    /** The pid of every process, from the names of {@code /proc}'s directories. */
    static List<Integer> pids() throws IOException {
        String[] entries = new File("/proc").list();
        if (entries == null) {
            throw new IOException("cannot list /proc");
        }
        List<Integer> pids = new ArrayList<>(entries.length);
        for (String entry : entries) {
            int pid = pidOf(entry);
            if (pid > 0) {
                pids.add(pid);
            }
        }
        return pids;
    }

    private static int pidOf(String entry) {
        for (int i = 0; i < entry.length(); i++) {
            if (entry.charAt(i) < '0' || entry.charAt(i) > '9') {
                return -1;
            }
        }
        return entry.isEmpty() || entry.length() > 9 ? -1 : Integer.parseInt(entry);
    }

    /** The whole file, or nothing if it cannot be read (the process ended, or is another user's). */
    static byte[] readAll(String path) {
        try (FileInputStream in = new FileInputStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The target of the symbolic link at {@code path}, as bytes, or {@code null} if it cannot be read. */
    static byte[] link(String path) {
        return UnixPaths.readLink(UnixPaths.cString(path.getBytes(StandardCharsets.US_ASCII)));
    }

    static String linkText(String path) {
        byte[] target = link(path);
        return target == null ? null : new String(target, StandardCharsets.ISO_8859_1);
    }

    /**
     * The real and effective user ids of {@code pid}, the first two numbers of the {@code Uid:} line of its
     * status, or {@code null} if it cannot be read.
     */
    static int[] userIds(int pid) {
        String status = new String(readAll("/proc/" + pid + "/status"), StandardCharsets.ISO_8859_1);
        int at = status.indexOf("\nUid:");
        if (at < 0) {
            return null;
        }
        int end = status.indexOf('\n', at + 1);
        List<String> ids = fields(status.substring(at + 5, end < 0 ? status.length() : end).replace('\t', ' '), 2);
        return ids.size() < 2 ? null : new int[] {Integer.parseInt(ids.get(0)), Integer.parseInt(ids.get(1))};
    }

    /**
     * The first {@code count} fields of a line separated by spaces: a hand-written split, since the regular
     * expression one runs interpreted in a JVM that lives for one listing and cost milliseconds a table.
     */
    static List<String> fields(String line, int count) {
        List<String> fields = new ArrayList<>(count);
        int i = 0;
        while (fields.size() < count) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            if (i == line.length()) {
                break;
            }
            int start = i;
            while (i < line.length() && line.charAt(i) != ' ') {
                i++;
            }
            fields.add(line.substring(start, i));
        }
        return fields;
    }
}
