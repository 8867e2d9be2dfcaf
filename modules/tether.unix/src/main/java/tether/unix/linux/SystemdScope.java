package tether.unix.linux;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A delegated scope of systemd's, for a tether whose own cgroup is systemd's: {@code systemd-run --scope}
 * asks the manager (the user's with {@code --user}) to make a transient scope unit with the running process
 * in it, waits until it exists, and execs the rest of its command line in place, so the process stays
 * tether's child. That command is tether-spawn, which reports the scope's cgroup; tether makes the tree's
 * cgroup inside it, where the user may ({@code Delegate=yes} hands the scope's cgroup to the user), and
 * tether-spawn starts COMMAND there. {@code --collect} unloads the unit once it is empty, whatever its end.
 *
 * <p>Only the helper's own path goes through systemd-run's command line: systemd-run adds INVOCATION_ID to
 * the environment and, from systemd 254, expands {@code $VARIABLES} in a scope's command line (before 254 it
 * has no option to turn that off), so COMMAND's arguments and environment reach the helper through its
 * orders instead. This path needs a systemd manager, which this project's test machine does not run: the
 * command is unit-tested, and docs/guarantees.md says it has not run.
 */
public final class SystemdScope {

    private SystemdScope() {}

    /**
     * The command line that runs {@code helper} in a new delegated scope of the user's manager ({@code user}) or
     * of the system's: quietly, since systemd-run's "Running as unit" line would land in COMMAND's output; and
     * without asking for a password, since on a terminal systemd-run would start a polkit agent as its child,
     * which would outlive its exec of the helper.
     *
     * @throws IllegalArgumentException if {@code helper} holds a {@code $}, which systemd-run 254 and later
     *                                  would expand
     */
    public static List<byte[]> command(byte[] systemdRun, boolean user, byte[] helper) {
        for (byte b : helper) {
            if (b == '$') {
                throw new IllegalArgumentException("the path of tether-spawn holds a $, which systemd-run would expand");
            }
        }
        List<byte[]> command = new ArrayList<>();
        command.add(systemdRun);
        if (user) {
            command.add(bytes("--user"));
        }
        for (String word : List.of("--scope", "--quiet", "--collect", "--no-ask-password", "--property=Delegate=yes",
                "--")) {
            command.add(bytes(word));
        }
        command.add(helper);
        return command;
    }

    private static byte[] bytes(String word) {
        return word.getBytes(StandardCharsets.US_ASCII);
    }
}
