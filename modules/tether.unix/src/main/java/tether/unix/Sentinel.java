package tether.unix;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tether.api.SpawnException;

/**
 * Tears the group down if tether itself is killed (SIGKILL, the OOM killer), when no code of tether's
 * can run.
 *
 * <p>A small {@code sh} outside the group, in a session of its own (so no terminal signal reaches it),
 * reads a pipe whose write end only tether holds. It starts before the command, so that tether is
 * covered from the moment the group exists: tether writes the group id as soon as it has it. Every way
 * tether ends closes the pipe: a clean end writes {@code done} first, and the sentinel exits; end-of-file
 * without it means tether died, and the sentinel sends the first signal and SIGCONT to the group, then
 * SIGKILL after the grace period unless the group emptied. The descendants that left the group are reached
 * by COMMAND's marker (see {@link #start}) where {@code /proc} shows other processes' environments. A shell
 * costs under 2 MB and a millisecond, where a second JVM would cost 35 MB.
 *
 * <p>tether writes {@code done} after its own teardown and before it reaps the group leader, so the
 * group id is still reserved by the leader's zombie: the sentinel never signals a group that tether
 * already swept, even one whose id was given to a new group since.
 *
 * <p>When the tree has a cgroup, the sentinel is given its directory as it starts, before the cgroup is
 * made and COMMAND starts in it: a tether killed at any moment of the start leaves nothing behind (an
 * end-of-file before the group id, or a cgroup that was never made, is handled like the rest). It then
 * ends the cgroup as tether would: the first signal and SIGCONT to every process in it, SIGKILL to all at
 * once with {@code cgroup.kill} at the grace deadline, and the directory removed once it is empty. It
 * checks for that every few milliseconds: a shell has no way to wait on {@code cgroup.events}. The marker
 * is looked for with a cgroup too: a process of the tree that moved itself out of the cgroup (it may write
 * another cgroup's {@code cgroup.procs}) still carries it.
 */
public final class Sentinel {

    private static final String SHELL = "/bin/sh";
    /** How often the sentinel checks, within the grace period, whether the group is empty. */
    private static final Duration CHECK = Duration.ofMillis(20);
    private static final byte[] DONE = "done\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * The sentinel's own environment, not the command's: its {@code sleep} must be found whatever PATH
     * the command was given, or the grace period would collapse into an immediate SIGKILL.
     */
    private static final List<byte[]> ENVIRONMENT = List.of("PATH=/usr/bin:/bin".getBytes(StandardCharsets.US_ASCII));
    /**
     * Whether the group has a live member. On Linux {@code kill -0} alone also counts zombies, which a parent
     * that never reaps (a container's init) keeps forever, so where {@code /proc} exists a member must be in
     * a state other than Z. macOS has no {@code /proc} and needs none: xnu's killpg1 (bsd/kern/kern_sig.c)
     * skips zombies, and {@code kill -0} fails once only zombies are left.
     */
    private static final String ALIVE = "alive() { [ -n \"$pgid\" ] && kill -0 -$pgid 2>/dev/null || return 1; "
            + "[ -d /proc/self ] || return 0; "
            + "for f in /proc/[0-9]*/stat; do read -r l <\"$f\" || continue; l=${l##*\") \"}; set -- $l; "
            + "[ \"$1\" != Z ] && [ \"$3\" = \"$pgid\" ] && return 0; done 2>/dev/null; return 1; }; ";

    /**
     * The cgroup's part, all of it nothing when {@code $cg} is empty: whether a live process is left
     * ({@code populated} in {@code cgroup.events}, read without a fork), a signal to each process in it and in
     * the cgroups inside, and the directories removed, the innermost first. The removal kills whatever it
     * finds and tries again until the directory is gone: a helper that tether ordered to start COMMAND just
     * before it died may place COMMAND in the cgroup after the sentinel found it empty, and once the directory
     * is removed no process can be placed there any more (clone3 fails with ENODEV).
     */
    private static final String CGROUP = "held() { [ -n \"$cg\" ] || return 1; while read -r k v; do "
            + "[ \"$k\" = populated ] && [ \"$v\" = 1 ] && return 0; done <\"$cg/cgroup.events\"; return 1; } 2>/dev/null; "
            + "each() { [ -n \"$cg\" ] || return 0; for p in $(find \"$cg\" -name cgroup.procs -exec cat {} +); do "
            + "kill -$1 $p; done; } 2>/dev/null; "
            + "unmake() { [ -n \"$cg\" ] || return 0; n=0; while [ -d \"$cg\" ] && [ $n -lt 50 ]; do "
            + "held && echo 1 >\"$cg/cgroup.kill\"; find \"$cg\" -depth -type d -exec rmdir {} +; "
            + "[ -d \"$cg\" ] && sleep 0.02; n=$((n+1)); done; } 2>/dev/null; ";

    /**
     * The pids of the processes whose environment holds the marker, none without one. The sentinel's own
     * environment and its {@code grep}'s hold no marker; a zombie's environment reads as empty. Where there is
     * no {@code /proc} (macOS) the pattern matches no file and nothing is found.
     */
    private static final String ESCAPEES = "escapees() { [ -n \"$m\" ] || return 0; "
            + "grep -lsxzF -e \"$m\" /proc/[0-9]*/environ | while read -r f; do f=${f#/proc/}; echo ${f%/environ}; done; }; ";

    /**
     * How the script begins: a census tells the sentinel from the tree it guards by it, since both are
     * children of tether and the sentinel, like an escapee, leads a session of its own. Its arguments, when it
     * has any, are the marker ({@code $1}) and the cgroup ({@code $2}), either of them empty for none; they are
     * taken before {@code alive} reuses the positional parameters.
     */
    private static final String PROLOGUE = "exec >/dev/null 2>&1; m=$1; cg=$2; " + ALIVE + CGROUP + ESCAPEES;
    /** The sentinel's $0 when it has arguments. */
    private static final String NAME = "tether-sentinel";

    private final int pid;
    private final int writeEnd;

    private Sentinel(int pid, int writeEnd) {
        this.pid = pid;
        this.writeEnd = writeEnd;
    }

    int pid() {
        return pid;
    }

    /**
     * @param marker COMMAND's {@link tether.api.Provenance} entry, or {@code null}: where {@code /proc} shows
     *               other processes' environments (Linux), every process that carries it is torn down with the
     *               group, so that escapees which left the group are reached after tether's death too. It is
     *               an argument of the script, never interpreted by the shell, and matched whole, as one
     *               NUL-terminated entry of an environment ({@code grep -z -x -F}).
     * @param cgroup the directory of the tree's cgroup, made after this returns; {@code null} for none
     */
    static Sentinel start(int firstSignal, Duration grace, byte[] marker, byte[] cgroup) throws SpawnException {
        int[] pipe = GroupSpawner.pipe();
        // The grace is timed by a sleep of its own in the background: counting loop rounds would stretch
        // it by however long each zombie-aware check takes on a busy machine. Without a group id (tether
        // died before it could tell one) there is still the cgroup to end.
        String script = PROLOGUE + "read -r pgid; [ -n \"$pgid$cg\" ] || exit 0; read -r word; "
                + "[ \"$word\" = done ] && exit 0; [ -n \"$pgid\" ] && { kill -" + firstSignal + " -$pgid; "
                + "kill -CONT -$pgid; }; each " + firstSignal + "; each CONT; "
                + "e=$(escapees); [ -n \"$e\" ] && { kill -" + firstSignal + " $e; kill -CONT $e; }; "
                + "sleep " + seconds(grace) + " & timer=$!; "
                + "while kill -0 $timer 2>/dev/null && { alive || held || [ -n \"$(escapees)\" ]; }; do sleep "
                + seconds(CHECK) + "; done; kill $timer 2>/dev/null; alive && kill -KILL -$pgid; "
                + "held && echo 1 >\"$cg/cgroup.kill\"; e=$(escapees); [ -n \"$e\" ] && kill -KILL $e; unmake; exit 0";
        List<byte[]> argv = new ArrayList<>(List.of(bytes(SHELL), bytes("-c"), bytes(script)));
        if (marker != null || cgroup != null) {
            argv.add(bytes(NAME));
            argv.add(marker == null ? new byte[0] : marker);
            argv.add(cgroup == null ? new byte[0] : cgroup);
        }
        try {
            int pid = GroupSpawner.spawnDetached(argv, pipe[0], ENVIRONMENT);
            CLibrary.close(pipe[0]);
            return new Sentinel(pid, pipe[1]);
        } catch (SpawnException e) {
            CLibrary.close(pipe[0]);
            CLibrary.close(pipe[1]);
            throw e;
        }
    }

    /** Whether a process with these arguments (the program name first) is a tether's sentinel. */
    public static boolean isSentinel(List<byte[]> argv) {
        return (argv.size() == 3 || argv.size() == 6) && new String(argv.get(0), StandardCharsets.ISO_8859_1).equals(SHELL)
                && new String(argv.get(1), StandardCharsets.ISO_8859_1).equals("-c")
                && new String(argv.get(2), StandardCharsets.ISO_8859_1).startsWith(PROLOGUE);
    }

    /** The cgroup a sentinel with these arguments guards, or {@code null}; {@link #isSentinel} holds for them. */
    public static byte[] cgroupOf(List<byte[]> argv) {
        return argv.size() == 6 && argv.get(5).length > 0 ? argv.get(5) : null;
    }

    private static byte[] bytes(String word) {
        return word.getBytes(StandardCharsets.UTF_8);
    }

    /** A duration as sleep(1) takes it: seconds, with a fraction (GNU and BSD sleep both accept one). */
    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        String fraction = Long.toString(1000 + millis % 1000).substring(1);
        return millis / 1000 + "." + fraction;
    }

    /** The group to tear down should tether die from now on. */
    void watch(int pgid) {
        byte[] line = (pgid + "\n").getBytes(StandardCharsets.US_ASCII);
        CLibrary.write(writeEnd, line, line.length);
    }

    /**
     * No group was started: end-of-file before a group id lets the sentinel go, after it has found nothing to
     * end, and removed the cgroup where there was one to make.
     */
    void abandon() {
        CLibrary.close(writeEnd);
    }

    /** The tree is empty and the leader not yet reaped: the sentinel may go. */
    void done() {
        CLibrary.write(writeEnd, DONE, DONE.length);
        CLibrary.close(writeEnd);
    }
}
