package tether.api;

import java.time.Instant;
import java.util.List;

/**
 * A tether running on this machine, as the OS shows it to another process: what it was started with and
 * what its tree holds now. Bytes are the OS's own, as in {@link OwnProcess}.
 *
 * @param pid         the tether's process id
 * @param started     when it started, which together with {@code pid} names it even after the pid is reused
 * @param arguments   its arguments, without the program name
 * @param environment its environment at start, each entry {@code NAME=value}
 * @param directory   its working directory, absolute
 * @param processes   the live processes of its tree, tether itself and its sentinel not counted
 * @param ports       the TCP ports its tree listens on, sorted, each once
 * @param memory      the bytes its tree uses, as {@link ProcessSurvey#memory} counts them for each process;
 *                    -1 if none could be read
 * @param cgroup      the directory of the cgroup that holds its tree, or {@code null} for none
 */
public record RunningTether(long pid, Instant started, List<byte[]> arguments, List<byte[]> environment,
        byte[] directory, int processes, int[] ports, long memory, byte[] cgroup) {}
