package tether.api;

import java.time.Instant;

/**
 * A live process as a {@link ProcessSurvey}'s one pass over the process table found it: enough to build the
 * trees, and to tell the processes that must never be touched from the rest.
 *
 * @param pid        its process id
 * @param parent     its parent's process id, 0 if the OS shows none
 * @param group      its process group, 0 where the OS has none: a pipeline's processes share one with the shell
 *                   job they belong to
 * @param started    when it started, which together with {@code pid} names it even after the pid is reused;
 *                   {@code null} where the OS does not show it to the caller (another user's process on macOS)
 * @param mine       whether it runs as the calling user, by its real and its effective user id both: the only
 *                   processes {@code --all} lists and ends
 * @param foreground whether it is in the foreground process group of its controlling terminal: an interactive
 *                   shell at its prompt, an editor, a command the user waits for
 */
public record Resident(long pid, long parent, long group, Instant started, boolean mine, boolean foreground) {

    /** Whether {@code other} is this very process, not another one that got its pid. */
    public boolean isSameAs(Resident other) {
        return other.pid == pid && java.util.Objects.equals(other.started, started);
    }
}
