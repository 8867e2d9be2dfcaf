package tether.unix.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tether.unix.CLibrary;

/**
 * Start times of processes as instants: {@code /proc/PID/stat} counts clock ticks since boot. One instance
 * serves one listing, so that the same process always gets the same instant, and a process is known again by
 * its pid and start (the boot time in {@code /proc/stat} is read once: the kernel builds the file anew on every
 * read, and {@code --stop} asks every 10 ms).
 */
final class StartTimes {

    /** USER_HZ, the unit of a start time in {@code /proc/PID/stat}. */
    private final long ticksPerSecond = CLibrary.sysconf(LinuxLibc.SC_CLK_TCK);
    private long bootSeconds;

    Instant of(ProcStat stat) throws IOException {
        if (bootSeconds == 0) {
            bootSeconds = bootTime();
        }
        return Instant.ofEpochSecond(bootSeconds).plusNanos(stat.startTicks() * 1_000_000_000L / ticksPerSecond);
    }

    /** When the system booted, in seconds since the epoch: the {@code btime} line of {@code /proc/stat}. */
    static long bootTime() throws IOException {
        String stat = new String(ProcFiles.readAll("/proc/stat"), StandardCharsets.ISO_8859_1);
        int at = stat.indexOf("\nbtime ");
        if (at < 0) {
            throw new IOException("/proc/stat has no btime");
        }
        int end = stat.indexOf('\n', at + 1);
        return Long.parseLong(stat.substring(at + 7, end < 0 ? stat.length() : end).trim());
    }
}
