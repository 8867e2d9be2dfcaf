package tether.unix;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * <p>The script is in the sentinel's environment, and COMMAND's marker and the tree's cgroup come through
 * the pipe, not its arguments: {@code pkill -f sleep}, {@code pkill -f /dev/null} or a {@code pkill -f} of
 * the worktree's path, aimed at other processes, would otherwise match it. Whatever kills it all the same
 * ({@code killall sh}), tether notices, as it is tether's child, and starts a {@link #replacement()}, which
 * is told the same marker, cgroup and group.
 *
 * <p>When the tree has a cgroup, the sentinel is told its directory as it starts, before the cgroup is
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
    /** The variable that holds the script in the sentinel's environment. */
    private static final String SCRIPT_VARIABLE = "TETHER_SENTINEL_SCRIPT";
    /** The sentinel's {@code sh -c} argument: every sentinel's arguments are these three words. */
    private static final String RUN_SCRIPT = "eval \"$" + SCRIPT_VARIABLE + "\"";
    /** How often the sentinel checks, within the grace period, whether the group is empty. */
    private static final Duration CHECK = Duration.ofMillis(20);
    private static final byte[] DONE = "done\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * The sentinel's own search path, not the command's: its {@code sleep} must be found whatever PATH
     * the command was given, or the grace period would collapse into an immediate SIGKILL.
     */
    private static final String PATH = "PATH=/usr/bin:/bin";
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
     * The pids of the processes whose environment holds the marker ({@code $m}, the first line tether writes
     * to the pipe), none without one. The sentinel's own environment and its {@code grep}'s hold no marker; a
     * zombie's environment reads as empty. Where there is no {@code /proc} (macOS) the pattern matches no file
     * and nothing is found.
     */
    private static final String ESCAPEES = "escapees() { [ -n \"$m\" ] || return 0; "
            + "grep -lsxzF -e \"$m\" /proc/[0-9]*/environ | while read -r f; do f=${f#/proc/}; echo ${f%/environ}; done; }; ";

    private enum State { RUNNING, DONE, LOST }

    private final int pid;
    private final int writeEnd;
    private final int firstSignal;
    private final Duration grace;
    private final byte[] marker;
    private final byte[] cgroup;
    /** The group it guards; 0 until {@link #watch}. */
    private int pgid;
    private State state = State.RUNNING;

    private Sentinel(int pid, int writeEnd, int firstSignal, Duration grace, byte[] marker, byte[] cgroup) {
        this.pid = pid;
        this.writeEnd = writeEnd;
        this.firstSignal = firstSignal;
        this.grace = grace;
        this.marker = marker;
        this.cgroup = cgroup;
    }

    int pid() {
        return pid;
    }

    /** Neither told that tether is done nor lost: a scan leaves it out. */
    boolean isRunning() {
        return state == State.RUNNING;
    }

    boolean isDone() {
        return state == State.DONE;
    }

    /**
     * @param marker COMMAND's {@link tether.api.Provenance} entry, or {@code null}: where {@code /proc} shows
     *               other processes' environments (Linux), every process that carries it is torn down with the
     *               group, so that escapees which left the group are reached after tether's death too. It is
     *               the first line tether writes to the pipe (one line: the marker holds the path in
     *               printable form), read whole, never interpreted by the shell, and matched whole, as one
     *               NUL-terminated entry of an environment ({@code grep -z -x -F}). Not an argument: a
     *               {@code pkill -f} aimed at the worktree's processes by its path would match it there.
     * @param cgroup the directory of the tree's cgroup, made after this returns, or {@code null} for none: the
     *               second line tether writes to the pipe, for the same reason
     */
    static Sentinel start(int firstSignal, Duration grace, byte[] marker, byte[] cgroup) throws SpawnException {
        int[] pipe = GroupSpawner.pipe();
        // The grace is timed by a sleep of its own in the background: counting loop rounds would stretch
        // it by however long each zombie-aware check takes on a busy machine. Without a group id (tether
        // died before it could tell one) there is still the cgroup to end.
        String script = "exec >/dev/null 2>&1; " + ALIVE + CGROUP + ESCAPEES + "IFS= read -r m || exit 0; "
                + "IFS= read -r cg || exit 0; read -r pgid; [ -n \"$pgid$cg\" ] || exit 0; read -r word; "
                + "[ \"$word\" = done ] && exit 0; [ -n \"$pgid\" ] && { kill -" + firstSignal + " -$pgid; "
                + "kill -CONT -$pgid; }; each " + firstSignal + "; each CONT; "
                + "e=$(escapees); [ -n \"$e\" ] && { kill -" + firstSignal + " $e; kill -CONT $e; }; "
                + "sleep " + seconds(grace) + " & timer=$!; "
                + "while kill -0 $timer 2>/dev/null && { alive || held || [ -n \"$(escapees)\" ]; }; do sleep "
                + seconds(CHECK) + "; done; kill $timer 2>/dev/null; alive && kill -KILL -$pgid; "
                + "held && echo 1 >\"$cg/cgroup.kill\"; e=$(escapees); [ -n \"$e\" ] && kill -KILL $e; unmake; exit 0";
        List<byte[]> environment = List.of(PATH.getBytes(StandardCharsets.US_ASCII),
                (SCRIPT_VARIABLE + "=" + script).getBytes(StandardCharsets.US_ASCII));
        try {
            int pid = GroupSpawner.spawnDetached(List.of(bytes(SHELL), bytes("-c"), bytes(RUN_SCRIPT)), pipe[0],
                    environment);
            CLibrary.close(pipe[0]);
            Sentinel sentinel = new Sentinel(pid, pipe[1], firstSignal, grace, marker, cgroup);
            sentinel.writeLine(marker == null ? new byte[0] : marker);
            sentinel.writeLine(cgroup == null ? new byte[0] : cgroup);
            return sentinel;
        } catch (SpawnException e) {
            CLibrary.close(pipe[0]);
            CLibrary.close(pipe[1]);
            throw e;
        }
    }

    /** A new sentinel guarding the same group in the same way, for this one, which died. */
    Sentinel replacement() throws SpawnException {
        CLibrary.close(writeEnd);
        state = State.LOST;
        Sentinel next = start(firstSignal, grace, marker, cgroup);
        if (pgid != 0) {
            next.watch(pgid);
        }
        return next;
    }

    /** It died and none could replace it. */
    void lost() {
        if (state == State.RUNNING) {
            CLibrary.close(writeEnd);
        }
        state = State.LOST;
    }

    /** Whether a process with these arguments (the program name first) is a tether's sentinel. */
    public static boolean isSentinel(List<byte[]> argv) {
        return argv.size() == 3 && new String(argv.get(0), StandardCharsets.ISO_8859_1).equals(SHELL)
                && new String(argv.get(1), StandardCharsets.ISO_8859_1).equals("-c")
                && new String(argv.get(2), StandardCharsets.ISO_8859_1).equals(RUN_SCRIPT);
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
        this.pgid = pgid;
        writeLine(Integer.toString(pgid).getBytes(StandardCharsets.US_ASCII));
    }

    /** One line to the sentinel, which reads each as it comes: a line longer than the pipe holds waits for that. */
    private void writeLine(byte[] text) {
        byte[] line = java.util.Arrays.copyOf(text, text.length + 1);
        line[text.length] = '\n';
        CLibrary.write(writeEnd, line, line.length);
    }

    /**
     * No group was started: end-of-file before a group id lets the sentinel go, after it has found nothing to
     * end, and removed the cgroup where there was one to make.
     */
    void abandon() {
        lost();
    }

    /** The tree is empty and the leader not yet reaped: the sentinel may go. */
    void done() {
        if (state == State.RUNNING) {
            CLibrary.write(writeEnd, DONE, DONE.length);
            CLibrary.close(writeEnd);
            state = State.DONE;
        }
    }
}
