package tether.api;

import java.io.IOException;
import java.util.List;

/**
 * Every process the OS shows, for {@code --list --all} and {@code --stop --all}: the processes nobody tethered
 * (a server started by hand, an agent's background shell, an escapee of a tether that was killed) that still
 * live in a worktree. One implementation per OS reads what that OS lets another process see; which processes
 * count, how they group into trees and which are never touched is decided once, above it, from these facts.
 *
 * <p>{@link #residents} is the one pass over the whole process table; everything else is asked only of the
 * processes that pass, so a listing costs what this user's processes cost.
 */
public interface ProcessSurvey {

    /**
     * Where a process lives, as far as this OS lets the caller see it.
     *
     * @param directory        its working directory, absolute, or {@code null} if it cannot be read
     * @param directoryDeleted whether that directory has been removed; {@code directory} is then where it was
     * @param marker           the {@link Provenance} entry of its environment, or {@code null} without one (or
     *                         where the environment cannot be read)
     */
    record Whereabouts(byte[] directory, boolean directoryDeleted, byte[] marker) {}

    /**
     * A cgroup a tether made for its tree (Linux), which holds every process born in it whatever the process
     * did with its ancestry, its directory and its environment.
     *
     * @param directory where the cgroup2 file system shows it
     * @param tether    the pid of the tether that made it
     */
    record TetherCgroup(byte[] directory, long tether) {}

    /** Every live process (zombies are not), in one pass; other users' too, for their parent links. */
    List<Resident> residents() throws IOException;

    /** Where {@code process} lives; {@code null} if it ended or is not this user's to read. */
    Whereabouts whereabouts(Resident process);

    /** Its program and arguments, or an empty list if they cannot be read. */
    List<byte[]> command(Resident process);

    /**
     * The memory it uses, in bytes: its proportional share of resident memory (a page shared by n processes
     * counts 1/n to each, so a tree's sum is what the tree holds) where the OS gives it, else its resident
     * size; -1 if it cannot be read.
     */
    long memory(Resident process);

    /**
     * The cgroup a tether made that {@code process} is in (the innermost, for a tether run by a tether), or
     * {@code null}: it is in none, or this OS has no cgroups. Asked only of the processes that count and their
     * descendants, at a read each.
     */
    default TetherCgroup tetherCgroup(Resident process) {
        return null;
    }

    /** The pids of the processes in {@code cgroup} and in the cgroups inside it, now. */
    default long[] members(TetherCgroup cgroup) {
        return new long[0];
    }

    /**
     * Removes {@code cgroup} and the cgroups inside it, as its tether would have, where they are empty and the
     * caller may; otherwise leaves them.
     */
    default void remove(TetherCgroup cgroup) {}

    /** The TCP ports {@code processes} listen on, sorted, each once; empty where this OS's sockets are not read. */
    int[] ports(List<Resident> processes);

    /**
     * Sends {@code signal} to {@code process} unless it has ended or its pid now names another process.
     *
     * @return {@code null} once it was sent (or the process is gone), else the OS's reason why not
     */
    String signal(Resident process, TreeSignal signal);

    /** Whether {@code path} is {@code directory} or lies inside it, both canonical, as this OS compares names. */
    boolean isWithin(byte[] path, byte[] directory);
}
