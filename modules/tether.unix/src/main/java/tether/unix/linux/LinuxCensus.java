package tether.unix.linux;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tether.api.Census;
import tether.api.PathBytes;
import tether.api.PathException;
import tether.api.ProcessSurvey;
import tether.api.RunningTether;
import tether.unix.CLibrary;
import tether.unix.Sentinel;
import tether.unix.UnixPaths;

/**
 * Tethers found in {@code /proc}: a process whose program is an image's {@code bin/tether} launcher (which
 * runs the JVM inside its own process) is a tether. Its tree is its descendants, less its sentinel (tether
 * is a subreaper, so an orphan of the tree is still one), and the members of its {@link Cgroup} where it has
 * one, which its children's cgroup path names; the ports are the tree's own listening sockets
 * ({@link ListeningPorts}), the memory the sum of {@link ProcMemory} over the tree.
 */
public final class LinuxCensus implements Census {

    /**
     * The launcher's file name in every image ({@code /usr/bin/tether} of the package links to it), and the
     * name it gives its process whatever name it was started by, so that only processes of that name need
     * their program read.
     */
    private static final String LAUNCHER = "tether";
    /** An image's launcher has its runtime's module file beside it; another program named tether does not. */
    private static final String IMAGE_MODULES = "/../lib/modules";
    /** How the kernel marks a link to a file that was removed, such as an image replaced by an upgrade. */
    static final String DELETED = " (deleted)";

    private final int self = CLibrary.getpid();
    private final StartTimes startTimes = new StartTimes();
    /** {@code /proc/self/mountinfo}, read the first time a cgroup must be found in the file system. */
    private byte[] mountinfo;

    /**
     * One pass over {@code /proc} reads every process's parent, session and start, from which each tether's
     * tree is taken: walking down from each tether instead would read the {@code children} file of each of
     * its JVM's threads, ten times over for ten tethers.
     */
    @Override
    public List<RunningTether> tethers() throws IOException {
        int uid = CLibrary.getuid();
        Map<Integer, ProcStat> table = new HashMap<>();
        Map<Integer, List<Integer>> children = new HashMap<>();
        List<Integer> tethers = new ArrayList<>();
        byte[] buffer = new byte[ProcStat.SIZE];
        for (int pid : ProcFiles.pids()) {
            ProcStat stat = ProcStat.read(pid, buffer);
            if (stat == null) {
                continue;
            }
            table.put(pid, stat);
            List<Integer> siblings = children.get(stat.parent());
            if (siblings == null) {
                siblings = new ArrayList<>();
                children.put(stat.parent(), siblings);
            }
            siblings.add(pid);
            if (pid != self && stat.isLive() && stat.name().equals(LAUNCHER) && isTether(pid)
                    && (uid == 0 || realUser(pid) == uid)) {
                tethers.add(pid);
            }
        }
        ListeningPorts ports = new ListeningPorts();
        List<RunningTether> found = new ArrayList<>();
        for (int pid : tethers) {
            RunningTether tether = describe(pid, table, children, ports);
            if (tether != null) {
                found.add(tether);
            }
        }
        return found;
    }

    @Override
    public boolean askToEnd(RunningTether tether) throws IOException {
        if (!isRunning(tether)) {
            return false;
        }
        if (CLibrary.kill((int) tether.pid(), CLibrary.SIGTERM) == 0) {
            CLibrary.kill((int) tether.pid(), LinuxLibc.SIGCONT);
            return true;
        }
        int errno = Native.getLastError();
        if (errno == CLibrary.ESRCH) {
            return false;
        }
        throw new IOException(CLibrary.strerror(errno));
    }

    @Override
    public boolean isRunning(RunningTether tether) {
        ProcStat stat = ProcStat.read((int) tether.pid(), new byte[ProcStat.SIZE]);
        try {
            return stat != null && stat.isLive() && startTimes.of(stat).equals(tether.started());
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public byte[] canonical(byte[] path) {
        try {
            return new UnixPaths().canonical(path);
        } catch (PathException e) {
            return PathBytes.normal(path); // relative, with the working directory gone: not asked by the CLI
        }
    }

    /** Whether {@code pid} runs an image's launcher; other users' programs cannot be read unless root. */
    static boolean isTether(int pid) {
        byte[] link = ProcFiles.link("/proc/" + pid + "/exe");
        if (link == null) {
            return false;
        }
        String program = new String(link, StandardCharsets.ISO_8859_1);
        boolean deleted = program.endsWith(DELETED);
        if (deleted) {
            program = program.substring(0, program.length() - DELETED.length());
        }
        int slash = program.lastIndexOf('/');
        if (!program.substring(slash + 1).equals(LAUNCHER)) {
            return false;
        }
        byte[] modules = (program.substring(0, slash) + IMAGE_MODULES).getBytes(StandardCharsets.ISO_8859_1);
        return deleted || UnixPaths.isRegularFile(modules);
    }

    /** {@code pid} as a running tether, or {@code null} if it ended while it was read. */
    private RunningTether describe(int pid, Map<Integer, ProcStat> table, Map<Integer, List<Integer>> children,
            ListeningPorts ports) {
        List<byte[]> argv = ProcSelf.splitOnNul(ProcFiles.readAll("/proc/" + pid + "/cmdline"));
        byte[] directory = ProcFiles.link("/proc/" + pid + "/cwd");
        if (argv.isEmpty() || directory == null) {
            return null; // it ended while it was read, or has not yet laid out its arguments
        }
        List<byte[]> environment = ProcSelf.splitOnNul(ProcFiles.readAll("/proc/" + pid + "/environ"));
        int[] tree = liveDescendants(pid, table, children);
        byte[] cgroup = cgroupOf(pid, children.getOrDefault(pid, List.of()));
        if (cgroup != null) {
            tree = Cgroup.at(cgroup).withMembers(tree);
        }
        try {
            return new RunningTether(pid, startTimes.of(table.get(pid)), argv.subList(1, argv.size()), environment,
                    directory, tree.length, ports.of(pid, tree), memory(tree), cgroup);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The cgroup that holds {@code tether}'s tree, from the cgroup path of one of tether's children: COMMAND is
     * one (the helper that starts it in the cgroup makes it tether's child), and so is every orphan of the
     * tree. Its sentinel is told the directory through a pipe, where no one else can read it. The directory
     * exists while the tree has it (a tether that could not make it after all started its tree without).
     */
    private byte[] cgroupOf(int tether, List<Integer> children) {
        for (int child : children) {
            byte[] cgroups = ProcFiles.readAll("/proc/" + child + "/cgroup");
            if (cgroups.length == 0) {
                continue;
            }
            if (mountinfo == null) {
                mountinfo = ProcFiles.readAll("/proc/self/mountinfo");
            }
            ProcessSurvey.TetherCgroup found = LinuxSurvey.tetherCgroup(cgroups, mountinfo, tether);
            if (found != null && UnixPaths.isDirectory(found.directory())) {
                return found.directory();
            }
        }
        return null;
    }

    /** The sum of {@link ProcMemory} over {@code tree}, or -1 if none could be read. */
    private static long memory(int[] tree) {
        long sum = -1;
        for (int pid : tree) {
            long memory = ProcMemory.of(pid);
            if (memory >= 0) {
                sum = Math.max(sum, 0) + memory;
            }
        }
        return sum;
    }

    /**
     * The live descendants of {@code tether} but its sentinel and what the sentinel runs (its {@code sleep}).
     * The sentinel is the child that leads a session of its own and runs the sentinel's script; an escapee
     * that called setsid leads a session too, so the script decides.
     */
    private static int[] liveDescendants(int tether, Map<Integer, ProcStat> table, Map<Integer, List<Integer>> children) {
        List<Integer> live = new ArrayList<>();
        List<Integer> frontier = new ArrayList<>(List.of(tether));
        while (!frontier.isEmpty()) {
            int parent = frontier.removeLast();
            for (int child : children.getOrDefault(parent, List.of())) {
                ProcStat stat = table.get(child);
                if (parent == tether && stat.session() == child
                        && Sentinel.isSentinel(ProcSelf.splitOnNul(ProcFiles.readAll("/proc/" + child + "/cmdline")))) {
                    continue;
                }
                if (stat.isLive()) {
                    live.add(child);
                }
                frontier.add(child);
            }
        }
        int[] pids = new int[live.size()];
        for (int i = 0; i < pids.length; i++) {
            pids[i] = live.get(i);
        }
        return pids;
    }

    /** The real user id of {@code pid}, or -1. */
    private static int realUser(int pid) {
        int[] ids = ProcFiles.userIds(pid);
        return ids == null ? -1 : ids[0];
    }
}
