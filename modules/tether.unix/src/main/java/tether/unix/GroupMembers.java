package tether.unix;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts the live members of a process group from {@code /proc}.
 *
 * <p>{@code kill(-pgid, 0)} cannot answer this: it keeps succeeding while the group's only member is the
 * unreaped zombie leader that tether holds on purpose. A member counts as live unless its state is zombie
 * ({@code Z}) or dead ({@code X}); a stopped member is live.
 */
final class GroupMembers {

    private static final Path PROC = Path.of("/proc");

    private GroupMembers() {}

    static int countLive(int pgid) {
        int live = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (isPid(name) && isLiveMemberOf(entry.resolve("stat"), pgid)) {
                    live++;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return live;
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && Character.isDigit(name.charAt(0));
    }

    private static boolean isLiveMemberOf(Path stat, int pgid) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(stat);
        } catch (IOException e) {
            return false; // exited and reaped between the listing and the read
        }
        return isLiveMember(bytes, pgid);
    }

    /**
     * Reads {@code pid (comm) state ppid pgrp ...}. The command name may hold spaces and parentheses, so
     * the fields are found after the last ')'.
     */
    static boolean isLiveMember(byte[] stat, int pgid) {
        int i = stat.length - 1;
        while (i >= 0 && stat[i] != ')') {
            i--;
        }
        if (i < 0 || i + 2 >= stat.length) {
            return false;
        }
        byte state = stat[i + 2];
        if (state == 'Z' || state == 'X') {
            return false;
        }
        int field = 0;
        int value = 0;
        for (int j = i + 2; j < stat.length; j++) {
            byte b = stat[j];
            if (b == ' ') {
                if (field == 2) {
                    return value == pgid;
                }
                field++;
                value = 0;
            } else if (field == 2) {
                value = value * 10 + (b - '0');
            }
        }
        return false;
    }
}
