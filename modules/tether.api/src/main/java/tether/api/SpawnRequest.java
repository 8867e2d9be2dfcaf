package tether.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to start, as raw bytes: the OS hands tether its arguments and environment as bytes, and passing
 * them on as bytes keeps them verbatim whatever the locale (a JVM in the C locale decodes non-ASCII
 * arguments to '?').
 *
 * @param command     the program followed by its arguments; the program is looked up on {@code PATH}
 *                    unless it contains a slash
 * @param directory   the working directory of the command as the OS names it, or {@code null} for tether's own
 * @param environment the complete environment of the command, each entry {@code NAME=value}
 * @param firstSignal how the tree is torn down should tether itself be killed: this signal first,
 * @param grace       and SIGKILL this long after it
 * @param stdout      the descriptor the command gets as its stdout: 1, or where tether's launcher kept
 *                    the real one while the JVM's own stdout went to stderr, or a pipe tether reads
 * @param stderr      the descriptor the command gets as its stderr: 2, or a pipe tether reads
 * @param cgroup      whether the tree is held in a cgroup of its own
 */
public record SpawnRequest(List<byte[]> command, byte[] directory, List<byte[]> environment, TreeSignal firstSignal,
        Duration grace, int stdout, int stderr, CgroupUse cgroup) {
    public SpawnRequest {
        command = List.copyOf(command);
        environment = List.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        Objects.requireNonNull(firstSignal);
        Objects.requireNonNull(grace);
        Objects.requireNonNull(cgroup);
    }

    /**
     * A request whose command writes its errors to tether's own stderr, its tree held in a cgroup where one can
     * be had.
     */
    public SpawnRequest(List<byte[]> command, byte[] directory, List<byte[]> environment, TreeSignal firstSignal,
            Duration grace, int stdout) {
        this(command, directory, environment, firstSignal, grace, stdout, 2, CgroupUse.WHERE_AVAILABLE);
    }
}
