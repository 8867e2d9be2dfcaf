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
 * <p>Where a tether made a cgroup for its tree, a process's cgroup says which tether's tree it is in, whatever
 * its ancestry, directory and environment say ({@link #tetherCgroup}).
 *
 * <p>A working directory that was removed reads as its old path followed by {@code " (deleted)"}. A
 * directory may be named so, so the suffix counts only if that path does not lead to the directory the
 * process is in.
 */
public final class LinuxSurvey extends UnixSurvey {

    private final StartTimes startTimes = new StartTimes();
    private final ListeningPorts listeningPorts = new ListeningPorts();
    private final int uid = CLibrary.getuid();
    /** {@code /proc/self/mountinfo}, read the first time a cgroup must be found in the file system. */
    private byte[] mountinfo;

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

    /** From {@code /proc/PID/cgroup}, which is world-readable; {@code /proc/self/mountinfo} is read once. */
    @Override
    public TetherCgroup tetherCgroup(Resident process) {
        byte[] cgroups = ProcFiles.readAll("/proc/" + process.pid() + "/cgroup");
        if (mountinfo == null) {
            mountinfo = ProcFiles.readAll("/proc/self/mountinfo");
        }
        return tetherCgroup(cgroups, mountinfo);
    }

    /**
     * The innermost cgroup a tether made on the cgroup2 path of {@code cgroups} (a {@code /proc/PID/cgroup}),
     * where {@code mountinfo} shows it; {@code null} if none.
     */
    static TetherCgroup tetherCgroup(byte[] cgroups, byte[] mountinfo) {
        return tetherCgroup(cgroups, mountinfo, -1);
    }

    /**
     * As {@link #tetherCgroup(byte[], byte[])}, of the cgroups tether {@code madeBy} made only (any tether's
     * for -1): a tree's processes may be in a cgroup a tether of the tree made inside its own.
     */
    static TetherCgroup tetherCgroup(byte[] cgroups, byte[] mountinfo, long madeBy) {
        byte[] cgroup = CgroupPlacement.ownCgroup(cgroups);
        if (cgroup == null) {
            return null;
        }
        long tether = -1;
        int end = -1;
        int start = 1;
        while (start < cgroup.length) {
            int slash = indexOf(cgroup, (byte) '/', start);
            long made = Cgroup.tetherOf(Arrays.copyOfRange(cgroup, start, slash));
            if (made >= 0 && (madeBy < 0 || made == madeBy)) {
                tether = made;
                end = slash;
            }
            start = slash + 1;
        }
        byte[] directory = end < 0 ? null : CgroupPlacement.directory(mountinfo, Arrays.copyOf(cgroup, end));
        return directory == null ? null : new TetherCgroup(directory, tether);
    }

    /** The index of {@code b} in {@code bytes} from {@code start}, or the length if it is not there. */
    private static int indexOf(byte[] bytes, byte b, int start) {
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    @Override
    public long[] members(TetherCgroup cgroup) {
        int[] pids = Cgroup.at(cgroup.directory()).members();
        long[] members = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            members[i] = pids[i];
        }
        return members;
    }

    @Override
    public void remove(TetherCgroup cgroup) {
        Cgroup.at(cgroup.directory()).remove();
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
