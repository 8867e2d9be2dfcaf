package tether.unix.linux;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.api.Provenance;
import tether.api.Resident;
import tether.unix.CLibrary;
import tether.unix.UnixPaths;
import tether.unix.UnixSurvey;

/**
 * Every process in {@code /proc}. The pass reads each one's {@code stat} (world-readable: parent, terminal,
 * foreground group, start) and {@code status} (its user ids); a process's working directory
 * ({@code /proc/PID/cwd}), environment, memory and sockets are asked for afterwards, and only of this user's
 * processes, which are the only ones the kernel shows them for (root: every one).
 *
 * <p>A working directory that was removed reads as its old path followed by {@code " (deleted)"}. A
 * directory may be named so, so the suffix counts only if that path does not lead to the directory the
 * process is in.
 */
public final class LinuxSurvey extends UnixSurvey {

    private final StartTimes startTimes = new StartTimes();
    private final ListeningPorts listeningPorts = new ListeningPorts();
    private final int uid = CLibrary.getuid();

    @Override
    public List<Resident> residents() throws IOException {
        byte[] buffer = new byte[ProcStat.SIZE];
        List<Resident> residents = new ArrayList<>();
        for (int pid : ProcFiles.pids()) {
            ProcStat stat = ProcStat.read(pid, buffer);
            int[] users = stat == null || !stat.isLive() ? null : ProcFiles.userIds(pid);
            if (users != null) {
                residents.add(new Resident(pid, stat.parent(), stat.group(), startTimes.of(stat), users[0] == uid && users[1] == uid,
                        stat.isInForeground()));
            }
        }
        return residents;
    }

    @Override
    public Whereabouts whereabouts(Resident process) {
        String base = "/proc/" + process.pid();
        byte[] directory = ProcFiles.link(base + "/cwd");
        if (directory == null) {
            return null;
        }
        boolean deleted = isDeleted(base + "/cwd", directory);
        if (deleted) {
            directory = Arrays.copyOf(directory, directory.length - LinuxCensus.DELETED.length());
        }
        return new Whereabouts(directory, deleted,
                Provenance.entryIn(ProcSelf.splitOnNul(ProcFiles.readAll(base + "/environ"))));
    }

    /** Whether {@code target}, what link {@code cwd} reads, marks a removed directory rather than names one. */
    private static boolean isDeleted(String cwd, byte[] target) {
        if (!new String(target, StandardCharsets.ISO_8859_1).endsWith(LinuxCensus.DELETED)) {
            return false;
        }
        LinuxFileStat files = new LinuxFileStat();
        Memory inside = new Memory(files.size());
        Memory named = new Memory(files.size());
        if (files.stat(UnixPaths.cString(cwd.getBytes(StandardCharsets.US_ASCII)), true, inside) != 0) {
            return false; // the process ended: whatever it was, it is not there to count
        }
        return files.stat(UnixPaths.cString(target), true, named) != 0 || files.device(named) != files.device(inside)
                || files.inode(named) != files.inode(inside);
    }

    @Override
    public List<byte[]> command(Resident process) {
        return commandLine(ProcFiles.readAll("/proc/" + process.pid() + "/cmdline"));
    }

    /**
     * The words of a {@code /proc/PID/cmdline}. A program that renames itself (node's {@code process.title},
     * which npm sets) writes its title over its arguments and pads the rest of their area with NULs: the
     * trailing empty words are that padding, and are left out, as ps leaves them out.
     */
    static List<byte[]> commandLine(byte[] cmdline) {
        List<byte[]> words = new ArrayList<>(ProcSelf.splitOnNul(cmdline));
        while (words.size() > 1 && words.getLast().length == 0) {
            words.removeLast();
        }
        return words;
    }

    @Override
    public long memory(Resident process) {
        return ProcMemory.of((int) process.pid());
    }

    @Override
    public int[] ports(List<Resident> processes) {
        if (processes.isEmpty()) {
            return new int[0];
        }
        int[] pids = new int[processes.size()];
        for (int i = 0; i < pids.length; i++) {
            pids[i] = (int) processes.get(i).pid();
        }
        return listeningPorts.of(pids[0], pids);
    }

    @Override
    protected Instant startedNow(long pid) {
        ProcStat stat = ProcStat.read((int) pid, new byte[ProcStat.SIZE]);
        try {
            return stat == null || !stat.isLive() ? null : startTimes.of(stat);
        } catch (IOException e) {
            return null;
        }
    }
}
