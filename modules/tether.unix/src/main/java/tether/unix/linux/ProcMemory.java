package tether.unix.linux;

import java.nio.charset.StandardCharsets;
import java.util.List;
import tether.unix.CLibrary;

/**
 * The memory a process uses, as {@code --list} sums it per tree: its proportional set size, the {@code Pss:}
 * line of {@code /proc/PID/smaps_rollup} (Linux 4.14 and later), where a page shared by n processes counts 1/n
 * to each, so a tree that shares its libraries, or a forked server that shares its heap, is not counted many
 * times over. Where that file cannot be read (an older kernel), the resident set size of
 * {@code /proc/PID/statm}. Both are this user's to read for their own processes only.
 */
final class ProcMemory {

    private static final String PSS = "\nPss:";
    private static final long KIB = 1024;
    private static final long PAGE_SIZE = CLibrary.sysconf(LinuxLibc.SC_PAGESIZE);

    private ProcMemory() {}

    /** {@code pid}'s memory in bytes, or -1 if neither file can be read. */
    static long of(int pid) {
        long pss = pss(new String(ProcFiles.readAll("/proc/" + pid + "/smaps_rollup"), StandardCharsets.ISO_8859_1));
        return pss >= 0 ? pss : resident(new String(ProcFiles.readAll("/proc/" + pid + "/statm"), StandardCharsets.ISO_8859_1));
    }

    /** The {@code Pss:} line of a smaps_rollup, in bytes ({@code Pss:   252 kB}), or -1 without one. */
    static long pss(String rollup) {
        int at = rollup.indexOf(PSS);
        if (at < 0) {
            return -1;
        }
        int end = rollup.indexOf('\n', at + 1);
        List<String> fields = ProcFiles.fields(rollup.substring(at + PSS.length(), end < 0 ? rollup.length() : end), 2);
        return fields.size() == 2 && fields.get(1).equals("kB") ? Long.parseLong(fields.get(0)) * KIB : -1;
    }

    /** The second number of a statm line (size resident shared text lib data dt), in pages, as bytes; -1 if absent. */
    static long resident(String statm) {
        List<String> fields = ProcFiles.fields(statm.strip(), 2);
        return fields.size() == 2 && PAGE_SIZE > 0 ? Long.parseLong(fields.get(1)) * PAGE_SIZE : -1;
    }
}
